"""The entry procedure from application to announcement, by the right people, through the
household page; refusals come back as messages; announcing makes the household poor."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.registry.cases import case_act, open_case
from aidbridge.registry.models import ProcedureCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(make_household):
    return make_household("P-1", name="俄木", born=date(1960, 4, 4), sequence=11, status="marginal")


def step(client, household, username, action=None, start=None, comment="", file=None):
    client.force_login(User.objects.get(username=username))
    data = {"comment": comment}
    if action:
        data["action"] = action
    if start:
        data["start"] = start
    if file:
        data["attachment"] = file
    client.cookies.load({"django_language": "en"})
    response = client.post(f"/households/{household.public_id}/procedure/", data, follow=True)
    return [str(m) for m in response.context["messages"]]


def pass_notice(household):
    """Let the running notice's days go by."""
    ProcedureCase.objects.filter(household=household).update(
        notice_started=timezone.localdate() - timedelta(days=7)
    )


def test_entry_from_application_to_announcement(client, household):
    minutes = SimpleUploadedFile("appraisal.pdf", b"%PDF-1.4 minutes")
    assert step(client, household, "clerk-513422100001", start="entry") == ["Step recorded."]
    assert step(client, household, "clerk-513422100001", "record_appraisal", file=minutes) == [
        "Step recorded."
    ]
    step(client, household, "clerk-513422100001", "start_first_notice")
    assert step(client, household, "township-513422100", "close_notice") == [
        f"the public notice runs until {timezone.localdate() + timedelta(days=7)}"
    ]
    pass_notice(household)
    step(client, household, "township-513422100", "close_notice")
    assert step(client, household, "clerk-513422100001", "township_approve") == [
        "your role may not take this step"
    ]
    step(client, household, "township-513422100", "township_approve")
    step(client, household, "township-513422100", "start_second_notice")
    assert step(client, household, "clerk-513422100001", "object") == [
        "write the reason in the comment"
    ]
    step(client, household, "clerk-513422100001", "object", comment="村民反映收入不实")
    pass_notice(household)
    assert step(client, household, "township-513422100", "close_notice") == [
        "the notice is paused by an objection that must be resolved first"
    ]
    step(client, household, "township-513422100", "dismiss_objection", comment="已核实")
    pass_notice(household)
    step(client, household, "township-513422100", "close_notice")
    step(client, household, "county-513422", "county_approve")
    assert step(client, household, "county-513422", "announce") == ["Step recorded."]

    household.refresh_from_db()
    assert household.status == "poor" and household.identified_year == timezone.localdate().year
    case = household.cases.get()
    assert case.stage == "announced"
    assert [s.action for s in case.steps.all()] == [
        "apply",
        "record_appraisal",
        "start_first_notice",
        "close_notice",
        "township_approve",
        "start_second_notice",
        "object",
        "dismiss_objection",
        "close_notice",
        "county_approve",
        "announce",
    ]
    assert household.history.first().history_user.username == "county-513422"
    attachment = case.steps.get(action="record_appraisal")
    client.force_login(User.objects.get(username="county-513422"))
    url = f"/households/{household.public_id}/procedure/steps/{attachment.pk}/attachment"
    assert b"".join(client.get(url).streaming_content) == b"%PDF-1.4 minutes"
    client.force_login(User.objects.get(username="township-513422101"))
    assert client.get(url).status_code == 404


def test_outsiders_and_other_roles_cannot_drive_the_case(client, household):
    step(client, household, "clerk-513422100001", start="entry")
    case = open_case(household)
    with pytest.raises(InvalidInput):
        case_act(
            by=User.objects.get(username="county-513422"),
            case=case,
            action="record_appraisal",
            on=timezone.localdate(),
        )
    assert step(client, household, "supervisor-513400", "record_appraisal") == [
        "Your role takes no part in this procedure."
    ]
    client.force_login(User.objects.get(username="township-513422101"))
    response = client.post(
        f"/households/{household.public_id}/procedure/", {"action": "record_appraisal"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.stage == "applied"


def test_one_open_procedure_at_a_time_and_only_for_eligible_households(client, household):
    step(client, household, "clerk-513422100001", start="entry")
    assert step(client, household, "clerk-513422100001", start="entry") == [
        "another procedure of this household is open"
    ]
    step(client, household, "clerk-513422100001", "withdraw")
    assert step(client, household, "clerk-513422100001", start="exit") == [
        "a household with status “Marginal” cannot start this procedure"
    ]


def test_notices_close_by_the_calendar_unless_an_objection_is_pending(
    client, household, make_household
):
    from django.core.management import call_command

    from aidbridge.registry.cases import close_due_notices

    other = make_household("P-2", sequence=12, status="marginal")
    for h in (household, other):
        step(client, h, "clerk-513422100001", start="entry")
        step(client, h, "clerk-513422100001", "record_appraisal")
        step(client, h, "clerk-513422100001", "start_first_notice")
    step(client, other, "clerk-513422100001", "object", comment="收入有误")
    today = timezone.localdate()
    assert close_due_notices(today=today) == 0  # the notices have just started
    assert close_due_notices(today=today + timedelta(days=7)) == 1
    case = open_case(household)
    assert case.stage == "township_review" and case.notice_started is None
    last = case.steps.last()
    assert (last.action, last.by, last.role) == ("close_notice", None, "township")
    assert open_case(other).stage == "first_notice"  # paused by its objection
    call_command("procedure", "close-due")  # today: nothing more is due
    page = client.get(f"/households/{household.public_id}/").content.decode()
    assert "closed automatically" in page


@pytest.mark.parametrize(
    ("username", "shown"),
    [("clerk-513422100001", True), ("township-513422100", False), ("county-513422", False)],
)
def test_only_the_clerk_is_offered_the_start_of_a_procedure(
    client, make_household, username, shown
):
    """The county was offered “启动脱贫退出程序” and then refused: the page asks the policy."""
    poor = make_household("P-9", name="吉克", sequence=19, status="poor")
    client.force_login(User.objects.get(username=username))
    page = client.get(f"/households/{poor.public_id}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert ("启动脱贫退出程序" in page.content.decode()) == shown
    assert ('name="start"' in page.content.decode()) == shown


def test_a_lifted_household_is_offered_no_procedure(client, make_household):
    lifted = make_household("P-8", name="吉克", sequence=18, status="lifted")
    client.force_login(User.objects.get(username="clerk-513422100001"))
    page = client.get(f"/households/{lifted.public_id}/")
    assert 'name="start"' not in page.content.decode()


def test_the_household_list_filters_by_procedure_stage(client, make_household):
    applied = make_household("S-1", name="阿木", sequence=31, status="marginal")
    make_household("S-2", name="阿果", sequence=32, status="marginal")
    step(client, applied, "clerk-513422100001", start="entry")
    client.force_login(User.objects.get(username="township-513422100"))
    listed = client.get("/households/?stage=applied").context["page"].object_list
    assert [h.number for h in listed] == ["S-1"]
    assert [h.number for h in client.get("/households/?stage=first_notice").context["page"]] == []
    assert len(client.get("/households/").context["page"].object_list) == 2
    csv = b"".join(client.get("/households/export.csv?stage=applied").streaming_content).decode()
    assert "S-1" in csv and "S-2" not in csv
    page = client.get("/households/?stage=applied", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="stage"' in page and 'value="applied" selected' in page
