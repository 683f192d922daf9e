"""What the public may read of a text about villages: the names of their registered members
and their household numbers hidden (with phones and ID numbers, ``aidbridge.redact``). Needs
and projects set ``masked_names`` and ``masked_numbers`` with these (their selectors'
``anonymise``); every public free text then goes through ``public_text``."""

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aidbridge.redact import redact, redact_report
from aidbridge.regions.models import Region
from aidbridge.registry.models import Member

LEVELS = [key for key, _label in settings.REGION_LEVELS]
COUNTY = LEVELS.index("county")

# What the reviewers' preview calls each kind of hidden text (aidbridge.redact.Finding).
HIDDEN_KINDS = {
    "name": _("name of a registered member"),
    "number": _("household number"),
    "id_or_card": _("resident ID, bank card or household number"),
    "mobile": _("mobile number"),
    "landline": _("landline number"),
}


def public_text(text: str, concerned) -> str:
    """``text`` as the public sees it: redacted with the names and household numbers of
    ``concerned`` (a need or project as its selectors' ``anonymise`` left it). Every
    public free text goes through here."""
    return redact(text, concerned.masked_names, concerned.masked_numbers)


def people(villages: set[int]) -> dict[int, tuple[list, list]]:
    """The registered members' names and the household numbers of each village."""
    people = defaultdict(lambda: ([], []))
    for village, number, name in Member.objects.filter(household__village__in=villages).values_list(
        "household__village", "household__number", "name"
    ):
        people[village][0].append(name)
        people[village][1].append(number)
    return people


def concerned(people: dict, villages) -> tuple[list, list]:
    """The names and household numbers of ``villages``, from ``people``."""
    names, numbers = [], []
    for village in villages:
        names += people[village][0]
        numbers += people[village][1]
    return names, numbers


def places(region: Region) -> list[Region]:
    """The region and those above it, up to its county: where the public is told it is."""
    places = []
    while region is not None:
        places.insert(0, region)
        if LEVELS.index(region.level) <= COUNTY:
            break
        region = region.parent
    return places


def preview(concerned, texts) -> dict:
    """The public version of each (label, text) and what it hides, once each."""
    shown, hidden = [], []
    for label, text in texts:
        public, found = redact_report(text, concerned.masked_names, concerned.masked_numbers)
        if text:
            shown.append((label, public))
        hidden += found
    return {
        "texts": shown,
        "hidden": [(HIDDEN_KINDS[f.kind], f.text) for f in dict.fromkeys(hidden)],
    }
