"""Project services on the real database: who starts a project and what its initiator is,
linking, notes, targets, pledges, partners and milestones with their validation, moving a
project through its stages, and the typology and form derived from the records."""

from datetime import date, timedelta

import pytest
from django.utils import translation

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.projects import selectors, services
from aidbridge.projects.models import Project
from aidbridge.projects.selectors import raised, targets_with_progress

pytestmark = pytest.mark.django_db
COUNTY = "county-513422"
SIGNED = date(2026, 3, 1)
TOMORROW = date.today() + timedelta(days=1)


def fields(info) -> list:
    return [(e["field"], e.get("row")) for e in info.value.errors]


def test_the_initiator_and_its_kind_come_from_who_started_the_project(start, user, helpers):
    office = start(by=COUNTY)
    assert office.initiator is None and office.created_by.username == COUNTY
    assert selectors.initiator_kind(office) == "government"
    with translation.override("en"):
        assert selectors.initiator_name(office) == "Muli Tibetan Autonomous County office"
    own = start(by="org-lsfund", initiator="foshan-gov")  # staff start for their own helper
    assert own.initiator == helpers["lsfund"]
    assert selectors.initiator_kind(own) == "organization"
    recorded = start(by="admin", initiator="foshan-gov")
    assert selectors.initiator_kind(recorded) == "government"
    assert selectors.initiator_name(recorded) == str(helpers["foshan-gov"])
    with pytest.raises(InvalidInput) as info:
        start(initiator="donor-demo", title=" ")
    assert fields(info) == [("title", None), ("initiator", None)]


@pytest.mark.parametrize(
    ("username", "region", "allowed"),
    [
        ("county-513422", "513422100001", True),
        ("township-513422100", "513422100", True),
        ("clerk-513422100001", "513422100001", True),
        ("clerk-513422100001", "513422100", False),  # above the clerk's village
        ("county-513401", "513422", False),
        ("city-513400", "513422", False),  # officers above the county do not run projects
        ("supervisor-513400", "513422", False),
        ("org-lsfund", "513401", True),  # a verified helper works anywhere
    ],
)
def test_who_may_start_a_project_where(start, username, region, allowed):
    if allowed:
        assert start(by=username, region=region).region.code == region
    else:
        with pytest.raises(NotAllowed):
            start(by=username, region=region)


def test_staff_of_an_unverified_helper_may_not_start_one(start, helpers):
    from aidbridge.accounts.models import Role, User

    User.objects.create_user(
        "org-volunteers", password="x", role=Role.ORG_STAFF, organization=helpers["muli-volunteers"]
    )
    with pytest.raises(NotAllowed):
        start(by="org-volunteers")


def test_linking_checks_each_need_and_household(start, user, file_need, make_household):
    project = start(region="513422100")
    mine = file_need(title="本乡需求", household_number="M-1")
    elsewhere = file_need(
        title="外乡需求", village="513422101200", by="county-513422", household_number="W-1"
    )
    inside = make_household("L-1", status="poor")
    outside = make_household("L-2", village="513422101200", status="poor", sequence=2)
    with pytest.raises(InvalidInput) as info:
        services.project_link(
            by=user(COUNTY),
            project=project,
            needs=[mine.public_id, "not-an-id", elsewhere.public_id],
            households=["L-1", "L-2", "nobody"],
        )
    assert fields(info) == [("needs", 1), ("needs", 2), ("households", 1), ("households", 2)]
    assert not project.needs.exists()  # nothing written
    services.project_link(
        by=user(COUNTY), project=project, needs=[mine.public_id], households=[inside.number]
    )
    assert list(project.needs.all()) == [mine] and list(project.households.all()) == [inside]
    assert outside not in project.households.all()
    # Helpers' staff manage their project but may not see households or draft needs.
    theirs = start(by="org-lsfund", region="513422100")
    with pytest.raises(InvalidInput) as info:
        services.project_link(
            by=user("org-lsfund"), project=theirs, needs=[mine.public_id], households=["L-1"]
        )
    assert fields(info) == [("needs", 0), ("households", 0)]
    services.project_unlink(by=user(COUNTY), project=project, households=["L-1"])
    assert not project.households.exists() and project.needs.exists()


def test_survey_notes_keep_id_numbers_out(start, user):
    project = start()
    county = user(COUNTY)
    for text in ("", "户主身份证 51342219700101001X 已核对"):
        with pytest.raises(InvalidInput) as info:
            services.note_add(by=county, project=project, text=text)
        assert fields(info) == [("text", None)]
    with pytest.raises(InvalidInput) as info:
        services.note_add(by=county, project=project, text="电话 13800000000", on=TOMORROW)
    assert fields(info) == [("on", None)]
    note = services.note_add(by=county, project=project, text=" 电话 13800000000 ")
    assert (note.text, note.on, note.by) == ("电话 13800000000", date.today(), county)


def test_targets_are_money_in_fen_or_a_quantity_with_its_unit(start, user):
    project = start()
    county = user(COUNTY)
    money = services.target_add(
        by=county, project=project, label="学费", kind="money", amount=1_234_550, unit="套"
    )
    assert (money.amount, money.unit) == (1_234_550, "")  # no unit for money
    quilts = services.target_add(
        by=county, project=project, label="棉被", kind="material", amount=30, unit=" 条 "
    )
    assert quilts.unit == "条"
    with pytest.raises(InvalidInput) as info:
        services.target_add(by=county, project=project, label="", kind="material", amount=0)
    assert fields(info) == [("label", None), ("amount", None), ("unit", None)]
    with pytest.raises(InvalidInput) as info:
        services.target_add(by=county, project=project, label="x", kind="gold", amount=True)
    assert fields(info) == [("amount", None), ("kind", None)]


def test_pledges_raise_the_targets(start, user, helpers):
    project = start(initiator="lsfund", by="org-lsfund")
    county, staff = user(COUNTY), user("org-lsfund")
    fund = services.target_add(
        by=staff, project=project, label="学费", kind="money", amount=500_000
    )
    services.pledge_add(by=staff, target=fund, helper=helpers["ls-yi-embroidery"], amount=200_000)
    services.pledge_add(
        by=county,
        target=fund,
        helper=helpers["foshan-gov"],
        amount=400_000,
        pledged_on=date(2026, 1, 5),
        note="东西部协作",
    )
    assert raised(project) == {fund.pk: 600_000}
    [progress] = targets_with_progress(project)
    assert (progress.raised, progress.percent) == (600_000, 100)
    with pytest.raises(InvalidInput) as info:
        services.pledge_add(by=staff, target=fund, helper=None, amount=-1, pledged_on=TOMORROW)
    assert fields(info) == [("amount", None), ("pledged_on", None), ("helper", None)]


def test_helpers_pledge_for_themselves_to_projects_they_see(start, user, helpers):
    project = start()
    county, donor = user(COUNTY), user("donor-demo")
    target = services.target_add(
        by=county, project=project, label="书包", kind="material", amount=50, unit="个"
    )
    with pytest.raises(NotAllowed):  # the donor does not see the project yet
        services.pledge_add(by=donor, target=target, helper=donor.organization, amount=5)
    services.partner_add(
        by=county, project=project, role="organization", helper=helpers["donor-demo"]
    )
    with pytest.raises(InvalidInput) as info:
        services.pledge_add(by=donor, target=target, helper=helpers["lsfund"], amount=5)
    assert fields(info) == [("helper", None)]
    pledge = services.pledge_add(by=donor, target=target, helper=donor.organization, amount=5)
    assert pledge.created_by == donor and raised(project) == {target.pk: 5}


def test_partners_are_a_helper_or_a_name_with_a_dated_agreement(start, user, helpers):
    project = start()
    county = user(COUNTY)
    cases = [
        ({"role": "expert"}, ["name"]),
        ({"role": "expert", "helper": helpers["lsfund"], "name": "专家"}, ["name"]),
        ({"role": "mayor", "name": "x"}, ["role"]),
        ({"role": "organization", "helper": helpers["foshan-gov"]}, ["role"]),
        ({"role": "government", "helper": helpers["lsfund"]}, ["role"]),
        (
            {"role": "government", "name": "教育局", "agreement_reference": "协议1"},
            ["agreement_reference"],
        ),
        (
            {
                "role": "government",
                "name": "教育局",
                "agreement_reference": "协议1",
                "agreement_on": TOMORROW,
            },
            ["agreement_on"],
        ),
        ({"role": "expert", "name": "农大", "since": SIGNED, "until": date(2026, 1, 1)}, ["until"]),
    ]
    for data, expected in cases:
        with pytest.raises(InvalidInput) as info:
            services.partner_add(by=county, project=project, **data)
        assert [f for f, _row in fields(info)] == expected, data
    partner = services.partner_add(
        by=county,
        project=project,
        role="government",
        name=" 教育局 ",
        agreement_reference="木教协3号",
        agreement_on=SIGNED,
        since=SIGNED,
    )
    assert (partner.display_name, partner.agreement_on) == ("教育局", SIGNED)
    assert (
        services.partner_add(
            by=county, project=project, role="government", helper=helpers["foshan-gov"]
        ).since
        == date.today()
    )


def test_a_milestone_is_done_only_with_evidence(start, user, evidence):
    project = start()
    county = user(COUNTY)
    milestone = services.milestone_add(by=county, project=project, title="发放", due=SIGNED)
    with pytest.raises(InvalidInput) as info:
        services.milestone_done(by=county, milestone=milestone, evidence=None, done_on=TOMORROW)
    assert fields(info) == [("done_on", None), ("evidence", None)]
    services.milestone_done(by=county, milestone=milestone, evidence=evidence(), note="已发放")
    milestone.refresh_from_db()
    assert milestone.done_on == date.today() and milestone.evidence and milestone.note == "已发放"
    with pytest.raises(InvalidInput) as info:
        services.milestone_done(by=county, milestone=milestone, evidence=evidence())
    assert fields(info) == [("done_on", None)]
    with pytest.raises(InvalidInput) as info:
        services.milestone_add(by=county, project=project, title="", due="soon")
    assert fields(info) == [("title", None), ("due", None)]


def test_a_project_moves_through_its_stages_when_each_has_what_it_needs(
    start, user, helpers, file_need, evidence
):
    project = start()
    county = user(COUNTY)

    def refusal() -> list[str]:
        with pytest.raises(InvalidInput) as info:
            services.project_advance(by=county, project=project)
        assert {e["field"] for e in info.value.errors} == {"stage"}
        return [e["message"] for e in info.value.errors]

    with translation.override("en"):
        assert refusal() == [
            "link at least one need or household",
            "write at least one survey note",
        ]
        need = file_need(household_number="H-9")
        services.project_link(by=county, project=project, needs=[need.public_id])
        services.note_add(by=county, project=project, text="走访")
        project = services.project_advance(by=county, project=project)
        assert (project.stage, project.raising_since) == ("raising", date.today())
        assert refusal() == ["set at least one target", "add at least one partner"]
        target = services.target_add(
            by=county, project=project, label="学费", kind="money", amount=100_000
        )
        services.partner_add(
            by=county, project=project, role="organization", helper=helpers["lsfund"]
        )
        services.pledge_add(by=county, target=target, helper=helpers["lsfund"], amount=40_000)
        assert refusal() == [
            "pledges do not cover: 学费 (or write why the project goes ahead without)"
        ]
        project = services.project_advance(
            by=county, project=project, override_reason="县财政年底拨付其余部分"
        )
        assert project.stage == "executing" and project.override_reason == "县财政年底拨付其余部分"
        assert refusal() == ["add at least one milestone"]
        first = services.milestone_add(by=county, project=project, title="发放", due=SIGNED)
        services.milestone_add(by=county, project=project, title="回访", due=SIGNED)
        services.milestone_done(by=county, milestone=first, evidence=evidence())
        assert refusal() == ["milestones not done with evidence: 回访"]
        services.milestone_done(
            by=county, milestone=project.milestones.get(title="回访"), evidence=evidence()
        )
        project = services.project_advance(by=county, project=project)
        assert (project.stage, project.closed_on) == ("closed", date.today())
        assert refusal() == ["the project is closed"]
        with pytest.raises(InvalidInput) as info:
            services.note_add(by=county, project=project, text="补记")
        assert info.value.errors[0]["message"] == "the project is closed"
    stages = [h.stage for h in project.history.order_by("history_id")]
    # Linking needs and households is recorded too, without changing the stage.
    assert [s for i, s in enumerate(stages) if i == 0 or s != stages[i - 1]] == [
        "mining",
        "raising",
        "executing",
        "closed",
    ]


def test_covered_targets_keep_no_override_reason(start, bring, user, helpers):
    county = user(COUNTY)
    project = bring(start(), "raising")
    target = services.target_add(
        by=county, project=project, label="书包", kind="material", amount=5, unit="个"
    )
    services.pledge_add(by=county, target=target, helper=helpers["lsfund"], amount=5)
    services.partner_add(by=county, project=project, role="expert", name="农大")
    project = services.project_advance(by=county, project=project, override_reason="用不上")
    assert project.stage == "executing" and project.override_reason == ""


def test_only_the_projects_managers_move_it_on(start, bring, user):
    project = bring(start(initiator="lsfund", by="org-lsfund"), "raising", by="org-lsfund")
    outsiders = (
        "county-513401",
        "township-513422100",
        "donor-demo",
        "supervisor-513400",
        "city-513400",
    )  # the township is below the project's county
    for outsider in outsiders:
        with pytest.raises(NotAllowed):
            services.project_advance(by=user(outsider), project=project)
    assert bring(project, "executing", by=COUNTY).stage == "executing"


def test_the_typology_and_form_come_from_the_records(start, user, helpers):
    project = start(initiator="lsfund", by="org-lsfund")
    staff = user("org-lsfund")
    with translation.override("en"):
        typology, form = selectors.derive(project)
        assert (typology.value, form.value) == ("organization_providing", "undetermined")
        assert form.reasons[-1][2] == "missing: no pledge is recorded yet"
        services.partner_add(
            by=staff,
            project=project,
            role="government",
            name="木里县教育局",
            agreement_reference="木教协3号",
            agreement_on=SIGNED,
        )
        services.partner_add(by=staff, project=project, role="beneficiary", name="家长代表")
        target = services.target_add(
            by=staff, project=project, label="助学金", kind="money", amount=100
        )
        for code in ("lsfund", "donor-demo"):
            services.pledge_add(by=staff, target=target, helper=helpers[code], amount=50)
        typology, form = selectors.derive(project)
    assert typology.value == "organization_driven"
    assert typology.label == "Organization-driven"
    assert [text for _code, _params, text in typology.reasons] == [
        "initiated by an organization: Liangshan Rural Revitalization Foundation (demo)",
        "government partner “木里县教育局” signed an agreement on 2026-03-01",
        "organizations share the execution: Liangshan Rural Revitalization Foundation (demo)",
    ]
    assert form.value == "self_funded_with_beneficiaries"
    assert [text for _code, _params, text in form.reasons] == [
        "organizations fund: Liangshan Rural Revitalization Foundation (demo)",
        "individuals fund: Caring donor (demo)",
        "the beneficiaries take part: 家长代表",
    ]
    assert Project.objects.get(pk=project.pk).stage == "mining"  # nothing stored
