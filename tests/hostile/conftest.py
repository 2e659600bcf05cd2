"""Shared machinery of the hostile-input suite: sending a payload without the client "fixing" it, and the three checks
every response must pass (no 5xx, nothing reflected unescaped, a clear message when the input is refused)."""

from __future__ import annotations

import copy
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.hostile.payloads import Payload

HTML_ERROR_MARKERS = ('role="alert"', "invalid-feedback", "errorlist", "alert-danger", "alert-warning", "is-invalid")


def encode(payload: Payload) -> str:
    """Percent-encode a payload for a query string or form body; lone surrogates become invalid UTF-8 bytes on purpose."""
    if payload.raw:
        return payload.value
    return quote(payload.value.encode("utf-8", "surrogatepass"), safe="")


def query_string(params: dict[str, Payload | str]) -> str:
    parts = []
    for name, value in params.items():
        encoded = encode(value) if isinstance(value, Payload) else quote(value, safe="")
        parts.append(f"{name}={encoded}")
    return "&".join(parts)


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", "replace")


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def assert_safe(response, payload: Payload, *, where: str) -> str:
    """No server error and no verbatim reflection in HTML. Returns the decoded body for further checks."""
    body = body_of(response)  # consumes streaming responses: an error while streaming must surface here
    assert response.status_code < 500, f"{where}: HTTP {response.status_code} for {payload.id} {payload.value[:80]!r}"
    if is_html(response) and payload.dangerous_markup:
        assert payload.value not in body, f"{where}: {payload.id} reflected unescaped"
    for header, value in response.items():
        assert "\n" not in value and "\r" not in value, f"{where}: header {header} carries a line break"
        assert "7331" not in header.lower(), f"{where}: injected header {header}"
    return body


def assert_clear_error(response, body: str, *, where: str) -> None:
    if is_html(response):
        assert any(marker in body for marker in HTML_ERROR_MARKERS), f"{where}: input refused without a visible reason"
    else:
        assert body.strip(), f"{where}: input refused with an empty answer"


@pytest.fixture(scope="module", autouse=True)
def _cached_templates():
    """Compile each template once, as production does. The local .env sets DEBUG=1, which makes settings pick the
    non-caching loaders, and re-parsing base.html on every one of these thousands of requests would triple the run."""
    engine = copy.deepcopy(settings.TEMPLATES[0])
    loaders = engine["OPTIONS"]["loaders"]
    if not (loaders and isinstance(loaders[0], tuple)):
        engine["OPTIONS"]["loaders"] = [("django.template.loaders.cached.Loader", loaders)]
    with override_settings(TEMPLATES=[engine, *settings.TEMPLATES[1:]]):
        yield


@pytest.fixture(scope="module")
def hostile_client():
    """One test client per module, answering 500 like the real server instead of raising (the check counts 5xx).

    One per module, not per test: each new client builds the middleware chain again, and whitenoise then indexes
    every static file (about a quarter of a second each time)."""
    return Client(raise_request_exception=False)


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One data set for a whole module (thousands of requests, one setup), rolled back when the module ends.

    Each test's own transaction nests inside as a savepoint, so tests stay isolated from each other."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class FormFields(HTMLParser):
    """The submittable fields of the first form with ``method=post`` (or of the form with a given id): name → value,
    plus the field types, so a test can fill a real form the way a browser would."""

    def __init__(self, form_id: str | None = None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.done = False
        self.values: dict[str, list[str]] = {}
        self.types: dict[str, str] = {}
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self.done:
            wanted = (
                attributes.get("id") == self.form_id if self.form_id else attributes.get("method", "").lower() == "post"
            )
            self.in_form = wanted
            return
        if not self.in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            self.types.setdefault(name, kind)
            if kind in {"checkbox", "radio"}:
                self.options.setdefault(name, []).append(attributes.get("value", "on"))
                if "checked" in attributes:
                    self.values.setdefault(name, []).append(attributes.get("value", "on"))
            elif kind not in {"submit", "button", "image", "reset"}:
                self.values.setdefault(name, []).append(attributes.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.types[name] = "select-multiple" if "multiple" in attributes else "select"
            self.values.setdefault(name, [])
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            self.options.setdefault(self._select, []).append(value)
            if "selected" in attributes:
                self.values[self._select].append(value)
        elif tag == "textarea" and name:
            self._textarea = name
            self.types[name] = "textarea"
            self.values.setdefault(name, []).append("")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                # The HTML parser drops one newline right after <textarea>; Django renders one there.
                value = self.values[self._textarea][-1]
                self.values[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "form" and self.in_form:
            self.in_form = False
            self.done = True


def parse_form(html: str, form_id: str | None = None) -> FormFields:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser


def urlencoded(fields: dict[str, list[str] | str | Payload]) -> bytes:
    """An application/x-www-form-urlencoded body built by hand: payloads keep their invalid bytes."""
    parts = []
    for name, value in fields.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            encoded = encode(item) if isinstance(item, Payload) else quote(str(item), safe="")
            parts.append(f"{quote(name, safe='')}={encoded}")
    return "&".join(parts).encode("ascii")


FORM = "application/x-www-form-urlencoded"


def post_form(client, url: str, fields: dict, payload: Payload, *, where: str):
    """POST urlencoded fields; returns (response, body), or None when Django refused the body as too large before any
    view ran (RequestDataTooBig answers the generic 400 page: there is no form to annotate)."""
    data = urlencoded(fields)
    response = client.post(url, data, content_type=FORM)
    body = assert_safe(response, payload, where=where)
    if len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        assert response.status_code == 400, where
        return None
    return response, body
