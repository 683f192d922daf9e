"""Open data fixtures: the official IATI 2.03 schema, loaded from the local copies only, and a
few projects covering every stage."""

from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from aidbridge.opendata.model import (
    OpenFlow,
    OpenOrg,
    OpenParticipant,
    OpenProject,
    OpenRegion,
    OpenTransaction,
)

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
