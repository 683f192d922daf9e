from django.utils.translation import gettext_lazy as _

from aidbridge.jobs.registry import job_handler
from aidbridge.registry.importer import import_households


@job_handler("households.import", _("Import households"))
def import_households_job(job, progress) -> dict:
    with job.input_file.open("rb") as f:
        data = f.read()
    return import_households(
        by=job.created_by,
        data=data,
        filename=job.payload.get("filename", job.input_file.name),
        encoding=job.payload.get("encoding", ""),
        progress=progress,
    )
