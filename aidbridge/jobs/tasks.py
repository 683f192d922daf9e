from django_tasks import task

from aidbridge.jobs.services import job_run


@task()
def run_job(job_id: str) -> None:
    job_run(job_id=job_id)
