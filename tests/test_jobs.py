"""Background jobs: started from a page, run by the task framework, shown with progress."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aidbridge.jobs.models import Job, JobStatus
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,level,name_zh,name_en\n"


def upload(client, text, name="regions.csv"):
    return client.post("/regions/load/", {"file": SimpleUploadedFile(name, text.encode())})


def test_a_region_upload_runs_as_a_job_with_progress(client, login,
                                                     django_capture_on_commit_callbacks):
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


def test_a_bad_file_fails_the_job_with_rows_and_fields(client, login,
                                                       django_capture_on_commit_callbacks):
    login("admin")
    client.cookies.load({"django_language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, HEADER + "1,,province,甲,\n2,nowhere,city,乙,\n")
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.result["errors"] == [{"row": 3, "field": "parent_code",
                                     "message": "region nowhere is neither in the file nor "
                                                "loaded"}]
    assert not Region.objects.filter(code="1").exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "parent_code" in page and "nothing was changed" in page


def test_a_queued_job_polls_until_it_ends(client, login):
    user = login("admin")
    job = Job.objects.create(kind="regions.load", created_by=user, done=250, total=1000,
                             status=JobStatus.RUNNING)
    page = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'aria-valuenow="25"' in page
    assert 'hx-trigger="every 1s"' in page


def test_the_upload_form_rejects_other_files(client, login):
    login("admin")
    response = upload(client, "not csv", name="regions.xlsx")
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_a_job_reports_in_the_language_of_whoever_started_it(
        client, login, django_capture_on_commit_callbacks):
    login("admin")
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, HEADER + "2,nowhere,city,乙,\n")
    message = Job.objects.get().result["errors"][0]["message"]
    assert message == "地区 nowhere 既不在文件中，也未导入系统"
