from django.http import HttpResponse

from core.private_pages import private_page


def test_it_sets_the_three_headers_replacing_earlier_values():
    response = HttpResponse()
    response["Cache-Control"] = "public, max-age=300"

    assert private_page(response) is response
    assert (response["Cache-Control"], response["X-Robots-Tag"], response["Referrer-Policy"]) == (
        "private, no-store",
        "noindex",
        "same-origin",
    )
