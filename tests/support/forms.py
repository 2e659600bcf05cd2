"""Submit an admin page's form the way a browser does: every field with the value the page shows (checked boxes,
selected options, textareas, hidden management-form fields), then the changes a test makes on top.

Tests of admin change forms and inline formsets use it so the POST is exactly what staff would send, including
Django's management form and the boxes that are ticked by default."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormFields(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.data: dict[str, list[str]] = {}
        self._select: tuple[str, bool] | None = None  # (name, multiple)
        self._select_first: str | None = None
        self._select_chosen = False
        self._option: str | None = None
        self._option_text: list[str] = []
        self._textarea: str | None = None
        self._textarea_text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.in_form = True
            return
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
                return
            self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs)
            self._select_first = None
            self._select_chosen = False
        elif tag == "option" and self._select:
            value = attrs.get("value")
            self._option = value
            self._option_text = []
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._select_chosen = True
                self._add(self._select[0], value if value is not None else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._textarea_text = []

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form = False
        elif tag == "select" and self._select:
            name, multiple = self._select
            if not self._select_chosen and not multiple and self._select_first is not None:
                self._add(name, self._select_first)  # a browser sends the first option of a single select
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline right after <textarea>.
            self._add(self._textarea, "".join(self._textarea_text).removeprefix("\n"))
            self._textarea = None


def form_data(html: str, form_id: str | None = None, **changes) -> dict:
    """The fields of the page's form (the first <form>, or the one with `form_id`), updated with `changes`.

    A change to None removes the field (an unticked box); a list sets several values."""
    parser = _FormFields(form_id)
    parser.feed(html)
    data: dict = {name: values if len(values) > 1 else values[0] for name, values in parser.data.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data
