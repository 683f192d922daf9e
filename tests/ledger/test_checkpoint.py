"""Signed checkpoints: C2SP signed notes against the Go reference implementation's known answers,
round trips, and the rejection of every tampering."""

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.ledger.checkpoint import (
    Checkpoint,
    MalformedNote,
    NoteError,
    Signer,
    UntrustedNote,
    Verifier,
    key_id,
    open_note,
    sign_checkpoint,
    verify_checkpoint,
)
from aidbridge.ledger.merkle import MerkleTree, leaf_hash

# Known answers of golang.org/x/mod/sumdb/note, the reference implementation of signed notes:
# golang/mod, sumdb/note/note_test.go at 02c991387e35f9e4c0a9b7ce137717055f8d716d (TestSign,
# TestOpen, TestNewVerifier). The signer key is "PRIVATE+KEY+<name>+<key ID>+base64(0x01 || seed)".
PETER_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"  # noqa: E501
PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"  # noqa: E501
ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"  # noqa: E501

ORIGIN = "aidbridge.example/ledger"
SIGNER = Signer.generate(ORIGIN)
VERIFIER = SIGNER.verifier
TREE = MerkleTree(leaf_hash(b"entry %d" % i) for i in range(1000))
CHECKPOINT = Checkpoint(ORIGIN, 1000, TREE.root())
NOTE = sign_checkpoint(CHECKPOINT, SIGNER)


def peter() -> Signer:
    seed = base64.b64decode(PETER_SKEY.split("+", 4)[4])
    assert seed[0] == 1
    return Signer("PeterNeumann", seed[1:])


def test_signing_reproduces_the_go_note():
    assert peter().sign(TEXT) == TEXT + "\n" + PETER_SIG
    assert peter().verifier.vkey == PETER_VKEY
    assert peter().verifier.key_id.hex() == "c74f20a3"


def test_opening_go_notes():
    peter_v, enoch_v = Verifier.from_vkey(PETER_VKEY), Verifier.from_vkey(ENOCH_VKEY)
    assert enoch_v.key_id == key_id("EnochRoot", enoch_v.public_key) == bytes.fromhex("af0cfe78")
    assert enoch_v.vkey == ENOCH_VKEY
    both = TEXT + "\n" + PETER_SIG + ENOCH_SIG
    assert open_note(both, peter_v) == open_note(both, enoch_v) == TEXT
    assert open_note(TEXT + "\n" + ENOCH_SIG + PETER_SIG + PETER_SIG, peter_v) == TEXT
    with pytest.raises(UntrustedNote, match="no signature of EnochRoot"):
        open_note(TEXT + "\n" + PETER_SIG, enoch_v)
    bad = PETER_SIG[:60] + "ABCD" + PETER_SIG[60:]  # TestOpen's "Invalid signature"
    with pytest.raises(UntrustedNote, match="signature of PeterNeumann\\+c74f20a3 is wrong"):
        open_note(TEXT + "\n" + bad, peter_v)
    with pytest.raises(UntrustedNote, match="is wrong"):
        open_note(TEXT + "\n" + PETER_SIG + bad, peter_v)  # one good line does not save a bad one
    with pytest.raises(UntrustedNote, match="is wrong"):
        open_note(TEXT + "\n" + "— PeterNeumann x08go/ZJ\n", peter_v)  # the key ID, 2 more bytes
    with pytest.raises(MalformedNote, match="more than 100 signatures"):
        open_note(TEXT + "\n" + PETER_SIG * 101, peter_v)


@pytest.mark.parametrize(
    "note",
    [  # TestOpen's "Invalid encoded message syntax" (less its invalid UTF-8 byte, "\xff")
        TEXT,
        TEXT + "\n",
        TEXT + "\n" + PETER_SIG[:-1],
        "\x01" + TEXT + "\n" + PETER_SIG,
        TEXT + "\n" + PETER_SIG.replace("PeterNeumann", "Bad Name")[:-1],
        TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
        # and more
        TEXT.replace("\n", "\r\n") + "\r\n" + PETER_SIG.replace("\n", "\r\n"),
        TEXT + "\n" + PETER_SIG.replace("—", "-"),
        TEXT + "\n" + PETER_SIG.replace("=\n", "\n"),  # no padding
        TEXT + "\n" + PETER_SIG.replace("AM=", "AN="),  # base64 with non-zero padding bits
        TEXT + "\n" + "— PeterNeumann\n",
        TEXT + "\n\ud800" + PETER_SIG,  # a lone surrogate has no UTF-8
    ],
)
def test_malformed_go_notes(note):
    with pytest.raises(MalformedNote):
        open_note(note, Verifier.from_vkey(PETER_VKEY))


def test_mangled_verifier_keys_are_refused():
    # TestNewVerifier: every proper substring, and every character moved up by one.
    mangled = {
        PETER_VKEY[i:j] for i in range(len(PETER_VKEY)) for j in range(i + 1, len(PETER_VKEY) + 1)
    }
    mangled |= {
        PETER_VKEY[:i] + chr(ord(c) + 1) + PETER_VKEY[i + 1 :] for i, c in enumerate(PETER_VKEY)
    }
    mangled -= {PETER_VKEY}
    mangled |= {  # wrong length and unknown algorithm, each with its key ID adjusted
        "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
        "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
    }
    for vkey in mangled:
        with pytest.raises(ValueError):
            Verifier.from_vkey(vkey)


def test_checkpoint_round_trip():
    root = base64.b64encode(TREE.root()).decode()
    assert NOTE.startswith(f"{ORIGIN}\n1000\n{root}\n\n— {ORIGIN} ")
    assert NOTE.count("\n") == 5 and NOTE.endswith("\n")
    assert verify_checkpoint(NOTE, VERIFIER) == CHECKPOINT
    assert verify_checkpoint(NOTE, Verifier.from_vkey(VERIFIER.vkey)) == CHECKPOINT
    assert Checkpoint.from_text(CHECKPOINT.text) == CHECKPOINT
    assert "private_key" not in repr(SIGNER)


def test_an_empty_log_checkpoint():
    note = sign_checkpoint(Checkpoint(ORIGIN, 0, MerkleTree().root()), SIGNER)
    assert note.split("\n")[1:3] == ["0", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]
    assert verify_checkpoint(note, VERIFIER).size == 0


def test_cosigned_checkpoint():
    witness = Signer.generate("witness.example/w1")
    cosigned = NOTE + witness.sign(CHECKPOINT.text).split("\n\n")[1]
    assert verify_checkpoint(cosigned, VERIFIER) == CHECKPOINT
    assert verify_checkpoint(cosigned, witness.verifier, origin=ORIGIN) == CHECKPOINT


def swap_line(note: str, number: int, line: str) -> str:
    lines = note.split("\n")
    lines[number] = line
    return "\n".join(lines)


OTHER_ROOT = base64.b64encode(TREE.root(999)).decode()


@pytest.mark.parametrize(
    ("note", "error", "message"),
    [
        (swap_line(NOTE, 0, "aidbridge.example/other"), UntrustedNote, "is wrong"),
        (swap_line(NOTE, 1, "1001"), UntrustedNote, "is wrong"),
        (swap_line(NOTE, 1, "999"), UntrustedNote, "is wrong"),
        (swap_line(NOTE, 2, OTHER_ROOT), UntrustedNote, "is wrong"),
        (NOTE.replace("\n\n", "\nextension\n\n"), UntrustedNote, "is wrong"),
        (swap_line(NOTE, 4, NOTE.split("\n")[4][:-8] + "AAAAAAA="), UntrustedNote, "is wrong"),
        (NOTE.replace(f"— {ORIGIN}", "— aidbridge.example/other"), UntrustedNote, "no signature"),
        (swap_line(NOTE, 1, "01000"), UntrustedNote, "is wrong"),
        (NOTE.replace("\n\n", "\n"), MalformedNote, "no blank line"),
        (NOTE[:-1], MalformedNote, "does not end with a signature line"),
        (NOTE.replace("—", "--"), MalformedNote, "em dash"),
        ("", MalformedNote, "no blank line"),
    ],
)
def test_tampered_checkpoints_are_rejected(note, error, message):
    with pytest.raises(error, match=message):
        verify_checkpoint(note, VERIFIER)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{ORIGIN}\n01000\n{OTHER_ROOT}\n", "tree size '01000' is not a decimal number"),
        (f"{ORIGIN}\n-1\n{OTHER_ROOT}\n", "tree size '-1'"),
        (f"{ORIGIN}\n١٠\n{OTHER_ROOT}\n", "tree size '١٠'"),  # Arabic-Indic digits
        (f"{ORIGIN}\n{2**64}\n{OTHER_ROOT}\n", "tree size '18446744073709551616'"),
        (f"{ORIGIN}\n1000\n{OTHER_ROOT[:-4]}\n", "is not the base64 of 32 bytes"),
        (f"{ORIGIN}\n1000\n{OTHER_ROOT[:-1]}\n", "is not the base64 of 32 bytes"),
        (f"{ORIGIN}\n1000\n{OTHER_ROOT}\nextension\n", "is not three lines"),
        (f"{ORIGIN}\n1000\n", "is not three lines"),
        (f"\n1000\n{OTHER_ROOT}\n", "origin '' is empty"),
    ],
)
def test_malformed_checkpoints_are_rejected_even_when_signed(text, message):
    with pytest.raises(MalformedNote, match=message):
        verify_checkpoint(SIGNER.sign(text), VERIFIER)


def test_wrong_key_or_log_is_rejected():
    impostor = Signer.generate(ORIGIN)  # same name, another key: another key ID
    with pytest.raises(UntrustedNote, match=f"no signature of {ORIGIN}\\+"):
        verify_checkpoint(NOTE, impostor.verifier)
    forged = NOTE.split("\n\n")[0] + "\n\n" + impostor.sign(CHECKPOINT.text).split("\n\n")[1]
    with pytest.raises(UntrustedNote, match="no signature"):
        verify_checkpoint(forged, VERIFIER)
    # A forger who copies the real key ID into their signature line gets a wrong signature.
    signature = base64.b64decode(forged.split(" ")[-1])
    relabelled = base64.b64encode(VERIFIER.key_id + signature[4:]).decode()
    with pytest.raises(UntrustedNote, match="is wrong"):
        verify_checkpoint(forged.rsplit(" ", 1)[0] + " " + relabelled + "\n", VERIFIER)
    other_log = sign_checkpoint(Checkpoint("aidbridge.example/other", 5, TREE.root(5)), SIGNER)
    with pytest.raises(UntrustedNote, match="of log 'aidbridge.example/other', not 'aidbridge"):
        verify_checkpoint(other_log, VERIFIER)
    assert verify_checkpoint(other_log, VERIFIER, origin="aidbridge.example/other").size == 5


def test_invalid_keys_and_checkpoints():
    for name in ["", "has space", "a+b", "tab\there", "nbsp\u00a0"]:
        with pytest.raises(ValueError, match="key name"):
            Signer(name, bytes(32))
    with pytest.raises(ValueError, match="32-byte seed"):
        Signer(ORIGIN, bytes(31))
    with pytest.raises(ValueError, match="32 bytes"):
        Verifier(ORIGIN, bytes(33))
    with pytest.raises(ValueError, match="ends in a newline"):
        SIGNER.sign("no newline")
    with pytest.raises(ValueError, match="origin"):
        Checkpoint("two\nlines", 1, bytes(32))
    with pytest.raises(ValueError, match="tree size -1"):
        Checkpoint(ORIGIN, -1, bytes(32))
    with pytest.raises(ValueError, match="32 bytes"):
        Checkpoint(ORIGIN, 1, bytes(31))
    assert issubclass(MalformedNote, NoteError) and issubclass(UntrustedNote, NoteError)


origins = st.text(st.characters(blacklist_categories=["Cc", "Cs"]), min_size=1, max_size=40)


@settings(max_examples=100, deadline=None)
@given(
    origin=origins,
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    data=st.data(),
)
def test_any_checkpoint_round_trips_and_any_changed_character_is_rejected(origin, size, root, data):
    checkpoint = Checkpoint(origin, size, root)
    note = sign_checkpoint(checkpoint, SIGNER)
    assert verify_checkpoint(note, VERIFIER, origin=origin) == checkpoint
    at = data.draw(st.integers(0, len(note) - 1))
    new = data.draw(st.characters(blacklist_categories=["Cs"]).filter(lambda c: c != note[at]))
    with pytest.raises(NoteError):
        verify_checkpoint(note[:at] + new + note[at + 1 :], VERIFIER, origin=origin)
