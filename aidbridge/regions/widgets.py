"""The region picker: one text input for every form that names a region. The user types a
code or part of a name; the server suggests matching regions of the user's area in a
<datalist> (htmx fills it from /regions/pick/ as they type, no script of our own), and the
input submits the code, so a typed code works as before."""

from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.html import format_html


class RegionPicker(forms.TextInput):
    """``levels``: the levels offered (all if empty); ``multiple``: the input holds several
    codes separated by spaces, and a suggestion completes the last one."""

    endpoint = "regions:pick"

    def __init__(self, levels=(), *, multiple=False, attrs=None):
        self.levels, self.multiple = tuple(levels), multiple
        super().__init__(attrs)

    def query(self, name) -> dict:
        return {
            "field": name,
            **({"levels": ",".join(self.levels)} if self.levels else {}),
            **({"multiple": "1"} if self.multiple else {}),
        }

    def request_attrs(self, name, url) -> dict:
        return {"hx-get": url}

    def _options_id(self, name, attrs) -> str:
        return f"{(attrs or {}).get('id') or 'id_' + name}-options"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = self._options_id(name, context["widget"]["attrs"])
        url = f"{reverse(self.endpoint)}?{urlencode(self.query(name))}"
        context["widget"]["attrs"].update(
            {
                "list": options,
                "autocomplete": "off",
                **self.request_attrs(name, url),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{options}",
                "hx-sync": "this:replace",
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', field, self._options_id(name, attrs))
