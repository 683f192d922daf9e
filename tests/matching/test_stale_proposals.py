"""Proposals go stale honestly: when a need is no longer open to claims, its proposals not
yet answered are withdrawn with the reason, and accepting one explains why."""

import pytest
from django.contrib.messages import get_messages

from aidbridge.errors import InvalidInput
from aidbridge.matching import selectors, services
from aidbridge.matching.models import ProposalStatus
from aidbridge.needs import claims
from aidbridge.needs.models import Need
from aidbridge.needs.services import need_withdraw
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
COUNTY, CLERK = "county-513422", "clerk-513422100001"


@pytest.fixture
def sent(need, offer, run_round, user):
    """A round over one published need of 3000 yuan, sent: (need, its proposal)."""
    wanted = need("需", 3000)
    offer(3000)
    found = run_round()
    services.round_send(by=user(COUNTY), found=found)
    return wanted, found.proposals.get()


def test_withdrawing_the_need_withdraws_its_proposal_and_accepting_explains(
    sent, user, helper_staff, deadline
):
    wanted, proposal = sent
    need_withdraw(by=user(CLERK), need=wanted, reason="户主已自行解决")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.need_status) == ("withdrawn", "withdrawn")
    told = Notification.objects.get(user=helper_staff, subject__contains="已撤回")
    assert "“需”" in told.subject and told.url == "/matching/proposals/"
    with pytest.raises(InvalidInput) as refused:
        services.proposal_accept(by=helper_staff, proposal=proposal, deliver_by=deadline)
    assert refused.value.errors[0]["field"] == "status"
    assert "不再" in refused.value.errors[0]["message"] or "no longer" in str(refused.value)
    wanted.refresh_from_db()
    assert wanted.claimed == 0


def test_a_need_claimed_in_full_by_another_helper_withdraws_the_proposal(
    sent, user, other_helper, deadline
):
    wanted, proposal = sent
    claims.claim_create(
        by=user("org-foshan"), need=wanted, kind="money", amount=3000, deliver_by=deadline
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.need_status) == ("withdrawn", "fully_claimed")
    # Accepting one's own proposal claims the need in full and is not withdrawn by it.


def test_accepting_the_proposal_that_fills_the_need_is_not_withdrawn(sent, helper_staff, deadline):
    wanted, proposal = sent
    accepted = services.proposal_accept(by=helper_staff, proposal=proposal, deliver_by=deadline)
    accepted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED and accepted.claim.amount == 3000


def test_a_stale_proposal_found_at_acceptance_is_withdrawn_and_stays_withdrawn(
    sent, helper_staff, deadline
):
    """A need closed outside the services (before this rule, or by hand): accepting its
    proposal withdraws it, and the withdrawal is kept although the acceptance is refused."""
    wanted, proposal = sent
    Need.objects.filter(pk=wanted.pk).update(status="expired")
    with pytest.raises(InvalidInput):
        services.proposal_accept(by=helper_staff, proposal=proposal, deliver_by=deadline)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.need_status) == ("withdrawn", "expired")


def test_a_draft_proposal_of_a_closed_need_is_not_sent(need, offer, run_round, user, helper_staff):
    wanted = need("需", 3000)
    need("另", 500)
    offer(4000)
    found = run_round()
    need_withdraw(by=user(CLERK), need=wanted, reason="重复")
    services.round_send(by=user(COUNTY), found=found)
    statuses = dict(found.proposals.values_list("need__title", "status"))
    assert statuses == {"需": "discarded", "另": "sent"}
    assert [p.need.title for p in selectors.incoming(helper_staff)] == ["另"]


def test_the_page_and_the_api_explain_the_withdrawal(
    sent, client, api, user, helper_staff, deadline
):
    wanted, proposal = sent
    need_withdraw(by=user(CLERK), need=wanted, reason="户主已自行解决")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(helper_staff)
    response = client.post(
        f"/matching/proposals/{proposal.public_id}/answer/",
        {"action": "accept", "deliver_by": deadline.isoformat()},
    )
    assert response.status_code == 302
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "no longer open" in said and "Withdrawn" in said
    page = client.get("/matching/proposals/").content.decode()
    assert "The need is no longer open" in page
    refused = api(
        "org-lsfund",
        "post",
        f"/matching/proposals/{proposal.public_id}/accept",
        {"deliver_by": deadline.isoformat()},
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "status"
    listed = api("org-lsfund", "get", "/matching/proposals").json()["items"]
    assert listed[0]["status"] == "withdrawn" and "no longer open" in listed[0]["reason"]
