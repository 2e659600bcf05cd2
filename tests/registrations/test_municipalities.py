"""The ISTAT list (registrations/data/): the search behind the "Ente" suggestions, the code check, the province of a
registration for the reports, and the command that regenerates the files."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from registrations import municipalities as m


def labels(query: str, **kwargs) -> list[str]:
    return [body.label for body in m.search(query, **kwargs)]


def test_the_shipped_list_covers_all_of_italy_with_provinces_and_citta_metropolitane():
    assert len(m.municipalities()) == 7896
    assert sum(body.region == "Lombardia" for body in m.municipalities()) == 1502
    kinds = [body.kind for body in m.areas()]
    assert (kinds.count("provincia"), kinds.count("citta_metropolitana"), len(kinds)) == (80, 14, 106)
    assert m.by_code()["016024"] == m.Body("016024", "comune", "Bergamo", "BG", "Lombardia", True)
    assert m.by_code()["215"].label == "Città metropolitana di Milano (MI)"
    assert m.by_code()["016"].label == "Provincia di Bergamo (BG)"


def test_a_prefix_finds_the_capital_first_then_its_province_then_the_others_by_name():
    assert labels("berg") == [
        "Comune di Bergamo (BG)",
        "Provincia di Bergamo (BG)",
        "Comune di Bergamasco (AL)",
        "Comune di Bergantino (RO)",
        "Comune di Bergeggi (SV)",
        "Comune di Bergolo (CN)",
        # a later word of the name comes after the names that start with the query
        "Comune di Caprino Bergamasco (BG)",
        "Comune di Cisano Bergamasco (BG)",
        "Comune di Tavernola Bergamasca (BG)",
    ]


def test_accents_case_and_apostrophes_do_not_matter():
    assert labels("FORLI")[:2] == ["Comune di Forlì (FC)", "Provincia di Forlì-Cesena (FC)"]
    assert labels("forlì") == labels("FORLI")
    assert labels("sant angelo lod") == ["Comune di Sant'Angelo Lodigiano (LO)"]
    assert labels("Sant’Angelo Lodigiano") == ["Comune di Sant'Angelo Lodigiano (LO)"]


def test_an_exact_name_comes_before_longer_ones_and_lombard_municipalities_before_the_others():
    assert labels("milano") == ["Comune di Milano (MI)", "Città metropolitana di Milano (MI)"]
    castro = labels("castro")
    assert castro[:2] == ["Comune di Castro (BG)", "Comune di Castro (LE)"]
    # among names that only start with the query, Lombard municipalities first: Casalbordino (CH) sorts before
    # Casalbuttano (CR) but comes after every Lombard "Casal…"
    assert labels("casal")[:3] == [
        "Comune di Casalbuttano ed Uniti (CR)",
        "Comune di Casale Cremasco-Vidolasco (CR)",
        "Comune di Casale Litta (VA)",
    ]
    assert "Comune di Casalbordino (CH)" not in labels("casal")
    assert labels("casalb")[:3] == [
        "Comune di Casalbuttano ed Uniti (CR)",
        "Comune di Casalbeltrame (NO)",
        "Comune di Casalbordino (CH)",
    ]


def test_a_kind_prefix_narrows_to_that_kind_and_a_plate_code_to_that_province():
    assert labels("provincia di berg") == ["Provincia di Bergamo (BG)"]
    assert labels("città metropolitana di mil") == ["Città metropolitana di Milano (MI)"]
    assert labels("comune di milano") == ["Comune di Milano (MI)"]
    assert labels("Comune di Castro (LE)") == ["Comune di Castro (LE)"]
    assert labels("Provincia autonoma di Bolz") == ["Provincia autonoma di Bolzano/Bozen (BZ)"]


def test_at_most_ten_results_and_nothing_for_empty_or_unknown_queries():
    assert len(labels("san")) == m.SEARCH_LIMIT == 10
    assert labels("") == labels("   ") == labels("comune di") == labels("zzzz") == []


def test_a_code_is_kept_only_with_the_name_of_its_body():
    assert m.matching_code("016024", "Comune di Bergamo (BG)") == "016024"
    assert m.matching_code("016024", "comune di bergamo") == "016024"
    assert m.matching_code("016", "Provincia di Bergamo (BG)") == "016"
    assert m.matching_code("016024", "Comune di Brescia (BS)") == ""  # chose Bergamo, then typed another name
    assert m.matching_code("016024", "Provincia di Bergamo (BG)") == ""
    assert m.matching_code("999999", "Comune di Bergamo (BG)") == ""
    assert m.matching_code("", "Comune di Bergamo (BG)") == ""


@pytest.mark.parametrize(
    ("organization", "province"),
    [
        ("Comune di Bergamo (BG)", "BG"),
        ("Comune di Castro (LE)", "LE"),
        ("Comune di Castro", "BG"),  # homonyms: the Lombard one
        ("Comune di Samone", ""),  # TO or TN: cannot tell
        ("Comune di Torino", "TO"),
        ("Città metropolitana di Milano", "MI"),
        ("Provincia di Monza e della Brianza", "MB"),
        ("Polizia locale di Lodi", "LO"),
        ("Cooperativa Sociale Esempio", ""),
        ("", ""),
    ],
)
def test_province_of(organization, province):
    assert m.province_of(organization) == province


def test_province_labels_cover_every_province():
    assert (m.province_label("BG"), m.province_label("TO"), m.province_label("")) == (
        "Bergamo",
        "Torino",
        "Non determinata",
    )


ISTAT_HEADER = (
    'Codice Regione;"Codice dell\'Unità territoriale sovracomunale \n(valida a fini statistici)";'
    "Codice Provincia (Storico)(1);Progressivo del Comune (2);Codice Comune formato alfanumerico;"
    "Denominazione (Italiana e straniera);Denominazione in italiano;Denominazione altra lingua;"
    "Codice Ripartizione Geografica;Ripartizione geografica;Denominazione Regione;"
    '"Denominazione dell\'Unità territoriale sovracomunale \n(valida a fini statistici)";'
    "Tipologia di Unità territoriale sovracomunale ;"
    "Flag Comune capoluogo di provincia/città metropolitana/libero consorzio;Sigla automobilistica\n"
)
ISTAT_ROWS = [
    "03;016;016;024;016024;Bergamo;Bergamo;;1;Nord-ovest;Lombardia;Bergamo;1;1;BG\n",
    "03;215;015;146;015146;Milano;Milano;;1;Nord-ovest;Lombardia;Milano;3;1;MI\n",
    "07;007;007;003;007003;Aosta;Aosta;Aoste;1;Nord-ovest;Valle d'Aosta/Vallée d'Aoste;Valle d'Aosta;1;1;AO\n",
    "19;081;081;001;081001;Alcamo;Alcamo;;5;Isole;Sicilia;Trapani;4;0;TP\n",
    "03;098;098;049;098049;Sant'Angelo Lodigiano;Sant'Angelo Lodigiano;;1;Nord-ovest;Lombardia;Lodi;1;0;LO\n",
]


def test_refresh_municipalities_writes_both_files_from_an_istat_csv(tmp_path):
    source = tmp_path / "Elenco-comuni-italiani.csv"
    source.write_bytes((ISTAT_HEADER + "".join(ISTAT_ROWS)).encode("cp1252"))  # as ISTAT publishes it
    call_command(
        "refresh_municipalities",
        source=str(source),
        source_name="file di prova",
        output_dir=str(tmp_path),
        date="2026-12-02",
        stdout=(out := __import__("io").StringIO()),
    )
    assert out.getvalue() == f"5 comuni e 4 enti sovracomunali scritti in {tmp_path}.\n"
    assert (tmp_path / "comuni.csv").read_text(encoding="utf-8") == (
        "# Comuni italiani. Fonte: ISTAT, Elenco dei codici e delle denominazioni delle unità territoriali, "
        "file di prova, generato il 2026-12-02.\n"
        "# Licenza dei dati: CC BY 4.0 (ISTAT, https://www.istat.it/note-legali/).\n"
        "codice_istat,denominazione,sigla_provincia,regione,capoluogo\n"
        "081001,Alcamo,TP,Sicilia,0\n"
        "007003,Aosta,AO,Valle d'Aosta/Vallée d'Aoste,1\n"
        "016024,Bergamo,BG,Lombardia,1\n"
        "015146,Milano,MI,Lombardia,1\n"
        "098049,Sant'Angelo Lodigiano,LO,Lombardia,0\n"
    )
    # Valle d'Aosta is a statistical unit only: no "Provincia di Aosta".
    assert (tmp_path / "enti_sovracomunali.csv").read_text(encoding="utf-8").splitlines()[2:] == [
        "codice_istat,denominazione,tipo,sigla_provincia,regione",
        "016,Bergamo,provincia,BG,Lombardia",
        "098,Lodi,provincia,LO,Lombardia",
        "215,Milano,citta_metropolitana,MI,Lombardia",
        "081,Trapani,libero_consorzio,TP,Sicilia",
    ]


def test_refresh_municipalities_refuses_a_file_that_is_not_the_istat_list(tmp_path):
    source = tmp_path / "other.csv"
    source.write_text("nome;cognome\nGiulia;Rossi\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Colonna «Codice Comune formato alfanumerico» non trovata"):
        call_command("refresh_municipalities", source=str(source), output_dir=str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.csv"]


def test_the_shipped_files_are_what_the_command_reads_back(tmp_path):
    # Same header lines and column order as the committed files: the reader and the writer agree.
    shipped = m.MUNICIPALITIES.read_text(encoding="utf-8").splitlines()
    assert shipped[1] == "# Licenza dei dati: CC BY 4.0 (ISTAT, https://www.istat.it/note-legali/)."
    assert shipped[2] == "codice_istat,denominazione,sigla_provincia,regione,capoluogo"
