"""Template helpers of the catalogue, publications and news pages: responsive images and the search-rank note.

{% load catalogue %}
{% responsive_image project.image project.image_alt "320,640,960" "(min-width: 992px) 33vw, 100vw" %}
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join

from projects.thumbnails import thumbnails

register = template.Library()


@register.simple_tag
def responsive_image(image_field, alt: str, widths: str = "320,640,960", sizes: str = "100vw", css: str = "img-fluid"):
    """<picture> with a WebP and a JPEG srcset, width/height (no layout shift) and lazy loading; empty without image.

    ``alt`` comes from the model's *_alt field, which the admin requires whenever an image is uploaded.
    """
    chosen = []
    for raw in str(widths).split(","):
        width = int(raw)
        made = thumbnails(image_field, width)
        if made is None:
            return ""
        chosen.append(made)
    # Widths larger than the original produce the same file: keep each actual size once.
    unique = {made["jpeg"].width: made for made in chosen}
    ordered = [unique[width] for width in sorted(unique)]
    webp = format_html_join(", ", "{} {}w", ((m["webp"].url, m["webp"].width) for m in ordered))
    jpeg = format_html_join(", ", "{} {}w", ((m["jpeg"].url, m["jpeg"].width) for m in ordered))
    fallback = ordered[-1]["jpeg"]
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" class="{}" loading="lazy" decoding="async">'
        "</picture>",
        webp,
        sizes,
        fallback.url,
        jpeg,
        sizes,
        fallback.width,
        fallback.height,
        alt or "",
        css,
    )
