"""Project fixtures: the demo helpers, projects started through the services, and a step that
brings a project to a stage with the least that stage asks for."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from upload_files import image_bytes

from aidbridge.accounts.models import User
from aidbridge.needs.demo import demo_helpers
from aidbridge.projects import services
from aidbridge.regions.models import Region

COUNTY = "county-513422"
SIGNED = date(2026, 3, 1)


@pytest.fixture
def user(db):
    return lambda username: User.objects.select_related("organization", "region").get(
        username=username
    )


@pytest.fixture
def helpers(db):
    """The demo helpers by code; lsfund (org-lsfund's) and foshan-gov are verified, the
    volunteers are not."""
    return demo_helpers()


@pytest.fixture
def start(user, helpers):
    """start(title, by=COUNTY, region="513422", initiator=None): a project in mining."""

    def make(title="助学项目", *, by=COUNTY, region="513422", initiator=None, summary=""):
        return services.project_create(
            by=user(by),
            region=Region.objects.get(code=region),
            title=title,
            summary=summary,
            initiator=helpers[initiator] if initiator else None,
        )

    return make


@pytest.fixture
def evidence():
    """evidence(name="photo.jpg"): a small file to upload as evidence."""
    return lambda name="photo.jpg": ContentFile(image_bytes(), name=name)


@pytest.fixture
def bring(user, helpers, make_household, evidence):
    """bring(project, stage, by=COUNTY): record the least each stage asks for and move the
    project on until it reaches ``stage``."""

    def move(project, stage, by=COUNTY):
        manager = user(by)
        county = user(COUNTY)
        order = ["mining", "raising", "executing", "closed"]
        while order.index(project.stage) < order.index(stage):
            if project.stage == "mining":
                household = make_household(
                    f"B-{project.pk}", status="poor", sequence=100 + project.pk % 800
                )
                services.project_link(by=county, project=project, households=[household.number])
                services.note_add(by=manager, project=project, text="走访发现缺少校服")
            elif project.stage == "raising":
                target = services.target_add(
                    by=manager, project=project, label="校服", kind="material", amount=10, unit="套"
                )
                services.pledge_add(by=manager, target=target, helper=helpers["lsfund"], amount=10)
                services.partner_add(
                    by=manager, project=project, role="organization", helper=helpers["lsfund"]
                )
            elif project.stage == "executing":
                milestone = services.milestone_add(
                    by=manager, project=project, title="校服发放", due=SIGNED
                )
                services.milestone_done(by=manager, milestone=milestone, evidence=evidence())
            project = services.project_advance(by=manager, project=project)
        return project

    return move


@pytest.fixture
def project(start, bring, user, helpers):
    """A project in raising, initiated by the demo foundation lsfund (which receives
    donations), with a money target (20,000 yuan) and a materials one (100 bags)."""
    project = bring(start("助学项目", initiator="lsfund"), "raising")
    county = user("county-513422")
    project.money = services.target_add(
        by=county, project=project, label="助学金", kind="money", amount=2_000_000
    )
    project.goods = services.target_add(
        by=county, project=project, label="书包", kind="material", amount=100, unit="个"
    )
    return project


@pytest.fixture
def donor(user, helpers):
    return user("donor-demo")


@pytest.fixture
def staff(helper_staff):
    """org-lsfund, staff of the recipient foundation."""
    return helper_staff
