from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aidbridge.accounts.models import REGION_ROLES, Role
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.regions.widgets import RegionPicker

REGION_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in REGION_ROLES]


class RegionCodeField(forms.CharField):
    """A region typed by its code, limited to regions the manager may assign."""

    def __init__(self, *, manager, **kwargs):
        self.manager = manager
        super().__init__(max_length=24, widget=RegionPicker(), **kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(
                _("No region has the code %(code)s."), params={"code": code}
            )
        if not can(self.manager, Action.REGION_VIEW, region):
            raise forms.ValidationError(
                _("Region %(code)s is outside your area."), params={"code": code}
            )
        return region


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=REGION_ROLE_CHOICES)
    password = forms.CharField(
        label=_("Initial password"), widget=forms.PasswordInput, min_length=8
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionCodeField(
            manager=manager,
            label=_("Region code"),
            help_text=_("A region below your own, e.g. a village code for a village clerk."),
        )
        self.order_fields(["username", "display_name", "phone", "role", "region", "password"])


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=REGION_ROLE_CHOICES)

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionCodeField(manager=manager, label=_("Region code"))
        self.order_fields(["display_name", "phone", "role", "region"])


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("As my browser asks")), *settings.LANGUAGES],
        required=False,
        help_text=_("Of the pages after logging in, and of the notifications you receive."),
    )


class CodeForm(forms.Form):
    """The six digits an authenticator app (TOTP) shows."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
