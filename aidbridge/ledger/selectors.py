"""Reads of the ledger: balances (sums of postings, never stored), an account's movements, the
Merkle tree from its stored nodes, receipts and consistency proofs.

A root or proof needs the MTHs of a few leaf ranges, each a fold of perfect subtrees
(merkle.perfect_subtrees). Those of height NODE_HEIGHT and up are stored (models.TreeNode);
lower ones are hashed from the leaf hashes of their block of 2**NODE_HEIGHT entries. A receipt
or consistency proof so reads O(log n) node rows and the entries of at most three blocks."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.ledger import proofs
from aidbridge.ledger.checkpoint import NoteError, verify_checkpoint
from aidbridge.ledger.keys import checkpoint_verifier, ledger_signer
from aidbridge.ledger.merkle import (
    Frontier,
    ProofError,
    consistency_ranges,
    fold,
    inclusion_ranges,
    perfect_subtrees,
    root_of,
    verify_consistency,
)
from aidbridge.ledger.models import (
    NODE_HEIGHT,
    Account,
    Checkpoint,
    Entry,
    EntryKind,
    LedgerAlarm,
    LedgerCorrupt,
    Posting,
    TreeNode,
)
from aidbridge.sentences import Sentence


def account_balance(*, account: Account) -> int:
    """What the account received less what it gave, in fen."""
    return Posting.objects.filter(account=account).aggregate(s=Sum("amount"))["s"] or 0


def account_quantities(*, account: Account) -> dict[str, int]:
    """The materials the account holds (received less given), by unit."""
    rows = (
        Posting.objects.filter(account=account, quantity__isnull=False)
        .values_list("unit")
        .annotate(total=Sum("quantity"))
        .order_by("unit")
    )
    return {unit: total for unit, total in rows if total}


@dataclass(frozen=True)
class Movement:
    """One entry as one account saw it: ``amount`` is signed fen for the account (positive
    received, negative given), ``quantity`` likewise for materials; ``counterparts`` are the
    accounts on the other side of the entry (givers when the account received, receivers when
    it gave), with what each gave or received, as positive fen."""

    seq: int
    kind: str
    date: datetime.date
    memo: str
    amount: int
    quantity: int | None
    unit: str
    counterparts: tuple[tuple[Account, int], ...]


def standing(postings: QuerySet) -> QuerySet:
    """The postings of entries that stand: neither reversed nor reversals."""
    return postings.exclude(entry__kind=EntryKind.REVERSAL).exclude(
        entry__reversed_by__isnull=False
    )


def movements(*, account: Account, corrected: bool = True) -> list[Movement]:
    """The account's movements, oldest first, one per entry and posting line. With
    ``corrected`` (the default) an entry that was reversed and its reversal are both left out,
    so what remains is what stands."""
    return movements_by_account(accounts=[account], corrected=corrected).get(account.pk, [])


def movements_by_account(*, accounts, corrected: bool = True) -> dict[int, list[Movement]]:
    """``movements`` of many accounts (a list or queryset) in two queries, by account id;
    accounts without any are left out."""
    mine = Posting.objects.filter(account__in=accounts)
    if corrected:
        mine = standing(mine)
    others = defaultdict(list)
    for posting in Posting.objects.filter(entry__in=mine.values("entry")).select_related(
        "account__organization"
    ):
        others[posting.entry_id].append(posting)
    found = defaultdict(list)
    for p in mine.select_related("entry").order_by("entry_id", "line"):
        found[p.account_id].append(
            Movement(
                seq=p.entry_id,
                kind=p.entry.kind,
                date=p.entry.date,
                memo=p.entry.memo,
                amount=p.amount,
                quantity=p.quantity,
                unit=p.unit,
                counterparts=tuple(
                    (o.account, abs(o.amount))
                    for o in sorted(others[p.entry_id], key=lambda o: o.line)
                    if o.account_id != p.account_id and (o.amount > 0) != (p.amount > 0)
                ),
            )
        )
    return dict(found)


def balances(*, kind: str | None = None) -> dict[str, int]:
    """The balance in fen of every account (of `kind`) that has postings, by account code."""
    postings = Posting.objects.all() if kind is None else Posting.objects.filter(account__kind=kind)
    rows = postings.values_list("account__code").annotate(total=Sum("amount")).order_by()
    return dict(rows)


def ledger_size() -> int:
    """The number of entries (the sequence number of the last)."""
    return Entry.objects.aggregate(m=Max("seq"))["m"] or 0


def tree_nodes(keys, size: int) -> dict[tuple[int, int], bytes]:
    """The roots of the perfect subtrees `keys` ((height, index) pairs, each within the first
    `size` leaves): stored nodes from NODE_HEIGHT up, lower ones hashed from their block's
    leaves. Two queries; LedgerCorrupt when a node or entry is missing."""
    keys = set(keys)
    high = [key for key in keys if key[0] >= NODE_HEIGHT]
    found = {}
    if high:
        rows = TreeNode.objects.filter(pk__in=high).values_list("height", "index", "hash")
        found = {(height, index): bytes(digest) for height, index, digest in rows}
    low = [(height, index) for height, index in keys if height < NODE_HEIGHT]
    if low:
        blocks = {(index << height) >> NODE_HEIGHT for height, index in low}
        within = Q()
        for block in blocks:
            start = block << NODE_HEIGHT
            within |= Q(seq__gt=start, seq__lte=min(start + (1 << NODE_HEIGHT), size))
        leaves = dict(Entry.objects.filter(within).order_by().values_list("seq", "leaf_hash"))
        for height, index in low:
            seqs = range((index << height) + 1, ((index + 1) << height) + 1)
            if all(seq in leaves for seq in seqs):
                found[(height, index)] = root_of(bytes(leaves[seq]) for seq in seqs)
    if len(found) != len(keys):
        raise LedgerCorrupt(
            Sentence(
                gettext_lazy("entries or stored tree nodes are missing below %(size)s"),
                {"size": size},
            )
        )
    return found


def _ranges_mth(ranges, size: int) -> list[bytes]:
    """MTH(D[start:end]) of each range, from the stored tree."""
    parts = [perfect_subtrees(start, end) for start, end in ranges]
    nodes = tree_nodes([key for part in parts for key in part], size)
    return [fold([nodes[key] for key in part]) for part in parts]


def tree_root(size: int) -> bytes:
    """MTH of the first `size` entries, from the stored tree."""
    return _ranges_mth([(0, size)], size)[0] if size else fold([])


def tree_frontier(size: int) -> Frontier:
    """The compact range of the first `size` entries, to append to (services.py)."""
    keys = perfect_subtrees(0, size)
    nodes = tree_nodes(keys, size)
    return Frontier(size, [nodes[key] for key in keys])


def inclusion_proof(index: int, size: int) -> list[bytes]:
    """The inclusion proof of leaf `index` (entry index + 1) in the first `size` entries."""
    return _ranges_mth(inclusion_ranges(index, size), size)


def consistency_proof(size1: int, size2: int) -> list[bytes]:
    """The consistency proof from the first `size1` entries to the first `size2`."""
    return _ranges_mth(consistency_ranges(size1, size2), size2)


def entry_fields(entry: Entry) -> dict:
    """The entry as a receipt carries it: exactly the fields of its canonical encoding."""
    postings = []
    for code, amount, quantity, unit in entry.postings.order_by("line").values_list(
        "account__code", "amount", "quantity", "unit"
    ):
        posting = {"account": code, "amount": amount}
        if quantity is not None:
            posting |= {"quantity": quantity, "unit": unit}
        postings.append(posting)
    return {
        "seq": entry.seq,
        "kind": entry.kind,
        "date": entry.date.isoformat(),
        "memo": entry.memo,
        "reverses": entry.reverses_id,
        "postings": postings,
    }


def entry_receipt(*, seq: int) -> dict:
    """The receipt of entry `seq` (proofs.py) against the latest checkpoint, which must cover
    it. It is verified before it is given out: a changed entry gets no receipt."""
    entry = Entry.objects.filter(seq=seq).first()
    if entry is None:
        raise InvalidInput([problem("seq", _("no such entry"))])
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is None or latest.size < seq:
        raise InvalidInput(
            [
                problem(
                    "seq",
                    _("entry %(seq)s is not in a signed checkpoint yet; make one first")
                    % {"seq": seq},
                )
            ]
        )
    verifier = checkpoint_verifier(latest.size, ledger_signer().verifier)
    try:
        size = verify_checkpoint(latest.note, verifier).size
        proof = inclusion_proof(seq - 1, size)
        receipt = proofs.receipt_make(
            entry=entry_fields(entry), proof=proof, note=latest.note, vkey=verifier.vkey
        )
        proofs.receipt_verify(receipt, trusted_key=verifier.vkey)
    except proofs.ProofFileError as exc:
        raise LedgerCorrupt(Sentence(gettext_lazy(exc.message), exc.params)) from None
    except NoteError as exc:
        raise LedgerCorrupt(str(exc)) from None
    return receipt


def checkpoint_consistency(*, old_size: int, new_size: int | None = None) -> dict:
    """The consistency proof (proofs.py) from checkpoint `old_size` to `new_size` (default:
    the latest)."""
    checkpoints = Checkpoint.objects.order_by("-size")
    new = checkpoints.first() if new_size is None else checkpoints.filter(size=new_size).first()
    old = checkpoints.filter(size=old_size).first()
    if old is None or new is None or old.size > new.size:
        raise InvalidInput([problem("old_size", _("choose two checkpoints, the older first"))])
    proof = consistency_proof(old.size, new.size)
    try:  # the stored sizes and roots repeat the signed notes (verification.py checks that)
        verify_consistency(old.size, new.size, bytes(old.root), bytes(new.root), proof)
    except ProofError as exc:
        raise LedgerCorrupt(
            Sentence(
                gettext_lazy("checkpoint %(new)s does not extend %(old)s: %(detail)s"),
                {"new": new.size, "old": old.size, "detail": exc},
            )
        ) from None
    vkey = checkpoint_verifier(new.size, ledger_signer().verifier).vkey
    return proofs.consistency_make(old_note=old.note, new_note=new.note, proof=proof, vkey=vkey)


def ledger_alarm():
    """The earliest alarm not resolved yet (services.ledger_alarm_raise), or None."""
    return LedgerAlarm.objects.filter(resolved_at=None).order_by("found_at").first()
