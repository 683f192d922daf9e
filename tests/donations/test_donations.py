"""Donations: offered by a donor, received by the recipient charity, which posts the ledger
entry and issues the receipt; what each target received; the honour roll; who sees what."""

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.utils import translation

from aidbridge.accounts.models import Role, User
from aidbridge.donations import selectors
from aidbridge.donations.models import Donation
from aidbridge.donations.services import donation_cancel, donation_offer, donation_receive
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import Organization
from aidbridge.ledger.models import Checkpoint
from aidbridge.ledger.proofs import receipt_verify
from aidbridge.ledger.selectors import account_balance, entry_receipt
from aidbridge.ledger.services import entry_reverse
from aidbridge.notifications.models import Notification
from aidbridge.portal.money import helper_totals
from aidbridge.projects import selectors as project_selectors
from aidbridge.projects.selectors import targets_with_progress


def fields(err) -> set[str]:
    return {e["field"] for e in err.value.errors}


@pytest.fixture
def give(project, donor, helpers):
    """give(**changes): the donor offers 500 yuan for the money target through lsfund."""

    def offer(by=None, **changes):
        data = {"target": project.money, "recipient": helpers["lsfund"], "value": 50_000}
        return donation_offer(by=by or donor, **{**data, **changes})

    return offer


def test_a_received_donation_is_in_the_ledger_with_a_receipt_that_verifies(
    give, staff, project, django_capture_on_commit_callbacks
):
    offered = give()
    assert offered.status == "offered" and offered.entry is None and offered.serial is None
    assert offered.donor.name_zh == "爱心人士（演示）"
    assert Notification.objects.filter(user=staff, url=offered.get_absolute_url()).exists()
    with django_capture_on_commit_callbacks(execute=True):
        received = donation_receive(by=staff, donation=offered)
    year = date.today().year
    assert received.serial == f"lsfund-{year}-000001"
    postings = list(received.entry.postings.order_by("line").values_list("account__code", "amount"))
    assert postings == [("donor-donor-demo", -50_000), (f"project-{project.public_id}", 50_000)]
    assert received.entry.kind == "donation" and received.serial in received.entry.memo
    assert account_balance(account=project.ledger_account) == 50_000
    assert Checkpoint.objects.filter(size__gte=received.entry.seq).exists()  # signed at commit
    checked = receipt_verify(entry_receipt(seq=received.entry.seq))
    assert checked.entry["postings"][1]["amount"] == 50_000


def test_receipt_numbers_count_per_recipient_and_year(give, staff):
    serials = [donation_receive(by=staff, donation=give(value=v)).serial for v in (100, 200, 300)]
    assert [s[-6:] for s in serials] == ["000001", "000002", "000003"]
    last_year = date.today().replace(month=1, day=1) - timedelta(days=1)
    old = give(offered_on=last_year - timedelta(days=5))
    assert donation_receive(by=staff, donation=old, received_on=last_year).serial.endswith(
        f"-{last_year.year}-000001"
    )


def test_goods_are_given_at_a_stated_value_and_counted_in_their_unit(give, staff, project):
    offered = give(target=project.goods, value=12_000, quantity=40, goods="新书包")
    donation_receive(by=staff, donation=offered)
    donation_receive(by=staff, donation=give(value=70_000))
    line = Donation.objects.get(pk=offered.pk).entry
    assert list(line.postings.values_list("quantity", "unit")) == [(-40, "个"), (40, "个")]
    progress = {t.label: (t.received, t.received_percent) for t in targets_with_progress(project)}
    assert progress == {"助学金": (70_000, 3), "书包": (40, 40)}


def test_a_reversed_donation_no_longer_counts(give, staff, project):
    received = donation_receive(by=staff, donation=give())
    entry_reverse(by=staff, entry=received.entry, memo="银行退回")
    assert project_selectors.received(project) == {}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": 0}, "value"),
        ({"value": 1.5}, "value"),
        ({"quantity": 3}, "quantity"),
        ({"recipient": None}, "recipient"),
        ({"offered_on": date.today() + timedelta(days=1)}, "offered_on"),
        ({"honour": True}, "honour_name"),  # an individual chooses the name shown
    ],
)
def test_a_wrong_offer_names_its_field_and_writes_nothing(give, changes, field):
    with pytest.raises(InvalidInput) as err:
        give(**changes)
    assert field in fields(err)
    assert not Donation.objects.exists()


def test_goods_need_a_quantity_and_a_description(give, project):
    with pytest.raises(InvalidInput) as err:
        give(target=project.goods, value=100)
    assert fields(err) == {"quantity", "goods"}


def test_only_the_projects_verified_charities_receive(give, helpers, project):
    with pytest.raises(InvalidInput) as err:
        give(recipient=helpers["ls-yi-embroidery"])  # an enterprise issues no receipts
    assert fields(err) == {"recipient"}
    Organization.objects.filter(code="lsfund").update(verified_at=None)
    assert selectors.recipients(project) == []


def test_only_the_recipients_staff_confirm_and_only_offers(give, donor, staff, user):
    offered = give()
    for outsider in (donor, user("county-513422")):
        with pytest.raises(NotAllowed):
            donation_receive(by=outsider, donation=offered)
    donation_receive(by=staff, donation=offered)
    with pytest.raises(InvalidInput):
        donation_receive(by=staff, donation=offered)
    with pytest.raises(InvalidInput):
        donation_cancel(by=staff, donation=offered)


def test_either_side_cancels_an_offer(give, donor, staff, user):
    assert donation_cancel(by=donor, donation=give()).status == "cancelled"
    assert donation_cancel(by=staff, donation=give()).status == "cancelled"
    with pytest.raises(NotAllowed):
        donation_cancel(by=user("county-513422"), donation=give())


def test_a_donation_is_seen_by_its_donor_and_recipient_only(give, donor, staff, user, helpers):
    offered = give()
    assert selectors.access_donation(donor, offered.public_id) == offered
    assert selectors.access_donation(staff, offered.public_id) == offered
    other_staff = User.objects.create(
        username="org-foshan", role=Role.ORG_STAFF, organization=helpers["foshan-gov"]
    )
    for outsider in (user("county-513422"), other_staff):
        with pytest.raises(Http404):
            selectors.access_donation(outsider, offered.public_id)


def test_the_honour_roll_shows_only_those_who_chose_by_the_name_they_chose(give, staff):
    donation_receive(by=staff, donation=give(value=100_000, honour=True, honour_name="一位老师"))
    donation_receive(by=staff, donation=give(value=20_000, honour=True, honour_name="一位老师"))
    donation_receive(by=staff, donation=give(value=900_000))  # not shown
    give(value=5_000, honour=True, honour_name="尚未到账")  # offered only
    assert selectors.honour_roll() == [{"honour_name": "一位老师", "total": 120_000}]


def test_the_portal_credits_the_receiving_charity_with_what_donors_gave_through_it(give, staff):
    donation_receive(by=staff, donation=give(value=30_000))
    donation_receive(by=staff, donation=give(value=12_000))
    give(value=99_000)  # offered, not arrived
    with translation.override("en"):
        rows = {h.party.label: (h.receipted, h.figures.passed_on) for h in helper_totals()}
    assert rows["Liangshan Rural Revitalization Foundation (demo)"] == (42_000, 0)
    assert rows["Individual donors (1)"] == (0, 42_000)
