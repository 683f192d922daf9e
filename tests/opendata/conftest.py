"""Open data fixtures: the official IATI 2.03 schema, loaded from the local copies only, a
few projects covering every stage, and the same in the database with ledger movements."""

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from lxml import etree
from upload_files import image_bytes

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.ledger.services import account_open, entry_post, entry_reverse
from aidbridge.needs.demo import demo_helpers
from aidbridge.opendata.model import (
    OpenFlow,
    OpenOrg,
    OpenParticipant,
    OpenProject,
    OpenRegion,
    OpenTransaction,
)
from aidbridge.projects import services
from aidbridge.regions.models import Region
from aidbridge.registry.privacy import id_decrypt

SCHEMA_DIR = Path(__file__).parent / "iati-2.03"


class LocalOnly(etree.Resolver):
    """Refuses anything outside the schema folder, so validation never reaches the network."""

    def resolve(self, url, pubid, context):
        path = Path(url).resolve()
        if "://" in url or path.parent != SCHEMA_DIR.resolve():
            raise AssertionError(f"the schema asked for {url}")
        return self.resolve_filename(str(path), context)


def load_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalOnly())
    return etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "iati-activities-schema.xsd"), parser))


@pytest.fixture(scope="session")
def schema() -> etree.XMLSchema:
    return load_schema()


ORG = OpenOrg("凉山州乡村振兴局", "CN-USCC-11513400MB0000000X", "government")
PATH = (
    OpenRegion("510000", "四川省", "Sichuan Province"),
    OpenRegion("513400", "凉山彝族自治州", "Liangshan Yi Autonomous Prefecture"),
    OpenRegion("513422", "木里藏族自治县", "Muli Tibetan Autonomous County"),
    OpenRegion("513422100", "乔瓦镇", "Qiaowa Town"),
    OpenRegion("513422100200", "锄头湾村", "Chutouwan Village"),
)
FUND = OpenParticipant("凉山州慈善基金会", "organization", ref="CN-USCC-53513400X", is_funder=True)
TECH = OpenParticipant("四川农业大学专家组", "expert")
FIRM = OpenParticipant("木里县建筑公司", "enterprise")
VILLAGERS = OpenParticipant("锄头湾村村民代表", "beneficiary", is_funder=True)
COUNTY = OpenParticipant("木里县乡村振兴局", "government")


@pytest.fixture
def projects() -> dict[str, OpenProject]:
    """One project per stage; only the executing one has money."""
    return {
        "mining": OpenProject(
            "p-mining", "锄头湾村饮水安全调研", "mining", date(2025, 3, 1), PATH, ORG,
            description_zh="摸排全村饮水情况。", categories=("health",),
        ),
        "raising": OpenProject(
            "p-raising", "乔瓦镇危房改造", "raising", date(2025, 4, 1), PATH[:4], ORG,
            title_en="Qiaowa dilapidated housing renovation", end=date(2026, 3, 31),
            categories=("housing", "disaster"), participants=(FIRM, COUNTY), budget_fen=50_000_000,
        ),
        "executing": OpenProject(
            "p-executing", "木里县核桃种植技术培训", "executing", date(2024, 9, 1), PATH[:3],
            ORG, title_en="Walnut growing training in Muli", description_zh="培训 120 名农户。",
            description_en="Training for 120 farmers.", end=date(2025, 8, 31),
            categories=("agriculture", "training", "living"),
            participants=(FUND, TECH, VILLAGERS), budget_fen=123_456,
            transactions=(
                OpenTransaction("donation", date(2024, 9, 2), 100_000, provider=FUND.name,
                                provider_ref=FUND.ref, ref="L-17"),
                OpenTransaction("donation", date(2024, 9, 5), 23_456, provider="个人捐赠者"),
                OpenTransaction("refund", date(2024, 9, 6), 456, receiver="个人捐赠者",
                                description="重复捐赠退回"),
                OpenTransaction("disbursement", date(2024, 10, 1), 80_001,
                                receiver="参训农户", description="培训补贴"),
                OpenTransaction("transfer_out", date(2024, 10, 2), 10_000, receiver="木里县项目"),
            ),
        ),
        "closed": OpenProject(
            "p-closed", "四川省乡村心理援助", "closed", date(2023, 1, 1), PATH[:1], ORG,
            title_en="Rural psychological support in Sichuan", end=date(2023, 12, 31),
            categories=("psychology", "education", "ecology"), participants=(FUND,),
            transactions=(OpenTransaction("service_purchase", date(2023, 2, 1), 1),),
        ),
    }  # fmt: skip


@pytest.fixture
def flows() -> list[OpenFlow]:
    return [
        OpenFlow(FUND.name, "木里县核桃种植技术培训", 100_000),
        OpenFlow("个人捐赠者", "木里县核桃种植技术培训", 23_000),
        OpenFlow("木里县核桃种植技术培训", "参训农户", 80_001),
    ]


# The database side: projects in every stage with ledger movements, and planted personal data.
DAY = date.today() - timedelta(days=10)
LSFUND_USCC = "91110108551385082Q"  # a well-formed code (check character included)
DONOR_NAME, DONOR_NUMBER = "王秀英", "513422198001012345"  # an individual helper: a person
MEMBER, OTHER_MEMBER = "阿西木嘎", "吉克曲布"
HOUSEHOLD, OTHER_HOUSEHOLD = "5134221000010901", "5134221000010902"
EXPERT, SUPPLIER = "李明华", "赵六五金店"  # typed into a partner and an outside account
FUND_ACCOUNT = (
    "木里县衔接资金"  # a fund's account without a helper goes by its name, as on the portal
)


@pytest.fixture
def ledgered(db, make_household, file_need, evidence_file):
    """Four projects of the county, one in each stage, each with ledger movements (donations,
    transfers both ways, a refund, purchases of services, disbursements and a reversed entry
    among them); personal data planted in titles, partners, helpers, accounts and memos.
    Returns (projects by stage, ledger accounts by name, the planted personal data)."""
    county, admin = User.objects.get(username="county-513422"), User.objects.get(username="admin")
    helpers = demo_helpers()
    Organization.objects.filter(code="lsfund").update(registration_number=LSFUND_USCC)
    Organization.objects.filter(code="donor-demo").update(
        name_zh=DONOR_NAME, registration_number=DONOR_NUMBER
    )
    for helper in helpers.values():
        helper.refresh_from_db()
    household = make_household(HOUSEHOLD, name=MEMBER, sequence=901)
    other = make_household(OTHER_HOUSEHOLD, name=OTHER_MEMBER, sequence=902)
    need = file_need(household_number=HOUSEHOLD, category="education", publish=True)
    village = Region.objects.get(code="513422100001")

    def project(title, summary, stage, region=village, initiator=None):
        p = services.project_create(
            by=county, region=region, title=title, summary=summary, initiator=initiator
        )
        services.project_link(
            by=county,
            project=p,
            needs=[need.public_id],
            households=[household.number, other.number],
        )
        if stage == "mining":
            return p
        services.note_add(by=county, project=p, text="入户走访")
        p = services.project_advance(by=county, project=p)
        if stage == "raising":
            return p
        target = services.target_add(
            by=county, project=p, label="资金", kind="money", amount=1_000_000
        )
        services.pledge_add(by=county, target=target, helper=helpers["lsfund"], amount=1_000_000)
        services.partner_add(by=county, project=p, role="organization", helper=helpers["lsfund"])
        services.partner_add(by=county, project=p, role="expert", name=f"{EXPERT}专家")
        services.partner_add(by=county, project=p, role="beneficiary", name=f"{MEMBER}一家")
        services.partner_add(
            by=county, project=p, role="enterprise", helper=helpers["ls-yi-embroidery"]
        )
        p = services.project_advance(by=county, project=p)
        services.milestone_add(by=county, project=p, title="完工", due=date(2030, 1, 1))
        if stage == "executing":
            return p
        milestone = p.milestones.get()
        services.milestone_done(by=county, milestone=milestone, evidence=evidence_file())
        return services.project_advance(by=county, project=p)

    projects = {
        "mining": project(f"{MEMBER}家庭助学调研", f"户号{HOUSEHOLD}，身份证{DONOR_NUMBER}。",
                          "mining"),
        "raising": project("乔瓦镇助学金", f"{OTHER_MEMBER}等学生。", "raising",
                           initiator=helpers["lsfund"]),
        "executing": project("木里县校舍维修", "", "executing",
                             region=Region.objects.get(code="513422")),
        "closed": project("达吉林社区饮水", "已完工。", "closed"),
    }  # fmt: skip
    lsfund = helpers["lsfund"]
    a = SimpleNamespace(
        person=account_open(kind="donor", organization=helpers["donor-demo"], name_zh=DONOR_NAME),
        anonymous=account_open(kind="donor", code="donor-walkin", name_zh=f"{DONOR_NAME}现金"),
        fund_donor=account_open(kind="donor", organization=lsfund, name_zh=lsfund.name_zh),
        fund=account_open(kind="organization", organization=lsfund, name_zh=lsfund.name_zh),
        gov=account_open(kind="government_fund", code="gov-513422", name_zh=FUND_ACCOUNT),
        world=account_open(kind="external", code="supplier", name_zh=SUPPLIER),
        household=account_open(kind="household", household=household, name_zh=MEMBER),
        need=account_open(kind="need", need=need, name_zh=f"{MEMBER}的需求"),
        **{
            stage: account_open(kind="project", project=p, name_zh=p.title)
            for stage, p in projects.items()
        },
    )

    def post(kind, *postings, memo=f"{MEMBER}经手"):
        entry_post(
            by=admin,
            kind=kind,
            date=DAY,
            memo=memo,
            postings=[{"account": acc, "amount": fen} for acc, fen in postings],
        )

    post("donation", (a.person, -50_000), (a.mining, 50_000))
    post("donation", (a.anonymous, -20_000), (a.fund_donor, -30_000), (a.raising, 50_000))
    post("refund", (a.raising, -5_000), (a.person, 5_000))
    post("transfer", (a.fund, -400_000), (a.executing, 400_000))
    post("service_purchase", (a.gov, -300_000), (a.executing, 300_000))
    post("disbursement", (a.executing, -250_000), (a.household, 200_000), (a.world, 50_000))
    post("service_purchase", (a.gov, -100_000), (a.closed, 100_000))
    post("disbursement", (a.closed, -60_000), (a.need, 60_000))
    post("transfer", (a.closed, -40_000), (a.executing, 40_000))
    wrong = entry_post(by=admin, kind="donation", date=DAY,
                       postings=[{"account": a.person, "amount": -99_999},
                                 {"account": a.closed, "amount": 99_999}])  # fmt: skip
    entry_reverse(by=admin, entry=wrong, memo="重复录入")
    planted = [DONOR_NAME, DONOR_NUMBER, MEMBER, OTHER_MEMBER, HOUSEHOLD, OTHER_HOUSEHOLD,
               EXPERT, SUPPLIER, idcard_of(household), idcard_of(other)]  # fmt: skip
    return projects, a, planted


def idcard_of(household) -> str:
    return id_decrypt(household.members.get().id_cipher)


@pytest.fixture
def evidence_file():
    return lambda: ContentFile(image_bytes(), name="photo.jpg")
