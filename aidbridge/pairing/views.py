"""Pages of paired assistance: which poor villages still miss one of their five posts, a
village's posts, and the East-West pairings of counties. Region users see those of their
area; officers from township up assign them."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.errors import InvalidInput
from aidbridge.helpers.models import (
    Organization,
    OrganizationKind,
    PairingPost,
    PairingRole,
    RegionPairing,
)
from aidbridge.pages import place_errors
from aidbridge.pairing.selectors import (
    access_village,
    coverage,
    region_pairings,
    village_posts,
    with_missing_roles,
)
from aidbridge.pairing.services import (
    COUNTY,
    pairing_post_end,
    pairing_post_set,
    region_pairing_create,
    region_pairing_end,
)
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import access_region, user_area
from aidbridge.regions.widgets import RegionPicker
from aidbridge.widgets import DateField


class PostForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=PairingRole.choices)
    holder = forms.CharField(label=gettext_lazy("Person or unit"), max_length=200)
    helper = forms.ModelChoiceField(
        Organization.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.TextInput,
        label=gettext_lazy("Helper code"),
        help_text=gettext_lazy("Optional: the short code of a registered helper."),
    )
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    since = DateField(label=gettext_lazy("Since"), initial=timezone.localdate)


class PairingForm(forms.Form):
    helper = forms.ModelChoiceField(
        Organization.objects.filter(kind=OrganizationKind.GOVERNMENT),
        to_field_name="code",
        label=gettext_lazy("Paired city's government unit"),
        help_text=gettext_lazy("Helpers of the kind “Government unit”."),
    )
    county = forms.ModelChoiceField(
        Region.objects.none(),
        to_field_name="code",
        label=gettext_lazy("County"),
        widget=RegionPicker(levels=("county",)),
    )
    since = DateField(label=gettext_lazy("Since"), initial=timezone.localdate)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


def _east_west_url(code: str) -> str:
    return f"{reverse('pairing:east_west')}?{urlencode({'region': code})}"


@login_required
def coverage_page(request):
    area = user_area(request.user, request.GET.get("region", "").strip())
    counts, villages = coverage(area)
    page = Paginator(villages, 25).get_page(request.GET.get("page"))
    page.object_list = with_missing_roles(page.object_list)
    return render(
        request,
        "pairing/coverage.html",
        {"area": area, "counts": counts, "page": page, "query": urlencode({"region": area.code})},
    )


@login_required
def village_page(request, code):
    village = access_village(request.user, code)
    manage = can(request.user, Action.PAIRING_MANAGE, village)
    form = PostForm(request.POST or None) if manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            post = pairing_post_set(by=request.user, village=village, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(role)s: %(holder)s from %(since)s.")
                % {
                    "role": post.get_role_display(),
                    "holder": post.holder,
                    "since": post.since.isoformat(),
                },
            )
            return redirect("pairing:village", village.code)
    posts, former = village_posts(village)
    return render(
        request,
        "pairing/village.html",
        {"village": village, "posts": posts, "former": former, "form": form, "manage": manage},
    )


@login_required
@require_POST
def post_end(request, code, pk):
    village = access_region(request.user, code, Action.PAIRING_MANAGE)
    post = get_object_or_404(PairingPost, pk=pk, village=village)
    try:
        pairing_post_end(by=request.user, post=post, until=timezone.localdate())
    except InvalidInput as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.errors))
    else:
        messages.success(request, _("The post has ended."))
    return redirect("pairing:village", village.code)


@login_required
def east_west(request):
    area = user_area(request.user, request.GET.get("region", "").strip())
    form = None
    if can(request.user, Action.PAIRING_MANAGE, area):
        counties = Region.objects.filter(level=COUNTY, path__startswith=area.path)
        if counties.exists():
            form = PairingForm(request.POST or None, counties=counties)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            region_pairing_create(by=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Pairing added."))
            return redirect(_east_west_url(area.code))
    page = Paginator(region_pairings(area), 25).get_page(request.GET.get("page"))
    for pairing in page:
        pairing.can_end = pairing.until is None and can(
            request.user, Action.PAIRING_MANAGE, pairing.county
        )
    return render(
        request,
        "pairing/east_west.html",
        {"area": area, "page": page, "form": form, "query": urlencode({"region": area.code})},
    )


@login_required
@require_POST
def pairing_end(request, pk):
    pairing = get_object_or_404(RegionPairing.objects.select_related("county"), pk=pk)
    if not can(request.user, Action.PAIRING_MANAGE, pairing.county):
        raise Http404("pairing")
    try:
        region_pairing_end(by=request.user, pairing=pairing, until=timezone.localdate())
    except InvalidInput as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.errors))
    else:
        messages.success(request, _("The pairing has ended."))
    return redirect(_east_west_url(request.POST.get("region", "")))
