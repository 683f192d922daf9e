"""API of screening department data: a file uploaded and screened as a job."""

from typing import Literal

from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from aidbridge.jobs.services import job_start
from aidbridge.policy import Action, require
from aidbridge.registry.api import JobRef
from aidbridge.registry.importer import import_upload_check

router = Router(tags=["monitoring"])


@router.post(
    "/screen",
    response={202: JobRef},
    summary="Screen a department file (CSV or XLSX) for leads, as a job",
    description="Multipart: `file` (one row per record: source, resident_id, event, "
    "amount_yuan, date, note) and `encoding` of a CSV file (`utf-8` or `gb18030`; by default "
    "UTF-8 if the file is, else GB18030). Follow the job at /jobs/{job_id}.",
)
def screen_file(
    request, file: File[UploadedFile], encoding: Form[Literal["", "utf-8", "gb18030"]] = ""
):
    require(request.auth, Action.MONITORING_SCREEN)
    job = job_start(
        kind="monitoring.screen",
        by=request.auth,
        input_file=import_upload_check(file),
        payload={"encoding": encoding},
    )
    return Status(202, {"job_id": job.pk})
