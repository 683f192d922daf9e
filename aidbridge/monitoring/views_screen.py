"""The screening page: officers upload a department file, screened as a job with progress."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy

from aidbridge.jobs.services import job_start
from aidbridge.monitoring.screening import EVENTS, SOURCE_LABELS
from aidbridge.policy import Action, can
from aidbridge.registry.forms import TableUploadForm


class ScreenForm(TableUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Department file (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per record: source, resident_id, event, amount_yuan, date, note "
            "(English or Chinese headers)."
        ),
    )


@login_required
def screen(request):
    if not can(request.user, Action.MONITORING_SCREEN):
        raise Http404
    form = ScreenForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(
            kind="monitoring.screen",
            by=request.user,
            input_file=form.cleaned_data["file"],
            payload={"encoding": form.cleaned_data["encoding"]},
        )
        return redirect("jobs:detail", job.pk)
    sources = [
        (source, SOURCE_LABELS[source], list(events.items())) for source, events in EVENTS.items()
    ]
    return render(request, "monitoring/screen.html", {"form": form, "sources": sources})
