from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.jobs.models import Job
from aidbridge.jobs.registry import LABELS
from aidbridge.policy import Action, can

RESULT_LABELS = {"created": _("Created"), "updated": _("Updated"),
                 "unchanged": _("Unchanged"), "households": _("Households imported"),
                 "members": _("Members imported"), "rejected": _("Households rejected")}


def access_job(user, job_id) -> Job:
    """Fetch a job the user may see, or raise Http404."""
    job = Job.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or not can(user, Action.JOB_VIEW, job):
        raise Http404("job")
    job.label = LABELS.get(job.kind, job.kind)
    job.result_rows = [(RESULT_LABELS.get(key, key), value) for key, value in job.result.items()
                       if key != "errors"]
    return job
