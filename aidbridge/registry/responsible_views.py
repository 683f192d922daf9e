"""Pages that assign and end a household's responsible helpers, for whoever may edit the
household; the household's page lists them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.helpers.models import Organization
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can, users_in_scope
from aidbridge.registry.models import Household, ResponsibleHelper
from aidbridge.registry.responsible import responsible_helper_assign, responsible_helper_end
from aidbridge.registry.selectors import access_household
from aidbridge.registry.services import max_lengths
from aidbridge.widgets import DateField

LENGTHS = max_lengths(ResponsibleHelper)


class ResponsibleHelperForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=LENGTHS["name"])
    work_unit = forms.CharField(
        label=gettext_lazy("Work unit"), max_length=LENGTHS["work_unit"], required=False
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"), max_length=LENGTHS["phone"], required=False
    )
    helper = forms.ModelChoiceField(
        Organization.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.TextInput,
        label=gettext_lazy("Helper code"),
        help_text=gettext_lazy(
            "Optional: the short code of the registered helper the person acts for."
        ),
    )
    user = forms.ModelChoiceField(
        User.objects.none(),
        to_field_name="username",
        required=False,
        widget=forms.TextInput,
        label=gettext_lazy("Account"),
        help_text=gettext_lazy("Optional: the person's username on this platform."),
    )
    since = DateField(label=gettext_lazy("Since"), initial=timezone.localdate)

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users_in_scope(by)


def _editable(user, public_id) -> Household:
    """A household the user may edit, or Http404."""
    household = access_household(user, public_id)
    if not can(user, Action.HOUSEHOLD_REGISTER, household.village):
        raise Http404("household")
    return household


def _helpers_url(household: Household) -> str:
    return f"{reverse('registry:detail', args=[household.public_id])}#helpers"


@login_required
def responsible_new(request, public_id):
    household = _editable(request.user, public_id)
    form = ResponsibleHelperForm(request.POST or None, by=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = responsible_helper_assign(
                by=request.user, household=household, **form.cleaned_data
            )
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is responsible for the household from %(since)s.")
                % {"name": assignment.name, "since": assignment.since.isoformat()},
            )
            return redirect(_helpers_url(household))
    return render(request, "registry/responsible_new.html", {"household": household, "form": form})


@login_required
@require_POST
def responsible_end(request, public_id, pk):
    household = _editable(request.user, public_id)
    assignment = get_object_or_404(household.responsible_helpers, pk=pk)
    try:
        responsible_helper_end(by=request.user, assignment=assignment, until=timezone.localdate())
    except InvalidInput as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.errors))
    else:
        messages.success(
            request,
            _("%(name)s is no longer responsible for the household.") % {"name": assignment.name},
        )
    return redirect(_helpers_url(household))
