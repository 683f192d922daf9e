from uuid import UUID

from ninja import Router, Schema

from aidbridge.jobs.models import Job
from aidbridge.jobs.selectors import access_job

router = Router(tags=["jobs"])


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    done: int
    total: int
    percent: int
    result: dict
    error: str


@router.get("/{job_id}", response=JobOut, summary="A job's status and progress")
def get_job(request, job_id: UUID) -> Job:
    return access_job(request.auth, job_id)
