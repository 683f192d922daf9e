from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.jobs.models import Job
from aidbridge.jobs.registry import LABELS
from aidbridge.policy import Action, can

RESULT_LABELS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "unchanged": gettext_lazy("Unchanged"),
    "households": gettext_lazy("Households imported"),
    "members": gettext_lazy("Members imported"),
    "rejected": gettext_lazy("Households rejected"),
    # monitoring.screen
    "rows": gettext_lazy("Rows"),
    "matched": gettext_lazy("Rows matched to a member"),
    "unmatched": gettext_lazy("Rows matching no member"),
    "malformed": gettext_lazy("Rows malformed"),
    "out_of_scope": gettext_lazy("Rows outside your area"),
    "new_records": gettext_lazy("New records"),
    "leads_opened": gettext_lazy("Leads opened"),
    "leads_joined": gettext_lazy("Open leads joined"),
}


def access_job(user, job_id) -> Job:
    """Fetch a job the user may see, or raise Http404."""
    job = Job.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or not can(user, Action.JOB_VIEW, job):
        raise Http404("job")
    job.label = LABELS.get(job.kind, job.kind)
    job.result_rows = [
        (RESULT_LABELS.get(key, key), value)
        for key, value in job.result.items()
        if key not in ("errors", "problems", "listed")
    ]
    job.shown_problems = job.result.get("errors", [])[: settings.JOB_PROBLEMS_SHOWN]
    job.problems = job.result.get("problems", len(job.result.get("errors", [])))
    job.problems_note = problems_note(
        job.problems, job.result.get("listed"), len(job.shown_problems)
    )
    return job


def problems_note(found: int, listed: int | None, shown: int) -> str:
    """What of the problems the file and the page hold, when not all of them."""
    if listed is not None and found > listed:
        return _(
            "More than %(n)s problems; the first %(n)s are listed in the file, the "
            "first %(shown)s below."
        ) % {"n": f"{listed:,}", "shown": shown}
    if found > shown:
        return _("The first %(shown)s are listed below, all of them in the file.") % {
            "shown": shown
        }
    return ""
