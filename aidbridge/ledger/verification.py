"""Checking the stored ledger against its own hashes and its signed checkpoints.

``ledger_verify`` streams every entry and every posting in sequence order (two queries of
plain values read in chunks: no model instances, no join), re-encodes each entry (encoding.py)
and compares its leaf hash with the stored one; the first entry that differs, or is missing,
is named. It then rebuilds the Merkle tree from the recomputed hashes and checks every
checkpoint: its signature under the ledger's key, its size and root against the tree, and its
consistency with the last good checkpoint before it (an RFC 9162 consistency proof). Last, every
stored tree node (models.TreeNode, what receipts are made from) is compared with the node of
the rebuilt tree, and none may be missing.

A change whose author also rewrote the entry's stored hash leaves the entries agreeing with
themselves; only the signed checkpoints tell. The first failing checkpoint then bounds the
change to the entries it added after the last good one.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from aidbridge.ledger.checkpoint import NoteError, Verifier, verify_checkpoint
from aidbridge.ledger.encoding import encode_entry
from aidbridge.ledger.keys import key_at, key_chain, ledger_signer
from aidbridge.ledger.merkle import HASH_SIZE, MerkleTree, ProofError, leaf_hash, verify_consistency
from aidbridge.ledger.models import NODE_HEIGHT, Account, Checkpoint, Entry, Posting, TreeNode
from aidbridge.sentences import Sentence

CHUNK = 20_000
ENTRY_CHANGED = gettext_lazy(
    "entry %(seq)s does not match its stored hash: it was changed after it was written"
)
ENTRY_MISSING = gettext_lazy("entry %(seq)s is missing")
NODE_CHANGED = gettext_lazy(
    "the stored tree node of height %(height)s over entries %(first)s to %(last)s does not "
    "match the entries"
)
_NO_LEAF = bytes(HASH_SIZE)  # stands in for a missing or unreadable entry: matches nothing


def recomputed_hashes(
    start: int = 0, stop: int | None = None
) -> Iterator[tuple[int, bytes, bytes]]:
    """(seq, stored leaf hash, leaf hash of its contents) of the entries start < seq <= stop,
    in order. An entry that cannot be encoded (a space put into a code) gets a zero hash.
    Account codes are read once, by id, which is faster than joining them to every posting."""
    entries = Entry.objects.filter(seq__gt=start)
    postings = Posting.objects.filter(entry_id__gt=start)
    if stop is not None:
        entries, postings = entries.filter(seq__lte=stop), postings.filter(entry_id__lte=stop)
    codes = dict(Account.objects.values_list("pk", "code").iterator(chunk_size=CHUNK))
    entry_rows = entries.order_by("seq").values_list(
        "seq", "kind", "date", "memo", "reverses_id", "leaf_hash"
    )
    posting_rows = postings.order_by("entry_id", "line").values_list(
        "entry_id", "account_id", "amount", "quantity", "unit"
    )
    groups = groupby(posting_rows.iterator(chunk_size=CHUNK), key=itemgetter(0))
    owner, group = next(groups, (None, ()))
    for seq, kind, day, memo, reverses, stored in entry_rows.iterator(chunk_size=CHUNK):
        lines = []
        if owner == seq:
            lines = [(codes[account], amount, q, unit) for _e, account, amount, q, unit in group]
            owner, group = next(groups, (None, ()))
        try:
            leaf = leaf_hash(encode_entry(seq, kind, str(day), memo, reverses, lines))
        except ValueError:
            leaf = _NO_LEAF
        yield seq, bytes(stored), leaf


@dataclass
class Report:
    """What ``ledger_verify`` found; ``problems`` are sentences for people, first one first."""

    entries: int = 0
    checkpoints: int = 0
    nodes: int = 0  # stored tree nodes checked
    bad_entries: int = 0
    first_bad_entry: int | None = None
    first_bad_checkpoint: int | None = None  # its size
    first_bad_range: tuple[int, int] | None = None  # the entries that checkpoint added
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def _bad_entry(self, seq: int, message: str) -> None:
        self.bad_entries += 1
        if self.first_bad_entry is None:
            self.first_bad_entry = seq
            self.problems.append(message)


def ledger_verify(*, verifier: Verifier | None = None) -> Report:
    """Check every entry against its stored hash and every checkpoint against the entries,
    each under the key that signed it (keys.py: key handovers); `verifier` alone, if given."""
    chain = [(1, verifier, "")] if verifier else key_chain(ledger_signer().verifier)
    checkpoints = list(Checkpoint.objects.order_by("size").values_list("size", "root", "note"))
    report = Report(checkpoints=len(checkpoints))
    leaves = []
    for seq, stored, leaf in recomputed_hashes():
        while len(leaves) + 1 < seq:
            report._bad_entry(len(leaves) + 1, Sentence(ENTRY_MISSING, {"seq": len(leaves) + 1}))
            leaves.append(_NO_LEAF)
        if leaf != stored:
            report._bad_entry(
                seq,
                Sentence(ENTRY_CHANGED, {"seq": seq}),
            )
        leaves.append(leaf)
    report.entries = len(leaves)
    if report.bad_entries > 1:
        report.problems.append(
            Sentence(
                _("%(count)s entries in all do not match their hashes"),
                {"count": report.bad_entries},
            )
        )
    for seq, _key, problem in chain:
        if problem:
            report.problems.append(
                Sentence(
                    _("the key handover in entry %(seq)s does not verify (%(error)s)"),
                    {"seq": seq, "error": problem},
                )
            )
    tree = MerkleTree(leaves)
    _check_checkpoints(report, tree, checkpoints, chain)
    _check_nodes(report, tree)
    return report


def _check_nodes(report: Report, tree: MerkleTree) -> None:
    """Compare every stored tree node within the entries with the rebuilt tree's."""
    size = len(tree)
    expected = sum(size >> height for height in range(NODE_HEIGHT, size.bit_length()))
    rows = TreeNode.objects.order_by("height", "index").values_list("height", "index", "hash")
    bad = []
    for height, index, digest in rows.iterator(chunk_size=CHUNK):
        if (index + 1) << height > size:
            continue  # over entries that are gone, named above
        report.nodes += 1
        if bytes(digest) != tree.node(height, index):
            bad.append((height, index))
    if bad:
        height, index = min(bad, key=lambda node: (node[1] << node[0], node[0]))
        first = (index << height) + 1
        report.problems.append(
            Sentence(
                NODE_CHANGED, {"height": height, "first": first, "last": first - 1 + (1 << height)}
            )
        )
        if len(bad) > 1:
            report.problems.append(
                Sentence(_("%(count)s stored tree nodes in all do not match"), {"count": len(bad)})
            )
    if report.nodes < expected:
        report.problems.append(
            Sentence(
                _("%(count)s stored tree nodes are missing"), {"count": expected - report.nodes}
            )
        )


def _check_checkpoints(report: Report, tree: MerkleTree, checkpoints, chain) -> None:
    good = None  # the last checkpoint that passed
    for size, root, note in checkpoints:
        problem = None
        try:
            signed = verify_checkpoint(note, key_at(chain, size))
        except NoteError as exc:
            problem = Sentence(_("its signature does not verify (%(error)s)"), {"error": exc})
        else:
            if (signed.size, signed.root) != (size, bytes(root)):
                problem = Sentence(_("its stored size or root differs from its signed note"))
            elif signed.size > len(tree):
                problem = Sentence(
                    _("it covers %(size)s entries but the ledger holds only %(count)s"),
                    {"size": signed.size, "count": len(tree)},
                )
            elif tree.root(signed.size) != signed.root:
                problem = Sentence(_("the entries do not lead to its root"))
            elif good is not None:
                try:
                    proof = tree.consistency_proof(good.size, signed.size)
                    verify_consistency(good.size, signed.size, good.root, signed.root, proof)
                except ProofError as exc:
                    problem = Sentence(
                        _("it is not consistent with checkpoint %(size)s (%(error)s)"),
                        {"size": good.size, "error": exc},
                    )
        if problem is None:
            good = signed
            continue
        first = good.size + 1 if good else 1
        report.problems.append(
            Sentence(
                _("checkpoint %(size)s (entries %(first)s to %(last)s) fails: %(problem)s"),
                {"size": size, "first": first, "last": size, "problem": problem},
            )
        )
        if report.first_bad_checkpoint is None:
            report.first_bad_checkpoint, report.first_bad_range = size, (first, size)
