from django.utils.translation import gettext_lazy as _

from aidbridge.jobs.registry import job_handler
from aidbridge.regions.services import read_region_csv, regions_load


@job_handler("regions.load", _("Load regions"))
def load_regions_job(job, progress) -> dict:
    with job.input_file.open("rb") as f:
        rows = read_region_csv(f.read())
    return regions_load(rows=rows, progress=progress)
