"""Form fields shared by every app's forms."""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (YYYY-MM-DD), whatever the language:
    a ``type=date`` input rejects anything else (Chinese formats give ``2026/12/04``)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=ISO_DATE)


class DateField(forms.DateField):
    """A date field shown by ``DateInput``; every form's dates use it."""

    widget = DateInput
