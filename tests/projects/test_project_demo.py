"""The projects demo: on the demo households and needs, every stage, every typology model
and every participation form, the same each time, and nothing without households."""

import pytest
from django.db.models import F

from aidbridge.donations.models import Donation
from aidbridge.ledger.proofs import receipt_verify
from aidbridge.ledger.selectors import account_balance, entry_receipt, movements
from aidbridge.ledger.services import checkpoint_make
from aidbridge.ledger.verification import ledger_verify
from aidbridge.needs import demo as needs_demo
from aidbridge.projects import demo, selectors
from aidbridge.projects.models import Project, Stage
from aidbridge.projects.typology import Form, Typology
from aidbridge.registry import demo as households_demo
from aidbridge.spending import demo as spending_demo

pytestmark = pytest.mark.django_db


def test_without_households_there_is_nothing_to_mine():
    assert demo.load() == 0
    assert not Project.objects.exists()


def test_the_demo_shows_every_stage_model_and_form():
    households_demo.load(n=60, seed=1)
    needs_demo.load(seed=1)
    assert demo.load() == len(demo.PLANS)
    projects = list(Project.objects.order_by("pk"))
    assert {p.stage for p in projects} == set(Stage.values)
    derived = [selectors.derive(p) for p in projects]
    assert [(t.value, f.value) for t, f in derived] == [
        (Typology.ADMINISTRATIVE_PROVIDING, Form.ENTERPRISE_FUNDED_COORDINATED),
        (Typology.ADMINISTRATIVE_LED, Form.GOV_AND_ORG_INVEST),
        (Typology.ORGANIZATION_PROVIDING, Form.ORG_ENTERPRISE_WITH_EXPERTS),
        (Typology.ORGANIZATION_DRIVEN, Form.SELF_FUNDED_WITH_BENEFICIARIES),
        (Typology.ORGANIZATION_PROVIDING, Form.UNDETERMINED),
    ]
    assert [p.stage for p in projects] == [plan.stage for plan in demo.PLANS]
    assert all(p.needs.exists() and p.households.exists() for p in projects)
    assert demo.load() == 0  # once only
    assert Project.objects.count() == len(demo.PLANS)


def test_the_demo_projects_of_every_model_have_money_flows_that_verify():
    households_demo.load(n=60, seed=1)
    needs_demo.load(seed=1)
    demo.load(money=spending_demo.flows)
    checkpoint_make()
    kinds = {}
    for plan in demo.PLANS[:4]:
        project = Project.objects.get(title=plan.title)
        seen = movements(account=project.ledger_account)
        assert seen, plan.title
        kinds[plan.title] = {m.kind for m in seen}
    assert set().union(*kinds.values()) >= {
        "donation",
        "disbursement",
        "purchase",
        "refund",
        "service_purchase",
        "transfer",
    }
    loans = {
        m.kind
        for m in movements(
            account=Project.objects.get(title=demo.PLANS[2].title).initiator.ledger_accounts.get(
                kind="organization"
            )
        )
    }
    assert loans == {"transfer", "loan_disbursement", "loan_repayment"}
    assert Donation.objects.filter(status="offered").count() == 1  # waits for the foundation
    received = Donation.objects.filter(status="received").select_related("entry")
    # The foundation's own money goes into its projects as transfers: no receipt to itself.
    assert received.count() == 4 and all(d.serial and d.entry for d in received)
    assert not received.filter(donor=F("recipient")).exists()
    assert ledger_verify().ok
    assert receipt_verify(entry_receipt(seq=received.first().entry_id))
    winter = Project.objects.get(title=demo.PLANS[0].title)
    assert winter.stage == "closed" and account_balance(account=winter.ledger_account) == 0
