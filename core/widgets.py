"""Form widgets with the same HTML as Django's, built in Python where Django's templates are measurably slow."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: order kept, True as a bare name, False left out."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(format_html(" {}", name))
        elif value is not False:
            parts.append(format_html(' {}="{}"', name, value))
    return "".join(parts)


class FastInputMixin:
    """An <input> rendered without templates: the same bytes as input.html and attrs.html.

    The catalogue's filter form has four inputs; through Django's templates they cost about as much as the rest of the
    page's template work on a page that is not cached (docs/performance.md, section 4).
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            shown,
            mark_safe(_attrs(widget["attrs"])),  # noqa: S308 - built by format_html
        )


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


FAST_WIDGETS: dict[type, type] = {forms.TextInput: FastTextInput, forms.NumberInput: FastNumberInput}

RENDERED_SELECTS_MAX = 512
_rendered_selects: dict[tuple, SafeString] = {}


def _choices_key(choices) -> tuple:
    """The choices as a hashable key, labels as text (a lazy label reads the active language)."""
    return tuple(
        (value, _choices_key(label) if isinstance(label, list | tuple) else str(label)) for value, label in choices
    )


class FastSelect(forms.Select):
    """django.forms.Select, rendered without templates: the same bytes as select.html and select_option.html.

    Django's version renders one template per option, and the catalogue's filters have dozens of options on every
    page that is not cached (why and how much: docs/performance.md). tests/core/test_widgets.py compares the output
    with Django's own widget; projects/filters.py is the one place that swaps it in.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if not isinstance(self.choices, list):
            return self._render(name, value, attrs)  # an iterator (a queryset's choices) would be read twice
        # The output is a function of these inputs only, and a select is shown with few distinct values (a page of the
        # catalogue not seen before still shows an area, a status, a programme already shown on other pages): keep
        # what was built. Labels are part of the key as text in the active language.
        key = (
            name,
            repr(value),
            tuple(sorted({**self.attrs, **(attrs or {})}.items())),
            _choices_key(self.choices),
            get_language(),
        )
        html = _rendered_selects.get(key)
        if html is None:
            html = self._render(name, value, attrs)
            if len(_rendered_selects) >= RENDERED_SELECTS_MAX:
                _rendered_selects.clear()  # a crude bound, enough for the few selects of the public filters
            _rendered_selects[key] = html
        return html

    def _render(self, name, value, attrs) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                html.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attrs(option["attrs"])),  # noqa: S308 - built by format_html above
                        option["label"],
                    )
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 - every part is escaped by format_html
