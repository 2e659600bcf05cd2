"""The ISTAT list of Lombard municipalities shipped in registrations/data/ (source and licence in its README), read once.

Two uses: the suggestions of the "Ente" field on the registration form, and the province of a registration for the
funders' reports. The form asks only for the Ente as free text (GDPR: collect only what is needed), so the province is
worked out from it: "Comune di Bergamo" → BG, "Provincia di Lecco" → LC.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

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


@cache
def lombard_municipalities() -> tuple[Comune, ...]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(Comune(row["codice_istat"], row["denominazione"], row["sigla_provincia"]) for row in rows)


@cache
def datalist_options() -> str:
    """The <option>s of the "Ente" datalist, rendered once per process (1,502 options through the template engine
    cost more than the rest of the page)."""
    return format_html_join(
        "", '<option value="{}">{}</option>', ((c.organization_name, c.province) for c in lombard_municipalities())
    )


PROVINCES = {
    "BG": "Bergamo",
    "BS": "Brescia",
    "CO": "Como",
    "CR": "Cremona",
    "LC": "Lecco",
    "LO": "Lodi",
    "MN": "Mantova",
    "MI": "Milano",
    "MB": "Monza e della Brianza",
    "PV": "Pavia",
    "SO": "Sondrio",
    "VA": "Varese",
}
UNKNOWN = ""
UNKNOWN_LABEL = _("Non determinata")

_PREFIX = re.compile(
    r"^(comune|citta metropolitana|citta|provincia|unione dei comuni|unione comuni|municipio)\s+(di|de|del|della|dei|d)\s+"
)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"[’'`\-–./,()]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def comuni() -> dict[str, str]:
    """Normalised municipality name → province plate code."""
    return {normalize(comune.name): comune.province for comune in lombard_municipalities()}


@cache
def province_names() -> dict[str, str]:
    return {normalize(name): code for code, name in PROVINCES.items()} | {"monza brianza": "MB", "monza": "MB"}


@cache
def province_of(organization: str) -> str:
    """The plate code of the province the Ente belongs to, or "" when it cannot be told."""
    name = normalize(organization or "")
    if not name:
        return UNKNOWN
    match = _PREFIX.match(name)
    if match:
        rest = name[match.end() :]
        if match.group(1) in ("provincia", "citta metropolitana") and rest in province_names():
            return province_names()[rest]
        if rest in comuni():
            return comuni()[rest]
    if name in comuni():
        return comuni()[name]
    # "Polizia locale di Lodi", "Ufficio tecnico – Comune di Seregno": the last "di <place>" names the place.
    tail = re.split(r"\b(?:di|de|del|della|dei)\s+", name)[-1]
    return comuni().get(tail, UNKNOWN)


def province_label(code: str) -> str:
    return PROVINCES.get(code, str(UNKNOWN_LABEL))
