from django.utils.translation import gettext_lazy as _

from aidbridge.jobs.registry import job_handler
from aidbridge.matching.models import Round
from aidbridge.matching.services import round_fail, round_run


@job_handler("matching.round", _("Matching round"))
def matching_round_job(job, progress) -> dict:
    found = Round.objects.select_related("region").get(public_id=job.payload["round"])
    try:
        return round_run(found, progress)
    except Exception:
        round_fail(found)
        raise
