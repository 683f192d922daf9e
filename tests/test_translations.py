"""Every user-facing string has a Chinese translation, and the compiled catalogue matches."""

import gettext
import re
from pathlib import Path

import aidbridge

LOCALE = Path(aidbridge.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries() -> dict[str, str]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue
        head = block.split("msgstr")[0].split("msgid_plural")[0]
        context, _, head = head.rpartition("msgid ")
        msgid = "".join(re.findall(r'"(.*)"', head))
        msgstr = "".join(re.findall(r'"(.*)"', block.split("msgstr", 1)[1]))
        if "msgctxt" in context:  # gettext's key of a message with a context
            msgid = "".join(re.findall(r'"(.*)"', context.split("msgctxt", 1)[1])) + "\x04" + msgid
        entries[msgid] = msgstr
    return entries


def test_every_string_is_translated():
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")  # guesses
    missing = [msgid for msgid, msgstr in po_entries().items() if msgid and not msgstr]
    assert missing == []


def test_the_compiled_catalogue_is_up_to_date():
    with (LOCALE / "django.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, msgstr in po_entries().items():
        if msgid and "%(n)s" not in msgid:  # plural entries are keyed differently
            assert (
                compiled.gettext(msgid.encode().decode("unicode_escape")) != msgid
                or msgstr == msgid
            ), msgid
