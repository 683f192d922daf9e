"""Bad household files: too many rows, zip and XML bombs, files that are not what they are
named, Chinese encodings. Each is refused with one clear line (importer, command, page, API)
within bounded memory, before anything is written; GBK files are read correctly."""

import io
import os
import subprocess
import sys
import textwrap
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from aidbridge.accounts.models import ApiToken, User
from aidbridge.errors import InvalidInput
from aidbridge.jobs.models import Job
from aidbridge.registry import idcard
from aidbridge.registry.importer import import_households
from aidbridge.registry.models import Household
from aidbridge.registry.template import CHINESE_HEADER, ENGLISH_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rid(day, sex="male"):
    return idcard.generate(region_code="513422", birth_date=date(1980, 1, day), sex=sex, sequence=1)


def member(number, name, resident_id, relation="head"):
    values = {
        "household_number": number,
        "village_code": "513422100001",
        "main_cause": "illness",
        "status": "poor",
        "income_year": "2025",
        "per_capita_income": "3500",
        "name": name,
        "resident_id": resident_id,
        "relation": relation,
        "labour": "normal",
        "schooling": "primary",
        "medical_insurance": "是",
    }
    return [values.get(key, "") for key in ENGLISH_HEADER]


def as_csv(rows, header=ENGLISH_HEADER) -> str:
    return "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"


def run(data, filename="h.csv", **options):
    return import_households(
        by=User.objects.get(username="county-513422"), data=data, filename=filename, **options
    )


def refusal(data, filename, **options) -> str:
    """The one line an import of a bad file is refused with."""
    with pytest.raises(InvalidInput) as caught:
        run(data, filename, **options)
    assert len(caught.value.errors) == 1 and caught.value.errors[0]["field"] == "file"
    assert "\n" not in str(caught.value)
    return str(caught.value)


def xlsx_row(n: int, values) -> bytes:
    return (
        f'<row r="{n}">'
        + "".join(
            f'<c r="{chr(65 + i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(values)
        )
        + "</row>"
    ).encode()


def xlsx(
    sheet_xml: bytes | None = None,
    *,
    rows=None,
    dimension=None,
    shared_strings: bytes | None = None,
) -> bytes:
    """A minimal XLSX written part by part, so tests can build what no spreadsheet would."""
    if sheet_xml is None:
        rows = rows or []
        body = b"".join(xlsx_row(n, row) for n, row in enumerate(rows, start=1))
        if dimension is None:
            dimension = f"A1:{chr(64 + max(map(len, rows), default=1))}{max(len(rows), 1)}"
        dim = f'<dimension ref="{dimension}"/>' if dimension else ""
        sheet_xml = (
            f'<worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode()
            + body
            + b"</sheetData></worksheet>"
        )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        z.writestr("xl/sharedStrings.xml", shared_strings or f'<sst xmlns="{MAIN}"/>')
    return out.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
        '.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application'
        '/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="S" '
        'sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" '
        'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="'
        f'{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}


def test_the_minimal_xlsx_of_these_tests_is_read():
    with pytest.raises(InvalidInput) as caught:  # read: its one column is not the template's
        run(xlsx(rows=[["surname"], ["甲"]]), "h.xlsx")
    assert caught.value.errors[0] == {"row": 1, "field": "surname", "message": "unknown column"}


# Encodings -----------------------------------------------------------------------------------


def test_a_gbk_csv_with_chinese_headers_is_detected_and_imported():
    text = as_csv(
        [
            member("A", "吉克阿依", rid(1)),
            member("A", "曲比阿木", rid(2, "female"), relation="spouse"),
        ],
        header=CHINESE_HEADER,
    )
    result = run(text.encode("gbk"))
    assert (result["households"], result["members"], result["errors"]) == (1, 2, [])
    household = Household.objects.get(number="A")
    assert household.head_name == "吉克阿依"
    assert sorted(m.name for m in household.members.all()) == ["吉克阿依", "曲比阿木"]


def test_the_encoding_can_be_chosen_and_utf8_with_bom_is_still_read():
    text = as_csv([member("A", "吉克阿依", rid(1))], header=CHINESE_HEADER)
    assert run(text.encode("gb18030"), encoding="gb18030")["households"] == 1
    text = as_csv([member("B", "阿牛", rid(3))], header=CHINESE_HEADER)
    assert run(("\ufeff" + text).encode(), encoding="utf-8")["households"] == 1


def test_a_file_that_is_not_in_the_chosen_encoding_gets_one_line(tmp_path):
    text = as_csv([member("A", "吉克阿依", rid(1))], header=CHINESE_HEADER)
    line = refusal(text.encode("gbk"), "h.csv", encoding="utf-8")
    assert "not UTF-8 text" in line and "choose its encoding" in line
    path = tmp_path / "h.csv"
    path.write_bytes(text.encode("gbk"))
    with pytest.raises(CommandError) as caught:
        call_command("import", "households", str(path), "--encoding", "utf-8")
    assert "\n" not in str(caught.value) and "not UTF-8 text" in str(caught.value)
    assert not Household.objects.exists()


def test_the_page_lets_the_user_choose_the_encoding(
    client, login, django_capture_on_commit_callbacks
):
    login("county-513422")
    text = as_csv([member("A", "吉克阿依", rid(1))], header=CHINESE_HEADER)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/households/import/",
            {"file": SimpleUploadedFile("h.csv", text.encode("gb18030")), "encoding": "gb18030"},
        )
    job = Job.objects.get()
    assert (job.status, job.payload["encoding"], job.result["households"]) == (
        "succeeded",
        "gb18030",
        1,
    )
    assert Household.objects.get().head_name == "吉克阿依"


def test_a_file_in_neither_encoding_gets_one_line():
    data = as_csv([member("A", "x", rid(1))]).encode() + b"\xff\xff\xff,\x80\n"
    assert "not GB18030 text" in refusal(data, "h.csv")


# Files that are not what they say ------------------------------------------------------------


def test_a_non_zip_xlsx_gets_one_line_from_the_importer_and_the_command(tmp_path):
    data = b"<html><table><tr><td>household_number</td></tr></table></html>"
    assert "not an XLSX file (it is not a zip archive)" in refusal(data, "h.xlsx")
    path = tmp_path / "h.xlsx"
    path.write_bytes(data)
    with pytest.raises(CommandError) as caught:
        call_command("import", "households", str(path))
    assert "\n" not in str(caught.value) and "not a zip archive" in str(caught.value)


def test_a_broken_zip_named_xlsx_gets_one_line():
    assert "not a zip archive" in refusal(b"PK\x03\x04" + b"\0" * 200, "h.xlsx")
    damaged = bytearray(xlsx(rows=[["household_number"]]))
    damaged[60:90] = b"\0" * 30  # inside the first part's compressed data
    assert "XLSX" in refusal(bytes(damaged), "h.xlsx")


def test_the_page_and_the_api_refuse_a_non_zip_xlsx_in_one_line(client, login):
    login("county-513422")
    client.cookies.load({"django_language": "en"})
    fake = b"household_number,village_code\n1,2\n"
    page = client.post(
        "/households/import/", {"file": SimpleUploadedFile("h.xlsx", fake)}
    ).content.decode()
    assert "is named .xlsx but its content is not such a file" in page
    _token, raw = ApiToken.issue(User.objects.get(username="county-513422"))
    response = client.post(
        "/api/v1/households/import",
        {"file": SimpleUploadedFile("h.xlsx", b"\x00\x01" * 50)},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "file",
            "message": (
                "The household file must be a CSV or XLSX file; the content of this file is not"
            ),
        }
    ]
    assert not Job.objects.exists()


def test_a_refused_file_fails_its_job_with_one_line_and_is_deleted(
    client, login, django_capture_on_commit_callbacks
):
    """A zip that is no workbook passes the upload check (it is a zip) but not the reader."""
    login("county-513422")
    client.cookies.load({"django_language": "en"})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/workbook.xml", "<not-closed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/households/import/", {"file": SimpleUploadedFile("h.xlsx", out.getvalue())})
    job = Job.objects.get()
    assert job.status == "failed" and len(job.result["errors"]) == 1
    assert job.error.startswith("file: the XLSX file cannot be read")
    assert not job.input_file  # and only the problems are left in the jobs folder:
    assert os.listdir(job.problems_file.storage.path("jobs")) == ["problems"]
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "the XLSX file cannot be read" in page and "Traceback" not in page


# Bombs ---------------------------------------------------------------------------------------


def test_an_xml_bomb_in_the_shared_strings_is_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
            for i in range(1, 10)
        )
        + b']><sst xmlns="'
        + MAIN.encode()
        + b'"><si><t>&lol9;</t></si></sst>'
    )
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1"/><sheetData><row r="1">'
        '<c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ).encode()
    line = refusal(xlsx(sheet, shared_strings=laughs), "h.xlsx")
    assert "declares XML entities" in line


def test_a_zip_bomb_is_refused_by_its_unpacked_size_before_it_is_read(settings):
    """A 1.5 MB file that unpacks to 1.5 GB: refused on the sizes its archive declares."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" '
                't="inlineStr"><is><t>'.encode()
            )
            chunk = b"a" * 2**24
            for _ in range(96):  # 1.5 GiB
                part.write(chunk)
    data = out.getvalue()
    assert len(data) < 8 * 2**20
    line = refusal(data, "h.xlsx")
    assert "unpacks to 1,536 MB, more than 1,024 MB" in line


def test_a_large_shared_strings_part_is_refused(settings):
    settings.IMPORT_MAX_XML_PART = 2**20
    strings = f'<sst xmlns="{MAIN}">'.encode() + b"<si><t>x</t></si>" * 70_000 + b"</sst>"
    assert "xl/sharedStrings.xml unpacks to 1 MB" in refusal(
        xlsx(rows=[["household_number"]], shared_strings=strings), "h.xlsx"
    )


def test_a_sheet_whose_dimension_passes_the_limits_is_refused_before_it_is_read(settings):
    settings.IMPORT_MAX_ROWS = 10
    assert "has 11 rows, more than 10" in refusal(
        xlsx(rows=[["household_number"]], dimension="A1:A12"), "h.xlsx"
    )
    assert "has 100 columns, more than 40" in refusal(
        xlsx(rows=[["household_number"]], dimension="A1:CV2"), "h.xlsx"
    )
    settings.IMPORT_MAX_CELLS = 50
    assert "has 100 cells, more than 50" in refusal(
        xlsx(rows=[["household_number"]], dimension="A1:J11"), "h.xlsx"
    )


def test_rows_past_the_limit_stop_the_reading_when_the_dimension_understates(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert "more than 3 rows" in refusal(
        xlsx(rows=[ENGLISH_HEADER] + [["x"]] * 5, dimension="A1:Q2"), "h.xlsx"
    )
    assert "more than 3 rows" in refusal(
        (",".join(ENGLISH_HEADER) + "\n" + "x\n" * 5).encode(), "h.csv"
    )


def test_a_sheet_that_does_not_declare_its_size_is_refused_before_it_is_read():
    """openpyxl would read it whole to find its size, keeping an element per row."""
    assert "the sheet sheet1.xml does not declare its size" in refusal(
        xlsx(rows=[ENGLISH_HEADER, ["x"]], dimension=""), "h.xlsx"
    )


def test_a_csv_row_with_too_many_columns_is_refused():
    assert "row 2 has 41 columns, more than 40" in refusal(
        (",".join(ENGLISH_HEADER) + "\n" + "," * 40 + "\n").encode(), "h.csv"
    )


TWO_MILLION = textwrap.dedent("""
    import os, sys
    import django
    django.setup()
    from django.utils import translation
    translation.activate("en")
    from aidbridge.errors import InvalidInput
    from aidbridge.registry.importer import import_households
    path = sys.argv[1]
    with open(path, "rb") as f:
        data = f.read()
    try:
        import_households(by=None, data=data, filename=path)
    except InvalidInput as exc:
        print(exc)
    # VmHWM: this process's own peak. ru_maxrss would also count the parent's size at the
    # fork (Linux carries it across exec), so a large test process would fail the bound.
    status = open("/proc/self/status").read()
    print(int(status.split("VmHWM:")[1].split()[0]) // 1024)
""")


@pytest.mark.parametrize("dimension", [True, False], ids=["declared", "understated"])
def test_two_million_rows_are_refused_within_bounded_memory(tmp_path, dimension):
    """The import of a small XLSX with two million rows, in a process of its own: refused on
    its dimension before it is read, or, when that says 2 rows, stopped at IMPORT_MAX_ROWS
    while it is streamed,
    with the process's peak memory (Django loaded) under 500 MB."""
    path = tmp_path / "two-million.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in PARTS.items():
            z.writestr(name, text)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(f'<worksheet xmlns="{MAIN}">'.encode())
            part.write(b'<dimension ref="A1:A%s"/>' % (b"2000001" if dimension else b"2"))
            part.write(b"<sheetData>" + xlsx_row(1, ENGLISH_HEADER))
            for start in range(2, 2_000_002, 100_000):
                part.write(
                    b"".join(
                        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n)
                        for n in range(start, start + 100_000)
                    )
                )
            part.write(b"</sheetData></worksheet>")
    assert path.stat().st_size < 16 * 2**20  # small, and two million rows inside
    # Streamed past its dimension, the reading stops at the limit (200,000 rows here, to keep
    # the test short).
    limit = "1,100,000" if dimension else "200,000"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
        "AIDBRIDGE_VAR_DIR": str(tmp_path / "var"),
        "AIDBRIDGE_IMPORT_MAX_ROWS": limit.replace(",", ""),
    }
    done = subprocess.run(
        [sys.executable, "-c", TWO_MILLION, str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    line, peak_mb = done.stdout.strip().splitlines()
    assert (
        f"2,000,000 rows, more than {limit}" in line
        if dimension
        else f"more than {limit} rows" in line
    ), line
    assert int(peak_mb) < 500, f"peak {peak_mb} MB"


# Problems ------------------------------------------------------------------------------------


def test_problems_stop_being_listed_at_the_limit_but_rows_are_still_counted(
    settings, client, login, api, django_capture_on_commit_callbacks
):
    settings.IMPORT_MAX_PROBLEMS = 3
    settings.JOB_PROBLEMS_SHOWN = 2
    rows = [member(f"H{i}", "甲", rid(i)) for i in range(1, 6)]
    for r in rows:
        r[ENGLISH_HEADER.index("main_cause")] = "flu"
    rows.append(member("OK", "乙", rid(9)))
    data = as_csv(rows).encode()
    result = run(data)
    assert (
        result["problems"],
        len(result["errors"]),
        result["rejected"],
        result["households"],
    ) == (5, 3, 5, 1)

    Household.objects.all().delete()
    login("county-513422")
    client.cookies.load({"django_language": "en"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/households/import/", {"file": SimpleUploadedFile("h.csv", data)})
    job = Job.objects.get()
    assert (job.result["problems"], job.result["listed"], len(job.result["errors"])) == (5, 3, 2)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "5 problems in rejected rows" in page
    assert "More than 3 problems; the first 3 are listed in the file, the first 2 below." in page
    with job.problems_file.open("rb") as f:
        assert len(f.read().decode("utf-8-sig").splitlines()) == 1 + 3
    found = api("county-513422", "get", f"/jobs/{job.pk}").json()
    assert (found["problems"], len(found["result"]["errors"])) == (5, 2)
    assert found["problems_url"] == f"/api/v1/jobs/{job.pk}/problems.csv"
    download = api("county-513422", "get", f"/jobs/{job.pk}/problems.csv")
    assert download["Content-Disposition"].startswith("attachment")
    assert len(b"".join(download.streaming_content).splitlines()) == 1 + 3
    assert api("township-513422101", "get", f"/jobs/{job.pk}/problems.csv").status_code == 404
