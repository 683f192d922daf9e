"""Background jobs: started from a page, run by the task framework, shown with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aidbridge.jobs.models import Job, JobStatus
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,level,name_zh,name_en\n"


def upload(client, text, name="regions.csv"):
    return client.post("/regions/load/", {"file": SimpleUploadedFile(name, text.encode())})


def test_a_region_upload_runs_as_a_job_with_progress(
    client, login, django_capture_on_commit_callbacks
):
    login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, HEADER + "513422102,513422,township,茶布朗镇,Chabulang\n")
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == JobStatus.SUCCEEDED and job.percent == 100
    assert job.result == {"created": 1, "updated": 0, "unchanged": 0}
    assert "新建" in client.get(f"/jobs/{job.pk}/").content.decode()
    assert Region.objects.get(code="513422102").parent.code == "513422"
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="100"' in page
    assert "hx-trigger" not in page  # a finished job stops polling


def test_a_bad_file_fails_the_job_with_rows_and_fields(
    client, login, django_capture_on_commit_callbacks
):
    login("admin")
    client.cookies.load({"django_language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, HEADER + "1,,province,甲,\n2,nowhere,city,乙,\n")
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.result["errors"] == [
        {
            "row": 3,
            "field": "parent_code",
            "message": "region nowhere is neither in the file nor loaded",
        }
    ]
    assert not Region.objects.filter(code="1").exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "parent_code" in page and "nothing was changed" in page


def test_a_queued_job_polls_until_it_ends(client, login):
    user = login("admin")
    job = Job.objects.create(
        kind="regions.load", created_by=user, done=250, total=1000, status=JobStatus.RUNNING
    )
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="25"' in page
    assert 'hx-trigger="every 1s"' in page


def test_the_upload_form_rejects_other_files(client, login):
    login("admin")
    response = upload(client, "not csv", name="regions.xlsx")
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_a_job_reports_in_the_language_of_whoever_started_it(
    client, login, django_capture_on_commit_callbacks
):
    login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, HEADER + "2,nowhere,city,乙,\n")
    message = Job.objects.get().result["errors"][0]["message"]
    assert message == "地区 nowhere 既不在文件中，也未导入系统"


def _kept_uploads(settings) -> list:
    folder = settings.MEDIA_ROOT / "jobs"
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize(
    "text",
    [HEADER + "513422102,513422,township,茶布朗镇,Chabulang\n", HEADER + "2,nowhere,city,乙,\n"],
    ids=["succeeds", "fails"],
)
def test_the_uploaded_file_is_deleted_when_the_job_ends(
    client, login, settings, text, django_capture_on_commit_callbacks
):
    login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, text)
    job = Job.objects.get()
    assert job.is_finished and not job.input_file
    assert job.payload["filename"] == "regions.csv"
    assert _kept_uploads(settings) == []
    assert "regions.csv" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_the_uploaded_file_is_deleted_when_the_handler_crashes(
    settings, login, monkeypatch, django_capture_on_commit_callbacks
):
    from aidbridge.jobs.registry import HANDLERS
    from aidbridge.jobs.services import job_start

    seen = []

    def crash(job, progress):
        seen.append(job.input_file.read())
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(HANDLERS, "regions.load", crash)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(
            kind="regions.load",
            by=login("admin"),
            input_file=SimpleUploadedFile("ids.csv", b"5134221980..."),
        )
    job.refresh_from_db()
    assert seen == [b"5134221980..."]  # the handler had the file
    assert (job.status, job.error, job.input_file.name) == (JobStatus.FAILED, "RuntimeError", "")
    assert _kept_uploads(settings) == []


def test_files_left_by_a_dead_worker_are_swept(settings, login):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from aidbridge.jobs.services import job_inputs_sweep

    user = login("admin")
    jobs = {}
    for name, status, age in [
        ("dead", JobStatus.RUNNING, 2),
        ("running", JobStatus.RUNNING, 0),
        ("ended", JobStatus.FAILED, 0),
    ]:
        job = Job(kind="regions.load", created_by=user, status=status)
        job.input_file.save(f"{name}.csv", ContentFile(b"x"), save=False)
        job.save()
        Job.objects.filter(pk=job.pk).update(created=timezone.now() - timedelta(days=age))
        jobs[name] = job
    assert job_inputs_sweep() == 2
    assert _kept_uploads(settings) == ["running.csv"]
    assert not Job.objects.get(pk=jobs["dead"].pk).input_file
