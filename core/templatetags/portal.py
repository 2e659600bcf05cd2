"""Template helpers shared by every page: Bootstrap Italia icons, Italian money and time ranges, localized fields."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.models import localized as _localized

register = template.Library()


@functools.cache
def _sprite_url() -> str:
    # One manifest lookup per process instead of one per icon (a page has ten or more): the hashed name cannot change
    # while the process runs. Cleared when a test changes the static settings.
    return static("vendor/bootstrap-italia/svg/sprites.svg")


@receiver(setting_changed)
def _forget_sprite_url(*, setting: str, **kwargs) -> None:
    if setting.startswith("STATIC") or setting == "STORAGES":
        _sprite_url.cache_clear()


@register.simple_tag
def icon(name: str, css: str = "", title: str = "") -> str:
    """<svg class="icon"><use href="…/sprites.svg#it-calendar"></svg>, decorative unless a title is given."""
    href = f"{_sprite_url()}#{name}"
    if title:
        return format_html(
            '<svg class="icon {}" role="img" aria-label="{}"><use href="{}"></use></svg>', css, title, href
        )
    return format_html(
        '<svg class="icon {}" aria-hidden="true" focusable="false"><use href="{}"></use></svg>', css, href
    )


def format_euro(value: Decimal | int | float | None) -> str:
    """8739950 -> "8.739.950,00 €" in Italian, "€8,739,950.00" in English: an English reader takes "31.144.694,91"
    for thirty-one thousand (the walk-through of issue 12 read the home page's total that way)."""
    if value is None:
        return ""
    amount = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    integer, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while integer:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    if (translation.get_language() or "it").startswith("en"):
        return f"{sign}€{','.join(groups)}.{cents}"
    return f"{sign}{'.'.join(groups)},{cents}\u00a0€"


@register.filter
def euro(value) -> str:
    return format_euro(value)


@register.filter
def localized(obj, field: str) -> str:
    return _localized(obj, field)


@register.simple_tag
def lang_fallback(obj, field: str) -> str:
    """' lang="it"' for the element that shows ``obj.<field>`` when that text is Italian on a page in another language.

    Untranslated content falls back to Italian (see ``localized``) inside ``<html lang="en">``; without the attribute
    screen readers read it with English pronunciation (WCAG 2.1 SC 3.1.2, Language of Parts, which axe-core cannot
    check). A field without an English column is always Italian. Needs no request, so it
    also works in fragments rendered outside one (the cached catalogue cards). ``obj`` may be empty (optional include
    arguments): nothing is output then.
    """
    language = translation.get_language() or "it"
    if not obj or language.startswith("it"):
        return ""
    # The translation is read first, as localized() does: a deferred Italian column is not loaded for nothing.
    if language.startswith("en") and getattr(obj, f"{field}_en", ""):
        return ""
    if not getattr(obj, field, ""):
        return ""
    return mark_safe(' lang="it"')


@register.simple_tag
def time_range(starts_at, ends_at) -> str:
    """ "9:30–13:30" in local time (en dash, 24 h)."""
    if starts_at is None:
        return ""
    start = formats.time_format(timezone.localtime(starts_at), "TIME_FORMAT")
    if ends_at is None:
        return start
    return f"{start}–{formats.time_format(timezone.localtime(ends_at), 'TIME_FORMAT')}"


@register.simple_tag(takes_context=True)
def language_url(context, language_code: str) -> str:
    """The current page in another language (the ITA/ENG switch keeps the page, and its query string)."""
    request = context.get("request")
    if request is None:
        return "/" if language_code == "it" else f"/{language_code}/"
    # Every page asks twice per language (hreflang links, ITA/ENG switch): compute once. The request was resolved
    # already, so reverse its match in the other language instead of letting translate_url() resolve the path again.
    urls = request.__dict__.setdefault("_language_urls", {})
    if language_code not in urls:
        match = request.resolver_match
        if match is None or not match.url_name:
            urls[language_code] = translate_url(request.get_full_path(), language_code)
        else:
            with translation.override(language_code):
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            query = request.get_full_path().partition("?")[2]
            urls[language_code] = f"{url}?{query}" if query else url
    return urls[language_code]


@register.simple_tag(takes_context=True)
def nav_current(context, url: str) -> bool:
    """True when the request is inside the section ``url`` (the navbar marks it with aria-current)."""
    request = context.get("request")
    return bool(request and url and request.path.startswith(url))


@register.simple_tag(takes_context=True)
def nav_section(context, *urls: str) -> str:
    """The ``urls`` the request is inside, joined: all the navbar's highlighting depends on, so the rendered navbar can
    be kept per language and section (templates/base.html)."""
    return " ".join(url for url in urls if nav_current(context, url))


@register.simple_tag
def crumbs(*args) -> list[tuple[str, str]]:
    """{% crumbs "Progetti" projects_url project.display_title "" as trail %}: label/url pairs for the breadcrumbs."""
    return [(str(args[i]), args[i + 1] if i + 1 < len(args) else "") for i in range(0, len(args), 2)]


_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data) -> str:
    """<script type="application/ld+json"> with the data escaped like json_script (no "</script>" can break out).
    JSON-LD is data, not code: browsers do not execute it, so a strict CSP does not block it."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 - escaped above


def _local(value):
    return timezone.localtime(value) if getattr(value, "tzinfo", None) else value


@register.filter
def datetime_attr(value) -> str:
    """The value of a <time datetime> attribute: "2026-12-02T09:30:00+01:00" in local time, whole seconds. Django's
    date:"c" keeps microseconds, and HTML allows at most 3 fractional digits (the Nu checker refuses 6). A date
    stays a date ("2026-12-02")."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return value.isoformat() if isinstance(value, datetime.date) else ""
    return _local(value).replace(microsecond=0).isoformat()


@register.filter
def absolute_url(path) -> str:
    """ "/laboratori/beni/" -> "https://<SITE_URL>/laboratori/beni/". Canonical links, hreflang alternates and sharing
    tags are built from SITE_URL, never from the request's Host header (which a client chooses)."""
    path = str(path or "")
    if path.startswith(("http://", "https://")):
        return path
    return f"{settings.SITE_URL}{path}"


@dataclass(frozen=True)
class PageLinks:
    previous: str  # "" on the first page
    next: str  # "" on the last page
    pages: list[tuple[int | str, str]]  # (number, href); the ellipsis has an empty href


def _encoded(query, names: list[str]) -> str:
    part = query.copy()
    for name in list(part):
        if name not in names:
            del part[name]
    return part.urlencode()


@register.simple_tag(takes_context=True)
def page_links(context, page_obj) -> PageLinks:
    """The pagination's hrefs, as {% querystring page=N %} writes them (every other parameter kept, in its place), with
    the other parameters encoded once for all of them instead of once per link (docs/performance.md, section 8). The
    pages are elided around the current one."""
    # What urlencode() writes for the other parameters, before and after "page" (kept in its place, else last).
    query = context["request"].GET
    names = list(query)
    at = names.index("page") if "page" in names else len(names)
    before = _encoded(query, names[:at])
    after = _encoded(query, names[at + 1 :])

    def href(number: int) -> str:
        return "?" + "&".join(part for part in (before, f"page={number}", after) if part)

    paginator = page_obj.paginator
    pages = [
        (number, "" if number == paginator.ELLIPSIS else href(number))
        for number in paginator.get_elided_page_range(page_obj.number)
    ]
    return PageLinks(
        previous=href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        next=href(page_obj.next_page_number()) if page_obj.has_next() else "",
        pages=pages,
    )
