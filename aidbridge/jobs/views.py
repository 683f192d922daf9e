from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from aidbridge.jobs.models import Job
from aidbridge.jobs.registry import LABELS
from aidbridge.jobs.selectors import access_job
from aidbridge.policy import jobs_in_scope
from aidbridge.spreadsheet import csv_writer


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
    """Every problem of a job as CSV (row, field, message)."""
    job = access_job(request.user, job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="problems-{job.pk}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(["row", "field", "message"])
    writer.writerows([e.get("row", ""), e.get("field", ""), e.get("message", "")]
                     for e in job.result.get("errors", []))
    return response
