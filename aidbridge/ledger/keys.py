"""The key that signs the ledger's checkpoints.

The signer is named by ``settings.LEDGER_ORIGIN`` (AIDBRIDGE_LEDGER_ORIGIN), which is also the
origin line of every checkpoint, as C2SP tlog-checkpoint recommends. Its Ed25519 seed comes
from ``settings.LEDGER_KEY`` (AIDBRIDGE_LEDGER_KEY: 32 bytes as 64 hex digits or base64), else
from the file ledger_key in the data folder (AIDBRIDGE_HOME), made on first use. The seed never
enters the database, so a copy of the database cannot forge checkpoints; its fingerprint does,
and a process with another key refuses to sign or verify (aidbridge/keys/fingerprints.py).
Publish ``ledger_signer().verifier.vkey`` (``aidbridge ledger key``) where donors find it apart
from their receipts.
"""

from django.conf import settings

from aidbridge.keys.fingerprints import key_check
from aidbridge.keys.models import KeyName
from aidbridge.keys.store import ledger_seed
from aidbridge.ledger.checkpoint import NoteError, Signer, Verifier, open_note
from aidbridge.ledger.models import Entry, EntryKind

HANDOVER_TITLE = "aidbridge ledger key handover"


def ledger_signer() -> Signer:
    """The configured signer of checkpoints, once its key is known to match the database."""
    seed, source = ledger_seed()
    key_check(KeyName.LEDGER, seed, source)
    return Signer(settings.LEDGER_ORIGIN, seed)


def handover_statement(old: Signer, new: Verifier) -> str:
    """The memo of a key handover entry: a signed note, by the old key, naming the new one."""
    return old.sign(f"{HANDOVER_TITLE}\nold {old.verifier.vkey}\nnew {new.vkey}\n")


def key_chain(current: Verifier) -> list[tuple[int, Verifier, str]]:
    """The ledger's signing keys in order: (the first entry whose checkpoints it signs, its
    verifier, a problem with its handover or ""). Each handover entry (kind key_handover)
    must be signed by the key before it; the first key is the one the first handover names
    as old (the key published first), else the current one."""
    handovers = Entry.objects.filter(kind=EntryKind.KEY_HANDOVER).order_by("seq")
    chain: list[tuple[int, Verifier, str]] = []
    for seq, memo in handovers.values_list("seq", "memo"):
        lines = memo.split("\n")
        try:
            old, new = (Verifier.from_vkey(line.split(" ", 1)[1]) for line in lines[1:3])
        except (IndexError, ValueError):
            chain.append((seq, chain[-1][1] if chain else current, "unreadable"))
            continue
        if not chain:
            chain.append((1, old, ""))
        problem = ""
        try:
            open_note(memo, chain[-1][1])
            if old.vkey != chain[-1][1].vkey:
                problem = "names another old key"
        except NoteError as exc:
            problem = str(exc)
        chain.append((seq, new, problem))
    return chain or [(1, current, "")]


def key_at(chain: list[tuple[int, Verifier, str]], size: int) -> Verifier:
    """Of a key chain, the key that signs the checkpoint of `size` entries."""
    return [verifier for first, verifier, _problem in chain if first <= max(size, 1)][-1]


def checkpoint_verifier(size: int, current: Verifier) -> Verifier:
    """The key that signed (or signs) the checkpoint of `size` entries."""
    return key_at(key_chain(current), size)


def known_vkeys(current: Verifier) -> set[str]:
    """Every key the ledger has signed with: receipts under an earlier one still verify."""
    return {verifier.vkey for _first, verifier, _problem in key_chain(current)} | {current.vkey}


def trusted_vkey(claimed: object) -> str:
    """The key to check a receipt against: the one it names if the ledger ever signed with
    it (a receipt from before a key handover), else the current key."""
    current = ledger_signer().verifier
    return (
        claimed if isinstance(claimed, str) and claimed in known_vkeys(current) else (current.vkey)
    )
