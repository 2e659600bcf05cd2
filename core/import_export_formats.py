"""Spreadsheet formats for django-import-export that Italian office software reads as is.

Excel set to Italian splits CSV columns on ";" (the comma is the decimal separator) and guesses the encoding unless the
file starts with a UTF-8 BOM; exported CSVs therefore use both. Imported CSVs may use either separator.
"""

from __future__ import annotations

import csv

import tablib
from import_export.formats import base_formats


class ItalianCSV(base_formats.CSV):
    DELIMITER = ";"

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(dataset, delimiter=self.DELIMITER, **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        first_line = in_stream.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return tablib.import_set(in_stream, format="csv", delimiter=delimiter, quoting=csv.QUOTE_MINIMAL)
