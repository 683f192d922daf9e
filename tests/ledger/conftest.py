"""Ledger fixtures: a fixed signing key, a small chart of accounts and a donation helper."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.ledger.services import account_open, entry_post

SEED = bytes(range(32))
ORIGIN = "aidbridge.test/ledger"
DAY = date.today() - timedelta(days=30)


@pytest.fixture(autouse=True)
def _ledger_key(settings):
    settings.LEDGER_KEY = SEED.hex()
    settings.LEDGER_ORIGIN = ORIGIN


@pytest.fixture(autouse=True)
def _english():
    """The tests read messages in English (the default language is Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def books(db, make_household):
    """A donor, the demo foundation, a household, a county fund and the outside world."""
    lsfund = Organization.objects.get(code="lsfund")
    return SimpleNamespace(
        admin=User.objects.get(username="admin"),
        donor=account_open(kind="donor", code="donor-zhang", name_zh="张三"),
        org=account_open(kind="organization", organization=lsfund, name_zh=lsfund.name_zh),
        household=account_open(
            kind="household", household=make_household("H-L1"), name_zh="锄头湾村一户"
        ),
        fund=account_open(kind="government_fund", code="gov-513422", name_zh="木里县衔接资金"),
        world=account_open(kind="external", code="outside", name_zh="平台以外"),
    )


@pytest.fixture
def donate(books):
    """donate(amount=fen, memo=...): the donor gives money to the foundation."""

    def post(amount=500_000, memo="春季募捐", day=DAY):
        return entry_post(
            by=books.admin,
            kind="donation",
            date=day,
            memo=memo,
            postings=[
                {"account": books.donor, "amount": -amount},
                {"account": books.org, "amount": amount},
            ],
        )

    return post
