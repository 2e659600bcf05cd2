"""tablib datasets to an XLSX workbook as Italian office staff read it: one named sheet per dataset, bold frozen header,
dates shown as dd/mm/yyyy (tablib would leave openpyxl's ISO default), numbers as numbers, text never a formula.

Datetimes must be naive and in local time: Excel has no time zones.
"""

from __future__ import annotations

import datetime
import io

import tablib
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from tablib.formats._xlsx import safe_xlsx_sheet_title

from core.spreadsheets import append_row

DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DATE_FORMAT = "DD/MM/YYYY"
MAX_WIDTH = 60


def workbook_bytes(*datasets: tablib.Dataset) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for index, dataset in enumerate(datasets, start=1):
        sheet = book.create_sheet(safe_xlsx_sheet_title(dataset.title) if dataset.title else f"Foglio{index}")
        sheet.append(list(dataset.headers or []))
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "A2"
        widths = [len(str(header)) for header in dataset.headers or []]
        for row in dataset:
            # Text typed by people is never run as a formula (core/spreadsheets.py); numbers and dates stay typed.
            append_row(sheet, row)
            for column, (cell, value) in enumerate(zip(sheet[sheet.max_row], row, strict=True)):
                if isinstance(value, datetime.datetime):
                    cell.number_format = DATETIME_FORMAT
                elif isinstance(value, datetime.date):
                    cell.number_format = DATE_FORMAT
                if column < len(widths):
                    widths[column] = max(widths[column], len(str(value)) if value is not None else 0)
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_WIDTH)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
