"""The ISTAT list of Lombard municipalities shipped in registrations/data/ (source and licence in its README)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import format_html_join

DATA = Path(__file__).resolve().parent / "data" / "comuni_lombardia.csv"


@dataclass(frozen=True)
class Comune:
    istat_code: str
    name: str
    province: str

    @property
    def organization_name(self) -> str:
        """How the body is written in the "Ente" field."""
        return f"Comune di {self.name}"


@lru_cache(maxsize=1)
def lombard_municipalities() -> tuple[Comune, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(Comune(row["codice_istat"], row["denominazione"], row["sigla_provincia"]) for row in rows)


@lru_cache(maxsize=1)
def datalist_options() -> str:
    """The <option>s of the "Ente" datalist, rendered once per process (1,502 options through the template engine
    cost more than the rest of the page)."""
    return format_html_join(
        "", '<option value="{}">{}</option>', ((c.organization_name, c.province) for c in lombard_municipalities())
    )
