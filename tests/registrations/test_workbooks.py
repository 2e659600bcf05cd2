"""registrations/workbooks.py: named sheets, typed cells, Italian date formats, no formulas from text."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import tablib

from registrations.workbooks import workbook_bytes


def test_sheets_cells_and_formats():
    first = tablib.Dataset(title="Iscritti", headers=["ente", "quando", "giorno", "ore"])
    first.append(["=1+1", datetime.datetime(2026, 3, 10, 9, 30), datetime.date(2026, 3, 10), Decimal("3.50")])
    first.append(["- ottimo", None, None, "+39 02 1234"])
    second = tablib.Dataset(title="Per tipo/ente", headers=["tipo", "n"])
    second.append(["Comune", 4])
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(first, second)))
    assert book.sheetnames == ["Iscritti", "Per tipo-ente"]  # "/" is not allowed in a sheet name
    row = book["Iscritti"][2]
    assert [cell.value for cell in row] == ["=1+1", datetime.datetime(2026, 3, 10, 9, 30), row[2].value, 3.5]
    assert row[0].data_type == "s" and row[0].quotePrefix  # text as typed, never a formula (core/spreadsheets.py)
    # A string cell is never run: no visible quote before text a CSV would have to neutralise.
    assert [cell.value for cell in book["Iscritti"][3]] == ["- ottimo", None, None, "+39 02 1234"]
    assert (row[1].number_format, row[2].number_format) == ("DD/MM/YYYY HH:MM", "DD/MM/YYYY")
    assert row[2].value.date() == datetime.date(2026, 3, 10)
    assert [[c.value for c in r] for r in book["Per tipo-ente"].iter_rows()] == [["tipo", "n"], ["Comune", 4]]
