from uuid import UUID

from django.urls import reverse
from ninja import Field, Router, Schema

from aidbridge.jobs.models import Job
from aidbridge.jobs.selectors import access_job
from aidbridge.jobs.views import problems_response

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    done: int
    total: int
    percent: int
    result: dict = Field(description="counts, and under `errors` the first problems")
    problems: int = Field(description="how many problems were found in all")
    problems_url: str | None = Field(description="the CSV file of all problems listed")
    error: str

    @staticmethod
    def resolve_problems(job) -> int:
        return job.result.get("problems", len(job.result.get("errors", [])))

    @staticmethod
    def resolve_problems_url(job) -> str | None:
        if not (job.problems_file or job.result.get("errors")):
            return None
        return reverse("api:job_problems", kwargs={"job_id": job.pk})


@router.get("/{job_id}", response=JobOut, summary="A job's status and progress")
def get_job(request, job_id: UUID) -> Job:
    return access_job(request.auth, job_id)


@router.get(
    "/{job_id}/problems.csv",
    url_name="job_problems",
    summary="A job's problems as CSV (row, field, message)",
    openapi_extra={"responses": {200: {"description": "CSV", "content": {"text/csv": {}}}}},
)
def get_job_problems(request, job_id: UUID):
    return problems_response(access_job(request.auth, job_id))
