from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from aidbridge.jobs.models import Job
from aidbridge.jobs.registry import LABELS
from aidbridge.jobs.selectors import access_job
from aidbridge.policy import jobs_in_scope
from aidbridge.spreadsheet import csv_writer
from aidbridge.uploads import serve_upload


@login_required
def job_list(request):
    jobs = jobs_in_scope(request.user, Job.objects.select_related("created_by"))
    page = Paginator(jobs, 25).get_page(request.GET.get("page"))
    for job in page:
        job.label = LABELS.get(job.kind, job.kind)
    return render(request, "jobs/list.html", {"page": page})


@login_required
def detail(request, job_id):
    return render(request, "jobs/detail.html", {"job": access_job(request.user, job_id)})


@login_required
def progress(request, job_id):
    """The progress partial that htmx polls until the job ends."""
    return render(request, "jobs/_progress.html", {"job": access_job(request.user, job_id)})


@login_required
def errors_csv(request, job_id):
    """The job's problems file (row, field, message), to whoever may see the job."""
    return problems_response(access_job(request.user, job_id))


def problems_response(job: Job) -> HttpResponse:
    """The problems file as a download; jobs that ended before it existed have their
    problems in their row."""
    if job.problems_file:
        response = serve_upload(job.problems_file)
        response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(["row", "field", "message"])
    writer.writerows(
        [e.get("row", ""), e.get("field", ""), e.get("message", "")]
        for e in job.result.get("errors", [])
    )
    return response
