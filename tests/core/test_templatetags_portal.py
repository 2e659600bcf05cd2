"""core/templatetags/portal.py: amounts in euro as each language writes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from core.templatetags.portal import format_euro


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("it", Decimal("31144694.91"), "31.144.694,91\u00a0€"),
        ("it", 525000, "525.000,00\u00a0€"),
        ("it", Decimal("-12.5"), "-12,50\u00a0€"),
        ("en", Decimal("31144694.91"), "€31,144,694.91"),
        ("en", 525000, "€525,000.00"),
        ("en", Decimal("0.004"), "€0.00"),
    ],
)
def test_euro_in_each_language(language, value, expected):
    with translation.override(language):
        assert format_euro(value) == expected


def test_no_amount_is_no_text():
    assert format_euro(None) == ""


def test_icons_follow_the_static_settings(settings):
    from core.templatetags.portal import icon

    settings.STATIC_URL = "/statici/"
    assert 'href="/statici/vendor/bootstrap-italia/svg/sprites.svg#it-search"' in icon("it-search")
    settings.STATIC_URL = "/altri/"
    assert 'href="/altri/vendor/bootstrap-italia/svg/sprites.svg#it-search"' in icon("it-search")


def test_page_links_are_what_querystring_writes_elided_around_the_current_page(rf):
    from django.core.paginator import Paginator
    from django.template import Context, RequestContext, Template

    request = rf.get("/progetti/", {"area": "welfare", "page": "10", "stato": "ongoing"})
    page_obj = Paginator(range(500), 20).page(10)
    links = Template("{% load portal %}{% page_links page_obj as links %}{{ links.previous }}|{{ links.next }}").render(
        Context({"request": request, "page_obj": page_obj})
    )
    expected = Template("{% querystring page=9 %}|{% querystring page=11 %}").render(RequestContext(request))
    assert links == expected == "?area=welfare&amp;page=9&amp;stato=ongoing|?area=welfare&amp;page=11&amp;stato=ongoing"
    from core.templatetags.portal import page_links

    pages = page_links({"request": request}, page_obj).pages
    gap = Paginator.ELLIPSIS
    assert [number for number, _href in pages] == [1, 2, gap, 7, 8, 9, 10, 11, 12, 13, gap, 24, 25]
    assert dict(pages)[10] == "?area=welfare&page=10&stato=ongoing"
    assert dict(pages)[gap] == ""


@pytest.mark.parametrize(
    "query",
    ["", "page=3", "area=welfare", "page=3&area=welfare", "area=welfare&page=3&q=a+b%26c&q=d", "x=%C3%A8&page=abc"],
)
def test_page_links_keep_the_page_parameter_where_querystring_keeps_it(rf, query):
    from django.core.paginator import Paginator
    from django.template import RequestContext, Template

    from core.templatetags.portal import page_links

    request = rf.get("/progetti/?" + query)
    links = page_links({"request": request}, Paginator(range(100), 10).page(3))
    expected = [
        Template(f"{{% querystring page={number} %}}").render(RequestContext(request)).replace("&amp;", "&")
        for number in (2, 4)
    ]
    assert [links.previous, links.next] == expected
