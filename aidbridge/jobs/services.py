"""Start jobs and run them. The task only calls ``job_run``; handlers do the work."""

import csv
import io
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from aidbridge.errors import InvalidInput
from aidbridge.jobs.models import Job, JobStatus
from aidbridge.jobs.registry import HANDLERS

log = logging.getLogger(__name__)


def job_start(
    *, kind: str, by, payload: dict | None = None, input_file: UploadedFile | None = None
) -> Job:
    """Record a job and queue it once committed; it reports in the starter's language."""
    from aidbridge.jobs.tasks import run_job

    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        created_by=by,
        payload={"language": translation.get_language(), **(payload or {})},
    )
    if input_file is not None:
        job.payload["filename"] = input_file.name
        job.input_file.save(input_file.name, input_file, save=False)
    job.save()
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


def job_progress(job: Job, done: int, total: int) -> None:
    """Record progress with one small UPDATE, visible to the page at once."""
    job.done, job.total = done, total
    Job.objects.filter(pk=job.pk).update(done=done, total=total)


def job_run(*, job_id: str) -> None:
    """Run a queued job; whatever happens, its uploaded file is deleted when it ends."""
    job_inputs_sweep()
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
    finally:
        job_input_delete(job)


def job_input_delete(job: Job) -> None:
    """Delete a job's uploaded file (it may hold resident IDs) and forget its name."""
    if job.input_file:
        job.input_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(input_file="")


def job_inputs_sweep() -> int:
    """Delete the uploaded files that jobs left behind when their process died (the job then
    stays running forever): of finished jobs, and of jobs started over a day ago. Returns
    how many."""
    stale = timezone.now() - timedelta(days=1)
    jobs = Job.objects.exclude(input_file="").filter(
        Q(status__in=(JobStatus.SUCCEEDED, JobStatus.FAILED)) | Q(created__lt=stale)
    )
    count = 0
    for job in jobs:
        job_input_delete(job)
        count += 1
    return count


def _finish(job: Job, status: str, result: dict, error: str) -> None:
    """Record the end. Problems go to a CSV file (``problems_file``); the row keeps their
    number and the first JOB_PROBLEMS_SHOWN for the page and the API."""
    problems = result.get("errors") or []
    if problems:
        result = {
            **result,
            "problems": result.get("problems", len(problems)),
            "listed": len(problems),
            "errors": problems[: settings.JOB_PROBLEMS_SHOWN],
        }
        job.problems_file.save(f"{job.pk}.csv", ContentFile(_problems_csv(problems)), save=False)
    Job.objects.filter(pk=job.pk).update(
        status=status,
        result=result,
        error=error[:2000],
        finished=timezone.now(),
        problems_file=job.problems_file.name or "",
    )


def _problems_csv(problems: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "field", "message"])
    writer.writerows([e.get("row", ""), e.get("field", ""), e.get("message", "")] for e in problems)
    return ("\ufeff" + out.getvalue()).encode()
