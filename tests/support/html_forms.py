"""A form read from a page the way a browser submits it, so admin tests post exactly what staff would post, whatever
fields the admin form grows."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.data = form_id, False, {}
        self._select = self._textarea = self._first = None
        self._multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data[attrs["name"]] = attrs.get("value", "on")
                return
            self.data[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self._select, self._multiple, self._first = attrs["name"], "multiple" in attrs, None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._multiple:
                if "selected" in attrs:
                    self.data.setdefault(self._select, []).append(value)
            elif "selected" in attrs:
                self.data[self._select] = value
            elif self._first is None:
                self._first = value  # a single select with nothing selected submits its first option
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            if self._select and not self._multiple and self._select not in self.data and self._first is not None:
                self.data[self._select] = self._first
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n")


def form_data(html: str, form_id: str) -> dict[str, str | list[str]]:
    """What a browser would post for the form `form_id` as the page shows it (checked boxes, selected options)."""
    parser = _FormFields(form_id)
    parser.feed(html)
    return parser.data
