"""Recording a visit: who may, what is checked first, and that an error writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from upload_files import image_bytes

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.monitoring.models import Visit
from aidbridge.monitoring.visits import visit_record

pytestmark = pytest.mark.django_db
MET = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)


def test_the_clerk_records_a_visit_with_photos(make_household, user):
    household = make_household("V-1")
    photo = SimpleUploadedFile("house.png", image_bytes("PNG"), content_type="image/png")
    visit = visit_record(
        by=user("clerk-513422100001"),
        household=household,
        visited_on=timezone.localdate(),
        indicators={**MET, "housing": False},
        per_capita_income=5200,
        shocks=["illness", "illness"],
        photos=[photo],
    )
    assert visit.indicators["housing"] is False and visit.shocks == ["illness"]
    assert visit.photos.count() == 1


def test_bad_input_names_each_field_and_writes_nothing(make_household, user):
    household = make_household("V-2")
    not_an_image = SimpleUploadedFile("x.png", b"%PDF-1.4 nothing", content_type="image/png")
    with pytest.raises(InvalidInput) as caught:
        visit_record(
            by=user("clerk-513422100001"),
            household=household,
            visited_on=timezone.localdate() + timedelta(days=1),
            indicators={k: v for k, v in MET.items() if k != "water"},
            per_capita_income=-1,
            shocks=["locusts"],
            photos=[not_an_image],
        )
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"visited_on", "indicators.water", "per_capita_income", "shocks", "photos"}
    assert not Visit.objects.exists()


def test_only_registrars_and_responsible_helpers_visit(make_household, user):
    household = make_household("V-3")
    for username in ("org-lsfund", "social_worker-513422", "supervisor-513400"):
        with pytest.raises(NotAllowed):
            visit_record(
                by=user(username),
                household=household,
                visited_on=timezone.localdate(),
                indicators=MET,
            )
