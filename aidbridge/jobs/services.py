"""Start jobs and run them. The task only calls ``job_run``; handlers do the work."""

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation

from aidbridge.errors import InvalidInput
from aidbridge.jobs.models import Job, JobStatus
from aidbridge.jobs.registry import HANDLERS

log = logging.getLogger(__name__)


def job_start(*, kind: str, by, payload: dict | None = None,
              input_file: UploadedFile | None = None) -> Job:
    """Record a job and queue it once committed; it reports in the starter's language."""
    from aidbridge.jobs.tasks import run_job

    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(kind=kind, created_by=by,
              payload={"language": translation.get_language(), **(payload or {})})
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_progress(job: Job, done: int, total: int) -> None:
    """Record progress with one small UPDATE, visible to the page at once."""
    job.done, job.total = done, total
    Job.objects.filter(pk=job.pk).update(done=done, total=total)


def job_run(*, job_id: str) -> None:
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=timezone.now())
    try:
        with translation.override(job.payload.get("language")):
            result = HANDLERS[job.kind](job, lambda done, total: job_progress(job, done, total))
    except InvalidInput as exc:
        _finish(job, JobStatus.FAILED, {"errors": exc.errors}, str(exc))
    except Exception as exc:  # a job must end visibly, whatever went wrong
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(job, JobStatus.FAILED, {}, type(exc).__name__)
    else:
        _finish(job, JobStatus.SUCCEEDED, result or {}, "")


def _finish(job: Job, status: str, result: dict, error: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, error=error[:2000], finished=timezone.now())
