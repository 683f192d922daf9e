from django.utils.translation import gettext_lazy as _

from aidbridge.jobs.registry import job_handler


@job_handler("monitoring.screen", _("Screen department data"))
def screen_file_job(job, progress) -> dict:
    from aidbridge.monitoring.department import screen_file  # polars: only when screening

    with job.input_file.open("rb") as f:
        data = f.read()
    return screen_file(
        data=data,
        filename=job.payload.get("filename", job.input_file.name),
        by=job.created_by,
        encoding=job.payload.get("encoding", ""),
        progress=progress,
    )
