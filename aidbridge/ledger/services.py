"""Writers of the ledger: accounts, entries (one, many at once, reversals) and checkpoints.

Entries are appended under the ledger's append lock: on PostgreSQL a transaction-level advisory
lock, on SQLite the database's write lock (our SQLite transactions are IMMEDIATE). The next
sequence number is read after the lock is taken, in the transaction that inserts, so appends
queue up, a rolled-back append leaves no gap, and the primary key refuses a duplicate should
the lock ever be bypassed. Entries are checked first (rules.py) and their leaf hashes computed
here, in Python, then inserted as plain rows: COPY on PostgreSQL. The tree nodes an append completes
(models.TreeNode) are hashed from the frontier before it and written in the same transaction.

A reversal mirrors the entry it reverses (every amount and quantity negated) and is not itself
reversed: post the right entry again instead.
"""

import datetime
import re
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.selectors import platform_admins
from aidbridge.errors import InvalidInput, problem
from aidbridge.keys.models import KeyName
from aidbridge.keys.services import rotation_begin, rotation_finish, rotation_recover
from aidbridge.ledger.checkpoint import Checkpoint as TreeHead
from aidbridge.ledger.checkpoint import NoteError, Signer, sign_checkpoint, verify_checkpoint
from aidbridge.ledger.encoding import CODE_PATTERN, encode_entry
from aidbridge.ledger.keys import checkpoint_verifier, handover_statement, ledger_signer
from aidbridge.ledger.merkle import leaf_hash
from aidbridge.ledger.models import (
    HELPER_ACCOUNTS,
    NODE_HEIGHT,
    Account,
    AccountKind,
    Checkpoint,
    Entry,
    EntryKind,
    LedgerAlarm,
    LedgerCorrupt,
    Posting,
    TreeNode,
)
from aidbridge.ledger.rules import MAX_MEMO, Draft, date_errors, drafts
from aidbridge.ledger.selectors import entry_receipt, ledger_alarm, ledger_size, tree_frontier
from aidbridge.ledger.verification import (
    ENTRY_CHANGED,
    ENTRY_MISSING,
    NODE_CHANGED,
    Report,
    ledger_verify,
    recomputed_hashes,
)
from aidbridge.notifications.services import notify
from aidbridge.sentences import Sentence

_APPEND_LOCK, _CHECKPOINT_LOCK = 0x6C656467, 0x6C656468  # PostgreSQL advisory lock keys
_ENTRY_COLUMNS = (
    "seq",
    "kind",
    "date",
    "memo",
    "reverses",
    "created_by",
    "created_at",
    "leaf_hash",
)
_POSTING_COLUMNS = ("entry", "line", "account", "amount", "quantity", "unit")
_CODE_PREFIX = {
    AccountKind.DONOR: "donor",
    AccountKind.ORGANIZATION: "org",
    AccountKind.GOVERNMENT_FUND: "gov",
    AccountKind.NEED: "need",
    AccountKind.HOUSEHOLD: "household",
    AccountKind.PROJECT: "project",
}
_LINKS = {
    "organization": HELPER_ACCOUNTS,
    "need": (AccountKind.NEED,),
    "household": (AccountKind.HOUSEHOLD,),
    "project": (AccountKind.PROJECT,),
}
_REQUIRED_LINK = {
    AccountKind.NEED: "need",
    AccountKind.HOUSEHOLD: "household",
    AccountKind.PROJECT: "project",
}


def account_open(
    *,
    kind: str,
    name_zh: str,
    name_en: str = "",
    code: str = "",
    organization=None,
    need=None,
    household=None,
    project=None,
) -> Account:
    """Open an account. Linked accounts get their code from the link when none is given:
    ``donor-<helper code>``, ``org-…``, ``gov-…``, ``need-<public id>``,
    ``household-<public id>`` (never the household number, which is personal),
    ``project-<public id>``."""
    links = {
        "organization": organization,
        "need": need,
        "household": household,
        "project": project,
    }
    errors = []
    if kind not in AccountKind.values:
        errors.append(problem("kind", _("choose one of the account kinds")))
    for name, kinds in _LINKS.items():
        if links[name] is not None and kind not in kinds:
            errors.append(problem(name, _("does not belong with this kind of account")))
    if kind in _REQUIRED_LINK and links[_REQUIRED_LINK[kind]] is None:
        errors.append(problem(_REQUIRED_LINK[kind], _("choose what the account is for")))
    link = organization or need or household or project
    if not code and link is not None and kind in _CODE_PREFIX:
        code = f"{_CODE_PREFIX[kind]}-{getattr(link, 'public_id', None) or link.code}"
    if not re.fullmatch(CODE_PATTERN, code):
        errors.append(
            problem(
                "code",
                _("use up to 80 letters, digits and . _ : - (starting with a letter or digit)"),
            )
        )
    elif Account.objects.filter(code=code).exists():
        errors.append(problem("code", _("is already taken")))
    if not name_zh.strip():
        errors.append(problem("name_zh", _("is empty")))
    if errors:
        raise InvalidInput(errors)
    return Account.objects.create(
        kind=kind, code=code, name_zh=name_zh.strip(), name_en=name_en.strip(), **links
    )


def account_of(*, kind: str, name_zh: str, name_en: str = "", **link) -> Account:
    """The account of `kind` that stands for the one linked record (``organization=``,
    ``need=``, ``household=`` or ``project=``), opened on first use."""
    ((field, record),) = link.items()
    found = Account.objects.filter(kind=kind, **{field: record}).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return account_open(kind=kind, name_zh=name_zh, name_en=name_en, **link)
    except IntegrityError:  # opened meanwhile by someone else
        return Account.objects.get(kind=kind, **{field: record})


def helper_account(kind: str, helper) -> Account:
    """A helper's account of `kind` (donor, organization or government fund), named after it."""
    return account_of(
        kind=kind, organization=helper, name_zh=helper.name_zh, name_en=helper.name_en
    )


def project_account(project) -> Account:
    """The account of a project, named after its title."""
    return account_of(kind=AccountKind.PROJECT, project=project, name_zh=project.title)


def entry_post(
    *, by, kind: str, date: datetime.date, postings: Sequence[dict], memo: str = ""
) -> Entry:
    """Post one entry. A posting is {"account": Account or code, "amount": fen, and for
    materials "quantity" and "unit"}; errors name the field, e.g. ``postings[1].amount``."""
    checked, errors = drafts([{"kind": kind, "date": date, "memo": memo, "postings": postings}])
    if errors:
        raise InvalidInput([problem(e["field"], e["message"]) for e in errors])
    return Entry.objects.get(seq=_append(checked, by))


def entries_append(*, by, entries: Sequence[dict]) -> range:
    """Append many entries ({"kind", "date", "memo", "postings"} each, as for ``entry_post``)
    in one transaction; returns their sequence numbers. All or none: errors name the row
    (the entry's index in `entries`) and the field."""
    checked, errors = drafts(entries)
    if errors:
        raise InvalidInput(errors)
    first = _append(checked, by)
    return range(first, first + len(checked))


def entry_reverse(*, by, entry: Entry, memo: str, date: datetime.date | None = None) -> Entry:
    """Undo an entry with a new one that mirrors it; `memo` says why."""
    date = date or timezone.localdate()
    errors = [problem(field, message) for field, message in date_errors(date)]
    if entry.kind == EntryKind.REVERSAL:
        errors.append(problem("entry", _("a reversal is not reversed: post the right entry again")))
    if not memo.strip() or len(memo) > MAX_MEMO:
        errors.append(problem("memo", _("write why, in at most 500 characters")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock(_APPEND_LOCK)
        later = Entry.objects.filter(reverses=entry).values_list("seq", flat=True).first()
        if later is not None:
            raise InvalidInput(
                [
                    problem(
                        "entry",
                        _("entry %(seq)s is already reversed by entry %(by)s")
                        % {"seq": entry.seq, "by": later},
                    )
                ]
            )
        rows = entry.postings.order_by("line").values_list(
            "account__code", "account_id", "amount", "quantity", "unit"
        )
        lines = [
            (code, pk, -amount, None if quantity is None else -quantity, unit)
            for code, pk, amount, quantity, unit in rows
        ]
        seq = _append([Draft(EntryKind.REVERSAL, date, memo.strip(), entry.seq, lines)], by)
    return Entry.objects.get(seq=seq)


def checkpoint_make(*, signer: Signer | None = None) -> Checkpoint:
    """Sign the ledger's current size and root; returns the latest checkpoint unchanged when
    no entry came since. Refuses (LedgerCorrupt) when an entry since the last checkpoint does
    not match its hash or is missing, when the stored tree no longer leads to the last
    checkpoint's root, or when a tree node stored since does not match the entries: a
    checkpoint never seals a change. The new root is hashed from the last checkpoint's
    frontier and the recomputed entries since, so the work grows with the entries since the
    last checkpoint, not with the ledger. The reading happens outside any lock."""
    signer = signer or ledger_signer()
    last = Checkpoint.objects.order_by("-size").first()
    size = ledger_size()
    if size == 0:
        raise InvalidInput([problem("size", _("the ledger is empty"))])
    if last is not None and last.size == size:
        return last
    start = last.size if last else 0
    leaves = []
    for seq, stored, recomputed in recomputed_hashes(start, size):
        if seq != start + len(leaves) + 1:
            _corrupt(Sentence(ENTRY_MISSING, {"seq": start + len(leaves) + 1}), entry=seq)
        if stored != recomputed:
            _corrupt(Sentence(ENTRY_CHANGED, {"seq": seq}), entry=seq)
        leaves.append(recomputed)
    if start + len(leaves) != size:
        _corrupt(Sentence(ENTRY_MISSING, {"seq": start + len(leaves) + 1}), entry=size)
    try:
        frontier = tree_frontier(start)
    except LedgerCorrupt as exc:
        _corrupt(exc.message, checkpoint=start)
    if last is not None:
        try:
            signed = verify_checkpoint(last.note, checkpoint_verifier(last.size, signer.verifier))
        except NoteError as exc:
            _corrupt(
                Sentence(
                    gettext_lazy("checkpoint %(size)s: %(error)s"),
                    {"size": last.size, "error": exc},
                ),
                checkpoint=last.size,
            )
        if (signed.size, signed.root) != (start, frontier.root()):
            _corrupt(
                Sentence(
                    gettext_lazy("the entries no longer lead to checkpoint %(size)s"),
                    {"size": signed.size},
                ),
                checkpoint=signed.size,
            )
    _check_new_nodes(frontier.extend(leaves, NODE_HEIGHT))
    head = TreeHead(signer.name, size, frontier.root())
    with transaction.atomic():
        _lock(_CHECKPOINT_LOCK)
        latest = Checkpoint.objects.order_by("-size").first()
        if latest is not None and latest.size >= size:  # made meanwhile by someone else
            return latest
        return Checkpoint.objects.create(
            size=size, root=head.root, note=sign_checkpoint(head, signer)
        )


def _check_new_nodes(nodes: list[tuple[int, int, bytes]]) -> None:
    """Compare the tree nodes recomputed since the last checkpoint with the stored ones."""
    spans = {}
    for height, index, _digest in nodes:
        low, high = spans.get(height, (index, index))
        spans[height] = (min(low, index), max(high, index))
    if not nodes:
        return
    within = Q()
    for height, (low, high) in spans.items():
        within |= Q(height=height, index__gte=low, index__lte=high)
    stored = {
        (height, index): bytes(digest)
        for height, index, digest in TreeNode.objects.filter(within).values_list(
            "height", "index", "hash"
        )
    }
    for height, index, digest in nodes:
        if stored.get((height, index)) != digest:
            first = (index << height) + 1
            _corrupt(
                Sentence(
                    NODE_CHANGED,
                    {"height": height, "first": first, "last": first + (1 << height) - 1},
                ),
                entry=first,
            )


def ledger_key_rotate(*, by=None) -> Entry:
    """Hand the signing over to a new key: the ledger so far is signed by the old key, then an
    entry (kind key_handover) whose memo is a note signed by the old key naming the new one,
    then the new key becomes the one in use (its fingerprint, then its file: keys/services.py)
    and signs a checkpoint covering the handover. Earlier checkpoints keep verifying under
    the old key. Resumes after an interruption with the same new key."""
    rotation_recover(KeyName.LEDGER)
    old = ledger_signer()
    rotation, seed = rotation_begin(KeyName.LEDGER)
    new = Signer(old.name, seed)
    if ledger_size():
        checkpoint_make(signer=old)
    memo = handover_statement(old, new.verifier)
    draft = Draft(EntryKind.KEY_HANDOVER, timezone.localdate(), memo, None, [])
    seq = []
    rotation_finish(rotation, seed, before=lambda: seq.append(_append([draft], by)))
    checkpoint_make(signer=new)
    return Entry.objects.get(seq=seq[0])


def _corrupt(message: str, *, entry: int | None = None, checkpoint: int | None = None):
    """Raise the alarm, then refuse to sign."""
    ledger_alarm_raise(
        found_by="checkpoint",
        problem=message,
        first_bad_entry=entry,
        first_bad_checkpoint=checkpoint,
    )
    raise LedgerCorrupt(message, seq=entry)


ALARM_SUBJECT = gettext_lazy("The ledger failed its integrity check")
ALARM_BODY = gettext_lazy(
    "%(problem)s. No new proof can be issued to donors until it is repaired. Run “aidbridge "
    "ledger verify” for every problem found; the ledger page shows the warning meanwhile."
)


def ledger_alarm_raise(
    *,
    found_by: str,
    problem: str,
    first_bad_entry: int | None = None,
    first_bad_checkpoint: int | None = None,
) -> LedgerAlarm:
    """Record a mismatch and tell the platform administrators, once: an open alarm naming the
    same entry and checkpoint is returned as it is."""
    where = {"first_bad_entry": first_bad_entry, "first_bad_checkpoint": first_bad_checkpoint}
    alarm = LedgerAlarm.objects.filter(resolved_at=None, **where).first()
    if alarm is not None:
        return alarm
    texts = {
        code: problem.in_language(code) if isinstance(problem, Sentence) else str(problem)
        for code, _name in settings.LANGUAGES
    }
    alarm = LedgerAlarm.objects.create(
        found_by=found_by, problem=str(problem), problem_texts=texts, **where
    )
    notify(
        users=platform_admins(),
        subject=ALARM_SUBJECT,
        body=ALARM_BODY,
        params={"problem": lazy(lambda: alarm.shown_problem, str)()},
        url=reverse("ledger:checkpoints"),
    )
    return alarm


PROOF_REFUSED = gettext_lazy(
    "The proof cannot be issued: the ledger failed its integrity check (%(problem)s). The "
    "platform's administrators have been told."
)


def receipt_issue(*, seq: int) -> dict:
    """The receipt of entry `seq` (selectors.entry_receipt), or InvalidInput saying why not:
    no checkpoint covers it yet, or the ledger failed its integrity check (``receipt`` field;
    a mismatch found by checking this receipt raises the alarm)."""
    try:
        return entry_receipt(seq=seq)
    except LedgerCorrupt as exc:
        alarm = ledger_alarm_raise(found_by="receipt", problem=exc.message)
    except InvalidInput:
        alarm = ledger_alarm()
        if alarm is None:
            raise
    raise InvalidInput([problem("receipt", PROOF_REFUSED % {"problem": alarm.shown_problem})])


def ledger_check(*, verifier=None) -> Report:
    """Verify the whole ledger (verification.py): raise the alarm for the first problem found,
    or resolve the open alarms when everything matches."""
    report = ledger_verify(verifier=verifier)
    if report.ok:
        LedgerAlarm.objects.filter(resolved_at=None).update(resolved_at=timezone.now())
    else:
        ledger_alarm_raise(
            found_by="verify",
            problem=report.problems[0],
            first_bad_entry=report.first_bad_entry,
            first_bad_checkpoint=report.first_bad_checkpoint,
        )
    return report


def _lock(key: int) -> None:
    """Hold `key` until the transaction ends (SQLite: its write lock already serialises)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _append(checked: list[Draft], by) -> int:
    """Insert the drafts as the next entries; returns the first one's sequence number."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    by_pk = by.pk if by is not None else None
    with transaction.atomic():
        _lock(_APPEND_LOCK)
        first = ledger_size() + 1
        entries, postings = [], []
        for seq, d in enumerate(checked, start=first):
            encoded = encode_entry(
                seq,
                d.kind,
                d.date.isoformat(),
                d.memo,
                d.reverses,
                [(code, amount, q, unit) for code, _pk, amount, q, unit in d.lines],
            )
            entries.append(
                (
                    seq,
                    d.kind,
                    ops.adapt_datefield_value(d.date),
                    d.memo,
                    d.reverses,
                    by_pk,
                    now,
                    leaf_hash(encoded),
                )
            )
            postings += [
                (seq, n, pk, amount, q, unit)
                for n, (_code, pk, amount, q, unit) in enumerate(d.lines)
            ]
        last = first + len(entries) - 1
        nodes = []
        if last >> NODE_HEIGHT > (first - 1) >> NODE_HEIGHT:  # a block of entries completed
            frontier = tree_frontier(first - 1)
            nodes = frontier.extend([row[-1] for row in entries], NODE_HEIGHT)
        _insert(Entry, _ENTRY_COLUMNS, entries)
        _insert(Posting, _POSTING_COLUMNS, postings)
        if nodes:
            _insert(TreeNode, ("height", "index", "hash"), nodes)
    return first


def _insert(model, fields: Sequence[str], rows: list[tuple]) -> None:
    """Insert rows of plain values for `fields` (no model instances, for speed): COPY on
    PostgreSQL, executemany elsewhere. The values are already adapted for the database."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
