from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from aidbridge.audit import history_rows
from aidbridge.errors import InvalidInput
from aidbridge.jobs.services import job_start
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region, region_pick
from aidbridge.uploads import CSV, check_upload


class RegionFileForm(forms.Form):
    file = forms.FileField(
        label=_("Regions CSV file"),
        help_text=_("UTF-8 CSV with columns code, parent_code, level, name_zh, name_en."),
    )

    def clean_file(self):
        try:
            return check_upload(
                self.cleaned_data["file"],
                field="file",
                label=_("The file"),
                accept=CSV,
                max_bytes=settings.IMPORT_MAX_BYTES,
            )
        except InvalidInput as exc:
            raise forms.ValidationError(exc.errors[0]["message"]) from exc


@login_required
def history(request, code):
    region = access_region(request.user, code, Action.REGION_HISTORY)
    return render(request, "audit/history.html", {"rows": history_rows(region)})


@login_required
def load(request):
    if not can(request.user, Action.REGIONS_LOAD):
        raise Http404
    form = RegionFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(kind="regions.load", by=request.user, input_file=form.cleaned_data["file"])
        return redirect("jobs:detail", job.pk)
    return render(request, "regions/load.html", {"form": form})


def pick(request):
    """Suggestions for a region picker (regions.widgets.RegionPicker): <option>s of the
    regions the user may pick that match what the field named ``field`` holds (its last
    word, for a field of several codes, whose other words each option keeps). Region names
    and codes are public, so a helper signing up uses it too."""
    typed = request.GET.get(request.GET.get("field", "q"), "")
    words = (typed.replace(",", " ").split() if request.GET.get("multiple") else [typed]) or [""]
    kept = " ".join(words[:-1]) + " " if len(words) > 1 else ""
    levels = [level for level in request.GET.get("levels", "").split(",") if level]
    regions = region_pick(request.user, words[-1], levels)
    return render(request, "regions/_pick.html", {"regions": regions, "kept": kept})
