"""The household edit page and the member rows htmx adds: problems summarised at the top and
linked to their fields, resident IDs never in a URL."""

from datetime import date

import pytest

from aidbridge.accounts.models import User
from aidbridge.registry import idcard
from aidbridge.registry.models import Member

pytestmark = pytest.mark.django_db
CLERK = "clerk-513422100001"


@pytest.fixture
def household(make_household):
    return make_household("W-1", born=date(1960, 1, 1), per_capita_income=3000, income_year=2024)


def rows(household, new=()):
    """The edit form as the page posts it: the present members' rows, then ``new`` ones."""
    present = list(household.members.filter(left_on__isnull=True))
    data = {
        "address": household.address,
        "main_cause": household.main_cause,
        "income_year": household.income_year or "",
        "per_capita_income": household.per_capita_income or "",
        "m-TOTAL_FORMS": str(len(present) + len(new)),
        "m-INITIAL_FORMS": str(len(present)),
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "50",
    }
    for i, m in enumerate(present):
        data.update(
            {
                f"m-{i}-name": m.name,
                f"m-{i}-relation": m.relation,
                f"m-{i}-labour": m.labour,
                f"m-{i}-health": m.health,
                f"m-{i}-schooling": m.schooling,
                f"m-{i}-medical_insurance": "yes",
            }
        )
    for j, fields in enumerate(new, start=len(present)):
        data.update({f"m-{j}-{k}": v for k, v in fields.items()})
    return data


def baby(seq=4):
    return {
        "name": "小拉姆",
        "resident_id": idcard.generate(
            region_code="513422", birth_date=date(2026, 3, 3), sex="female", sequence=seq
        ),
        "relation": "grandchild",
        "labour": "none",
        "schooling": "preschool",
        "medical_insurance": "yes",
    }


def test_the_clerk_adds_a_birth_and_a_new_income(client, household):
    client.force_login(User.objects.get(username=CLERK))
    detail = client.get(f"/households/{household.public_id}/")
    assert f"/households/{household.public_id}/edit/" in detail.content.decode()
    data = {**rows(household, [baby()]), "income_year": "2025", "per_capita_income": "4800"}
    response = client.post(f"/households/{household.public_id}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    household.refresh_from_db()
    assert (household.size, household.per_capita_income) == (2, 4800)
    assert Member.objects.get(name="小拉姆").history.first().history_user.username == CLERK


def test_a_member_leaves_on_the_page(client, household):
    client.force_login(User.objects.get(username=CLERK))
    client.post(f"/households/{household.public_id}/edit/", rows(household, [baby()]))
    data = rows(household)
    data.update({"m-1-left_reason": "moved_out", "m-1-left_on": "2026-11-30"})
    assert client.post(f"/households/{household.public_id}/edit/", data).status_code == 302
    gone = Member.objects.get(name="小拉姆")
    assert (gone.left_reason, gone.left_on) == ("moved_out", date(2026, 11, 30))
    page = client.get(f"/households/{household.public_id}/").content.decode()
    assert "2026-11-30" in page


def test_problems_are_summarised_and_linked_to_their_fields(client, household):
    client.force_login(User.objects.get(username=CLERK))
    data = rows(household, [{**baby(), "resident_id": "513422"}])
    data.update({"m-0-left_reason": "died", "per_capita_income": "-5"})
    response = client.post(f"/households/{household.public_id}/edit/", data)
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[page.index('id="error-summary"') :]
    assert 'href="#id_per_capita_income"' in summary
    response = client.post(
        f"/households/{household.public_id}/edit/", {**data, "per_capita_income": "10"}
    )
    summary = response.content.decode()
    summary = summary[summary.index('id="error-summary"') :]
    assert 'href="#id_m-0-left_on"' in summary and 'href="#id_m-1-resident_id"' in summary
    assert 'id="id_m-0-left_on"' in summary and 'id="id_m-1-resident_id"' in summary
    household.refresh_from_db()
    assert household.size == 1 and household.per_capita_income == 3000


def test_the_registration_page_summarises_too(client):
    client.force_login(User.objects.get(username=CLERK))
    response = client.post(
        "/households/new/",
        {"m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-name": "阿木", "m-0-relation": "head"},
    )
    page = response.content.decode()
    assert 'href="#id_main_cause"' in page and 'href="#id_m-0-resident_id"' in page


def test_htmx_adds_a_row_and_counts_it(client):
    client.force_login(User.objects.get(username=CLERK))
    response = client.get("/households/member-row/?index=3")
    page = response.content.decode()
    assert 'name="m-3-resident_id"' in page and "成员 4" in page
    assert 'id="id_m-TOTAL_FORMS" hx-swap-oob="true"' in page and 'value="4"' in page
    assert "index=4" in page and 'hx-params="none"' in page
    assert client.get("/households/member-row/?remove=1").content == b""
    assert client.get("/households/member-row/?index=50").status_code == 404


@pytest.mark.parametrize("username", ["city-513400", "social_worker-513422", "org-lsfund"])
def test_others_do_not_edit(client, household, username):
    client.force_login(User.objects.get(username=username))
    assert client.get(f"/households/{household.public_id}/edit/").status_code == 404
    before = household.address
    client.post(f"/households/{household.public_id}/edit/", {**rows(household), "address": "x"})
    household.refresh_from_db()
    assert household.address == before
