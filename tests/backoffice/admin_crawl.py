"""Walk the back-office as a role would: every admin page reachable by links from the index, and the words on it.

Used by the Italian-admin scan (tests/backoffice/test_admin_language.py) and by the axe run in Chromium
(tests/e2e/test_admin_accessibility.py), so that both look at the same pages: whatever a person of that role can reach
by clicking, not a hand-kept list that forgets the pages added later.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

# Links that change state on GET, log out, download files, or multiply pages without adding a new kind of page.
SKIP = re.compile(
    r"/logout/|/delete/$|/export|\.csv$|\.xlsx$|\.pdf$|\.ics$|/jsi18n/|/autocomplete/|/password/|/r/\d+/\d+/$"
)
# A changelist can link to hundreds of objects: a few of each kind show every kind of change page.
PER_PATTERN = 3


class _Page(HTMLParser):
    """The visible words of a page (text, and the attributes a person reads: title, aria-label, placeholder, the
    value of a button) and its links."""

    # A textarea holds content (English text of a lab included), not the admin's own words.
    SKIPPED = {"script", "style", "template", "textarea"}
    READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
    RAW_VALUES = {"None", "True", "False"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.links: list[str] = []
        self._skipping = 0
        self._readonly_div: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skipping += 1
        values = dict(attrs)
        if tag == "div":
            self._readonly_div.append("readonly" in (values.get("class") or "").split())
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        for name in self.READ_ATTRIBUTES:
            if values.get(name):
                self.words.append(values[name])
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.words.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skipping:
            self._skipping -= 1
        if tag == "div" and self._readonly_div:
            self._readonly_div.pop()

    def handle_data(self, data):
        if self._skipping or not data.strip():
            return
        # A read-only field shows content (a lab's English text, say); only a raw Python value there is the admin's.
        if any(self._readonly_div) and data.strip() not in self.RAW_VALUES:
            return
        self.words.append(" ".join(data.split()))


def read_page(html: str) -> tuple[str, list[str]]:
    parser = _Page()
    parser.feed(html)
    return "\n".join(parser.words), parser.links


def _pattern(path: str) -> str:
    return re.sub(r"/\d+/", "/<id>/", path)


def admin_pages(
    client, *, start: str = "/admin/", limit: int = 400, per_pattern_limit: int = PER_PATTERN
) -> dict[str, str]:
    """Every HTML admin page reachable from ``start`` by links, as {path: visible text}; at most PER_PATTERN pages of
    each URL pattern (e.g. /admin/labs/lab/<id>/change/, ``per_pattern_limit``) and ``limit`` pages in all."""
    seen: dict[str, str] = {}
    per_pattern: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            seen[path] = ""
            continue
        text, links = read_page(response.content.decode())
        seen[path] = text
        for link in links:
            parts = urlsplit(urldefrag(link)[0])
            if parts.scheme or parts.netloc or parts.query or not parts.path.startswith("/admin/"):
                continue
            target = parts.path
            if target in seen or target in queue or SKIP.search(target):
                continue
            pattern = _pattern(target)
            if per_pattern.get(pattern, 0) >= per_pattern_limit:
                continue
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            queue.append(target)
    return {path: text for path, text in seen.items() if text}
