"""A corrupted ledger is loud: the mismatch that signing or verifying finds is recorded once,
the platform administrators are told, the public ledger page and the administrators' pages
name the entry, and a verification that passes again clears it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aidbridge.errors import InvalidInput
from aidbridge.ledger.models import Entry, LedgerAlarm, LedgerCorrupt
from aidbridge.ledger.services import checkpoint_make, receipt_issue
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def set_memo(seq: int, memo: str) -> None:
    """Write behind the application's back."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Entry._meta.db_table} SET memo = %s WHERE seq = %s", [memo, seq])


def page(client, url="/portal/ledger/") -> str:
    response = client.get(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_signing_over_a_changed_entry_raises_the_alarm_once(client, login, donate):
    donate()
    checkpoint_make()
    changed = donate(memo="原文")
    set_memo(changed.seq, "改过")
    for _attempt in range(2):
        with pytest.raises(LedgerCorrupt):
            checkpoint_make()
    alarm = LedgerAlarm.objects.get()
    assert (alarm.first_bad_entry, alarm.found_by, alarm.resolved_at) == (
        changed.seq,
        "checkpoint",
        None,
    )
    notes = Notification.objects.filter(user__username="admin")
    assert notes.count() == 1 and notes.get().url == "/portal/ledger/"

    public = page(client)
    assert "The ledger failed its integrity check" in public
    assert f"first bad entry: {changed.seq}" in public
    login("admin")
    assert f"first bad entry: {changed.seq}" in page(client, "/")
    login("township-513422100")
    assert "integrity check" not in page(client, "/")


def test_verify_raises_the_alarm_and_a_clean_run_clears_it(client, donate):
    donate()
    tampered = donate(memo="原文")
    checkpoint_make()
    set_memo(tampered.seq, "改过")
    with pytest.raises(CommandError):
        call_command("ledger", "verify")
    alarm = LedgerAlarm.objects.get(resolved_at=None)
    assert (alarm.found_by, alarm.first_bad_entry) == ("verify", tampered.seq)
    assert f"first bad entry: {tampered.seq}" in page(client)

    set_memo(tampered.seq, "原文")  # repaired from a backup
    call_command("ledger", "verify")
    alarm.refresh_from_db()
    assert alarm.resolved_at is not None
    assert "integrity check" not in page(client)


def test_a_receipt_that_no_longer_verifies_is_refused_and_raises_the_alarm(donate):
    entry = donate(memo="原文")
    checkpoint_make()
    assert receipt_issue(seq=entry.seq)["entry"]["memo"] == "原文"
    set_memo(entry.seq, "改过")
    with pytest.raises(InvalidInput) as err:
        receipt_issue(seq=entry.seq)
    assert err.value.errors[0]["field"] == "receipt"
    assert "The proof cannot be issued" in err.value.errors[0]["message"]
    assert LedgerAlarm.objects.get().found_by == "receipt"


def test_the_alarm_reads_in_each_readers_language_whoever_found_it(client, login, donate):
    """Found during an English request, the alarm still reads in Chinese on Chinese pages,
    and each administrator's notification is in their own language."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    get_user_model().objects.filter(username="admin").update(language="en")
    donate()
    checkpoint_make()
    changed = donate(memo="原文")
    set_memo(changed.seq, "改过")
    with translation.override("en"), pytest.raises(LedgerCorrupt):
        checkpoint_make()
    alarm = LedgerAlarm.objects.get()
    chinese = client.get("/portal/ledger/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f"第 {changed.seq} 笔分录与其存储的哈希不符" in chinese
    assert "does not match its stored hash" not in chinese
    assert "does not match its stored hash" in page(client)
    with translation.override("zh-hans"):
        assert "does not match" not in str(alarm)
    note = Notification.objects.get(user__username="admin")
    assert "does not match its stored hash" in note.body
