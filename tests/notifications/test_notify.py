"""notify(): one row per distinct active user, filled-in text, email only after commit."""

import pytest
from django.core import mail
from django.utils.translation import gettext_lazy as _

from aidbridge.accounts.models import User
from aidbridge.notifications.models import Notification
from aidbridge.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_one_row_per_distinct_active_user_with_params_filled_in():
    clerk = User.objects.get(username="clerk-513422100001")
    officer = User.objects.get(username="township-513422100")
    User.objects.filter(username="county-513422").update(is_active=False)
    retired = User.objects.get(username="county-513422")
    notify(
        users=[clerk, officer, clerk, None, retired],
        subject=_("Need %(number)s filed"),
        body=_("Please review need %(number)s."),
        params={"number": "N-7"},
        url="/needs/7/",
    )
    notes = Notification.objects.order_by("user__username")
    assert [n.user for n in notes] == [clerk, officer]
    assert {(n.subject, n.body, n.url) for n in notes} == {
        ("Need N-7 filed", "Please review need N-7.", "/needs/7/")
    }
    assert all(n.read_at is None for n in notes)


def test_email_goes_after_commit_and_only_to_users_with_an_address(
    django_capture_on_commit_callbacks,
):
    clerk = User.objects.get(username="clerk-513422100001")
    User.objects.filter(pk=clerk.pk).update(email="clerk@example.org")
    clerk.refresh_from_db()
    officer = User.objects.get(username="township-513422100")  # no address
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(
            users=[clerk, officer],
            subject=_("Claim %(n)s delivered"),
            params={"n": 3},
            body=_("Please confirm."),
            url="/needs/3/",
        )
        assert mail.outbox == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    [message] = mail.outbox
    assert message.to == ["clerk@example.org"]
    assert message.subject == "Claim 3 delivered"
    assert message.body == "Please confirm.\n\n/needs/3/"
    assert Notification.objects.filter(user=officer).count() == 1


def test_no_email_no_callback(django_capture_on_commit_callbacks):
    officer = User.objects.get(username="township-513422100")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(users=[officer], subject=_("Hello"))
    assert callbacks == [] and mail.outbox == []
