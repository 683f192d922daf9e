"""The plain data: exact yuan, checked values, vocabularies in step with the platform's."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from aidbridge.categories import Category
from aidbridge.helpers.models import OrganizationKind
from aidbridge.opendata.iati import ACTIVITY_STATUS, DAC_SECTOR, ORG_TYPE, TRANSACTION_TYPE
from aidbridge.opendata.model import (
    CATEGORIES,
    ORG_KINDS,
    STAGES,
    TRANSACTION_KINDS,
    OpenFlow,
    OpenOrg,
    OpenParticipant,
    OpenTransaction,
    yuan,
)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(123456, "1234.56"), (100, "1.00"), (1, "0.01"), (0, "0.00"), (-456, "-4.56"),
     (10**15, "10000000000000.00")],
)  # fmt: skip
def test_yuan_is_exact(fen, text):
    assert str(yuan(fen)) == text


@pytest.mark.parametrize("bad", [1.5, Decimal("1"), "100", True])
def test_yuan_takes_integer_fen_only(bad):
    with pytest.raises(TypeError):
        yuan(bad)


def test_vocabularies_match_the_platform_and_the_mappings():
    assert CATEGORIES == tuple(Category.values)
    assert set(ORG_KINDS) == set(OrganizationKind.values) - {"individual"}
    assert set(DAC_SECTOR) == set(CATEGORIES)
    assert set(ORG_TYPE) == set(ORG_KINDS)
    assert set(ACTIVITY_STATUS) == set(STAGES)
    assert set(TRANSACTION_TYPE) == set(TRANSACTION_KINDS)


def test_raised_and_spent(projects):
    p = projects["executing"]
    assert (p.raised_fen, p.spent_fen) == (123_000, 80_001)  # the transfer out is passed on
    goods = OpenTransaction("disbursement", date(2024, 10, 3), 5_000, materials=True)
    with_goods = replace(p, transactions=(*p.transactions, goods))
    assert (with_goods.raised_fen, with_goods.spent_fen) == (123_000, 80_001)


@pytest.mark.parametrize(
    "change",
    [
        {"stage": "paused"},
        {"categories": ("health", "health")},
        {"categories": ("poetry",)},
        {"region": ()},
        {"end": date(2020, 1, 1)},
        {"stage": "closed", "end": None},
        {"budget_fen": 0},
        {"budget_fen": 12.5},
        {"title_zh": ""},
    ],
)
def test_invalid_projects_are_refused(projects, change):
    with pytest.raises((ValueError, TypeError)):
        replace(projects["raising"], **change)


@pytest.mark.parametrize(
    "make",
    [
        lambda: OpenOrg("某人", "CN-X", "individual"),
        lambda: OpenOrg("", "CN-X", "government"),
        lambda: OpenParticipant("", "expert"),
        lambda: OpenParticipant("某队", "donor"),
        lambda: OpenTransaction("reversal", date(2024, 1, 1), 1),
        lambda: OpenTransaction("donation", date(2024, 1, 1), -1),
        lambda: OpenFlow("a", "b", -1),
    ],
)
def test_invalid_parts_are_refused(make):
    with pytest.raises(ValueError):
        make()
