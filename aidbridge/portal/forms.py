"""The helpers' sign-up form. It parses input; helpers.services.helper_register decides the
rest."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aidbridge.categories import Category
from aidbridge.helpers.models import OrganizationKind
from aidbridge.regions.models import Region
from aidbridge.regions.widgets import RegionPicker

LEVELS = [key for key, _label in settings.REGION_LEVELS]


class JoinForm(forms.Form):
    name_zh = forms.CharField(label=_("Name in Chinese"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganizationKind.choices)
    registration_number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        required=False,
        help_text=_("The unified social credit code; individuals leave it empty"),
    )
    government_background = forms.BooleanField(label=_("Government background"), required=False)
    social_enterprise = forms.BooleanField(label=_("Social enterprise"), required=False)
    fields_of_work = forms.MultipleChoiceField(
        label=_("Fields of work"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.CharField(
        label=_("Region"),
        max_length=24,
        help_text=_("Where you are registered or live: a county, township or village"),
        widget=RegionPicker(levels=("county", "township", "village")),
    )
    description = forms.CharField(
        label=_("About you"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    username = forms.CharField(label=_("Username"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    document = forms.FileField(
        label=_("Registration certificate"),
        required=False,
        help_text=_(
            "A photo or PDF of the registration certificate (an individual: of the ID card), "
            "for the verifying officers only; more can be added on the helper's page"
        ),
    )

    def clean_region(self) -> Region:
        region = Region.objects.filter(code=self.cleaned_data["region"].strip()).first()
        if region is None or LEVELS.index(region.level) < LEVELS.index("county"):
            raise forms.ValidationError(_("Enter the code of a county, township or village."))
        return region
