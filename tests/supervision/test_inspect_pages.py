"""The pages of inspection visits and rectification: the inspector's list and form, a
finding, the unit's answer with evidence, the inspector's close, accountability for
supervisors only, and notes that stay off what the public sees."""

import uuid

import pytest

from aidbridge.supervision.models import InspectionVisit, OrderStatus, RectificationOrder
from tests.supervision.inspect_setup import HOUSEHOLD_ANSWERS, drawn_plan, photo, visit_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(user, region, make_household):
    return visit_in(drawn_plan(user, region, make_household), "513422100001")


def form_data(**extra):
    data = {f"q_{key}": value for key, value in HOUSEHOLD_ANSWERS.items()}
    data |= {"q_people": "1", "visited_on": "2026-01-05", "client_key": str(uuid.uuid4())}
    return data | extra


def test_the_inspector_records_finds_the_unit_answers_and_the_inspector_closes(client, visit, user):
    inspector = visit.inspectors.order_by("pk").first()
    client.force_login(inspector)
    listed = client.get("/supervision/visits/").content.decode()
    assert f"/supervision/visits/{visit.public_id}/record/" in listed
    page = client.get(f"/supervision/visits/{visit.public_id}/record/").content.decode()
    assert (
        'type="radio"' in page and 'data-offline-form="' in page and 'capture="environment"' in page
    )
    assert 'name="q_people" value="1"' in page  # the registered size, prefilled
    bad = client.post(f"/supervision/visits/{visit.public_id}/record/", form_data(q_exit=""))
    assert bad.status_code == 200 and 'id="q-q_exit"' in bad.content.decode()
    assert "error-summary" in bad.content.decode()
    data = form_data(notes="邻居说户主常年外出", latitude="28.1", longitude="101.1", photos=photo())
    done = client.post(f"/supervision/visits/{visit.public_id}/record/", data)
    assert done.status_code == 302
    again = client.post(
        f"/supervision/visits/{visit.public_id}/record/", data | {"photos": photo()}
    )
    assert again.status_code == 302  # the same client key: recorded once
    visit.refresh_from_db()
    assert visit.latitude is None and visit.photos.count() == 1  # no consent, no place
    shown = client.get(f"/supervision/visits/{visit.public_id}/").content.decode()
    assert "邻居说户主常年外出" in shown and "/supervision/photos/" in shown
    client.post(
        f"/supervision/visits/{visit.public_id}/finding/",
        {"kind": "aid_not_received", "description": "补贴只到一半"},
    )
    order = RectificationOrder.objects.get()
    url = f"/supervision/orders/{order.public_id}/"
    assert 'id="answer-form"' not in client.get(url).content.decode()

    township = user("township-513422100")
    client.force_login(township)
    assert url in client.get("/supervision/orders/").content.decode()
    page = client.get(url).content.decode()
    assert 'id="answer-form"' in page and 'id="accountability"' not in page
    client.post(f"{url}answer/", {"answer": "已补发", "evidence": photo()})
    order.refresh_from_db()
    assert order.status == OrderStatus.ANSWERED
    evidence = order.evidence.get()
    assert client.get(f"/supervision/evidence/{evidence.pk}/").status_code == 200

    client.force_login(inspector)
    client.post(f"{url}verify/", {"decision": "accept", "note": "核实已补发"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED

    client.force_login(user("supervisor-513400"))
    client.cookies.load({"django_language": "en"})
    page = client.get(url).content.decode()
    assert 'id="accountability"' in page and "Rectified and closed" in page
    client.post(f"{url}accountability/", {"person": "张三", "measure": "诫勉谈话"})
    assert "诫勉谈话" in client.get(url).content.decode()


def test_outsiders_find_nothing_and_the_public_no_notes(client, visit, user):
    InspectionVisit.objects.filter(pk=visit.pk).update(notes="户主患病")
    for name in ("township-513422101", "clerk-513422100001", "org-lsfund", "donor-demo"):
        client.force_login(user(name))
        assert client.get(f"/supervision/visits/{visit.public_id}/").status_code == 404
        listed = client.get("/supervision/visits/")
        if name == "township-513422101":  # reads the visits of its own area only
            assert str(visit.public_id) not in listed.content.decode()
        else:
            assert listed.status_code == 404, name
            assert client.get("/supervision/orders/").status_code == 404
    client.logout()
    assert client.get(f"/supervision/visits/{visit.public_id}/").status_code == 302
    for path in ("/portal/", "/portal/supervision/"):
        response = client.get(path)
        assert "户主患病" not in response.content.decode()


def test_the_visit_form_in_chinese_and_english(client, visit):
    client.force_login(visit.inspectors.order_by("pk").first())
    page = client.get(f"/supervision/visits/{visit.public_id}/record/").content.decode()
    assert "记录" in page
    client.cookies.load({"django_language": "en"})
    page = client.get(f"/supervision/visits/{visit.public_id}/record/").content.decode()
    assert "Is the household rightly registered?" in page and "Record the visit" in page
