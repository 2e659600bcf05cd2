"""The English catalogue (locale/en/LC_MESSAGES/django.po) is complete and sound, and /en/ really is in English.

The msgids are Italian (the default language); every one needs an English msgstr. After adding strings to the code,
run `make messages`, translate the new entries in the .po (no "#, fuzzy" left) and `make compilemessages`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings

PO_PATH = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %(count)d, %s, %d, %% ... as Python's % operator reads them (python-format entries).
PYTHON_FORMAT = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])"
)
# {0}, {name}, {} as str.format reads them (format_html entries).
BRACE_FORMAT = re.compile(r"(?<!\{)\{(?P<field>[^{}]*)\}(?!\})")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is not None:
            return [self.msgstr_plural[index] for index in sorted(self.msgstr_plural)]
        return [self.msgstr]

    def label(self) -> str:
        where = self.references[0] if self.references else "?"
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"{context}{self.msgid!r} ({where})"


def parse_po(text: str) -> tuple[dict[str, str], list[Entry]]:
    """A small .po reader: header fields and the active (non-obsolete) entries, with flags and references."""
    entries: list[Entry] = []
    current = Entry()
    keyword: str | None = None
    has_content = False

    def finish() -> None:
        nonlocal current, keyword, has_content
        if has_content:
            entries.append(current)
        current, keyword, has_content = Entry(), None, False

    def append(key: str, value: str) -> None:
        if key == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif key == "msgid":
            current.msgid += value
        elif key == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        elif key == "msgstr":
            current.msgstr += value
        else:  # msgstr[N]
            index = int(key[len("msgstr[") : -1])
            current.msgstr_plural[index] = current.msgstr_plural.get(index, "") + value

    for line in text.splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#~"):
            continue  # obsolete
        elif line.startswith("#,"):
            if has_content and keyword and keyword.startswith("msgstr"):
                finish()
            current.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
        elif line.startswith("#:"):
            if has_content and keyword and keyword.startswith("msgstr"):
                finish()
            current.references.extend(line[2:].split())
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert keyword is not None, f"continuation line without a keyword: {line}"
            append(keyword, ast.literal_eval(line))
        else:
            key, _, value = line.partition(" ")
            if key in ("msgctxt", "msgid") and has_content and keyword and keyword.startswith("msgstr"):
                flags, references = current.flags, current.references
                finish()
                current.flags, current.references = flags, references
            keyword = key
            has_content = True
            if key == "msgid_plural":
                current.msgid_plural = ""
            append(key, ast.literal_eval(value))
    finish()

    header: dict[str, str] = {}
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None:
        head = entries.pop(0)
        assert "fuzzy" not in head.flags, "the .po header is marked fuzzy: remove the flag"
        for raw in head.msgstr.splitlines():
            name, _, value = raw.partition(":")
            header[name.strip()] = value.strip()
    return header, entries


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, str], list[Entry]]:
    return parse_po(PO_PATH.read_text(encoding="utf-8"))


def test_header(catalogue):
    header, entries = catalogue
    assert header["Language"] == "en"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert len(entries) > 500, f"only {len(entries)} entries: was the catalogue extracted with makemessages?"


def test_every_entry_is_translated(catalogue):
    _, entries = catalogue
    untranslated = [
        entry.label()
        for entry in entries
        if not entry.translations
        or any(not text.strip() for text in entry.translations)
        or (entry.msgid_plural is not None and sorted(entry.msgstr_plural) != [0, 1])
    ]
    assert not untranslated, "Untranslated entries in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)


def test_no_fuzzy_entry(catalogue):
    _, entries = catalogue
    fuzzy = [entry.label() for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, (
        "Fuzzy entries in locale/en/LC_MESSAGES/django.po (check the translation, then remove '#, fuzzy'):\n"
        + "\n".join(fuzzy)
    )


def _python_placeholders(text: str) -> set[str]:
    found = set()
    for match in PYTHON_FORMAT.finditer(text):
        if match["conv"] == "%":
            continue
        found.add(f"%({match['name']}){match['conv']}" if match["name"] is not None else f"%{match['conv']}")
    return found


def _brace_placeholders(text: str) -> list[str]:
    return sorted(match["field"] for match in BRACE_FORMAT.finditer(text))


def test_placeholders_match(catalogue):
    _, entries = catalogue
    problems = []
    for entry in entries:
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural is not None:
            # msgstr[0] is the singular, any other form follows msgid_plural.
            pairs = [
                (entry.msgid if index == 0 else entry.msgid_plural, text) for index, text in entry.msgstr_plural.items()
            ]
        for source, translation in pairs:
            if "python-format" in entry.flags:
                expected, got = _python_placeholders(source), _python_placeholders(translation)
                if expected != got:
                    problems.append(f"{entry.label()}: {sorted(expected)} != {sorted(got)} in {translation!r}")
                if source.count("%%") != translation.count("%%"):
                    problems.append(f"{entry.label()}: '%%' differs in {translation!r}")
            if _brace_placeholders(source) != _brace_placeholders(translation):
                problems.append(f"{entry.label()}: {{}} placeholders differ in {translation!r}")
            # Tag names and order must match; attributes may be localised (e.g. a licence link to its English deed).
            tags = re.findall(r"</?[a-zA-Z][a-zA-Z0-9]*", source)
            if tags != re.findall(r"</?[a-zA-Z][a-zA-Z0-9]*", translation):
                problems.append(f"{entry.label()}: HTML tags differ in {translation!r}")
    assert not problems, "Placeholder mismatches in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(problems)


def test_parser_reads_plural_and_fuzzy_entries():
    header, entries = parse_po(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "%(n)s posto"\nmsgid_plural "%(n)s posti"\n'
        'msgstr[0] "%(n)s seat"\nmsgstr[1] ""\n\n'
        '#: b.html:2\nmsgctxt "menu"\nmsgid ""\n"Notizie"\nmsgstr "News"\n\n#~ msgid "vecchio"\n#~ msgstr "old"\n'
    )
    assert header == {"Language": "en"}
    assert [entry.msgid for entry in entries] == ["%(n)s posto", "Notizie"]
    assert entries[0].flags == {"fuzzy", "python-format"}
    assert entries[0].msgstr_plural == {0: "%(n)s seat", 1: ""}
    assert entries[1].msgctxt == "menu" and entries[1].msgstr == "News" and entries[1].references == ["b.html:2"]
    assert _python_placeholders("%(count)d su %(total)s (%(p)s%%) %s") == {"%(count)d", "%(total)s", "%(p)s", "%s"}


NAV_LABELS = {
    "Labs": "Laboratori",
    "Projects": "Progetti",
    "Services": "Servizi",
    "Publications": "Pubblicazioni",
    "News": "Notizie",
}


def _navbar(html: str) -> str:
    match = re.search(r'<ul class="navbar-nav">(.*?)</ul>', html, re.S)
    assert match, "main navigation not found"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/", "/en/laboratori/"])
def test_english_pages_have_english_navigation(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html
    labels = re.findall(r"<span>([^<]+)</span>", _navbar(html))
    assert labels == list(NAV_LABELS), (
        f"navbar labels on {path}: {labels} (is the .mo compiled? run make compilemessages)"
    )
    for italian in NAV_LABELS.values():
        assert italian not in labels
    for english, italian in [
        ("Skip to main content", "Vai al contenuto principale"),
        ("Privacy notice", "Informativa privacy"),
        ("Accessibility statement", "Dichiarazione di accessibilità"),
        ("Legal notes", "Note legali"),
    ]:
        assert english in html
        assert italian not in html


@pytest.mark.django_db
def test_italian_navigation_is_unchanged(client):
    labels = re.findall(r"<span>([^<]+)</span>", _navbar(client.get("/").content.decode()))
    assert labels == list(NAV_LABELS.values())
