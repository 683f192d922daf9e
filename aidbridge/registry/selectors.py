"""Read queries on the registry, always filtered by the caller's scope."""

from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.audit import Part
from aidbridge.phones import mask_phone
from aidbridge.policy import Action, can, households_in_scope, region_filter
from aidbridge.registry import procedure
from aidbridge.registry.cases import STAGE_LABELS, role_of
from aidbridge.registry.models import (
    Assessment,
    Household,
    Member,
    PovertyCause,
    ProcedureCase,
    ResponsibleHelper,
)
from aidbridge.registry.privacy import id_digest, ids_unreadable

# Per-capita income bands in yuan: (key, label, low inclusive, high exclusive).
INCOME_BANDS = [
    ("under_2300", _("under 2,300"), 0, 2300),
    ("2300_4000", _("2,300 – 4,000"), 2300, 4000),
    ("4000_6000", _("4,000 – 6,000"), 4000, 6000),
    ("6000_up", _("6,000 and above"), 6000, None),
]


# A name or number search lists at most so many households (search_too_broad says when
# it found more), so that a common surname stays fast at a million households.
SEARCH_LIMIT = 1_000


def looks_like_resident_id(text: str) -> bool:
    return len(text) == 18 and text[:17].isdigit() and (text[17].isdigit() or text[17] in "xX")


def household_search(
    user,
    *,
    region=None,
    status: str = "",
    cause: str = "",
    band: str = "",
    stage: str = "",
    q: str = "",
) -> QuerySet:
    """Households the user may see, narrowed by region, status, cause, income band, the stage
    of their open procedure and a name or household number (a resident ID finds nothing
    here: resident_id_search)."""
    households = households_in_scope(user, Household.objects.select_related("village"))
    if region is not None:
        households = households.filter(region_path__startswith=region.path)
    if status:
        households = households.filter(status=status)
    if cause:
        households = households.filter(main_cause=cause)
    if stage:
        households = households.filter(
            pk__in=ProcedureCase.objects.filter(stage=stage).values("household_id")
        )
    for key, _label, low, high in INCOME_BANDS:
        if band == key:
            households = households.filter(per_capita_income__gte=low)
            if high is not None:
                households = households.filter(per_capita_income__lt=high)
    q = q.strip()
    if looks_like_resident_id(q):  # only through id_search.resident_id_search, logged
        return households.none()
    if q:
        households = households.filter(pk__in=_matching(households, q))
    return households


def households_with_member(user, number: str) -> QuerySet:
    """The households the user may see with a member whose resident ID is ``number``. Only
    id_search.resident_id_search calls this: it logs and limits the searches."""
    member = Member.objects.filter(id_digest=id_digest(number)).values("household_id")
    return households_in_scope(user, Household.objects.select_related("village")).filter(
        pk__in=member
    )


def _matching(households: QuerySet, q: str) -> list[int]:
    """Ids of the households whose head, number or a member's name starts with ``q``: three
    index lookups, each stopped after SEARCH_LIMIT + 1 rows, instead of one OR that no index
    serves at a million rows. More than SEARCH_LIMIT ids means the search is too broad to
    list (search_too_broad)."""
    found: set[int] = set()
    for lookup in ("head_name__startswith", "number__startswith", "members__name__startswith"):
        found.update(
            households.filter(**{lookup: q})
            .order_by()
            .values_list("pk", flat=True)
            .distinct()[: SEARCH_LIMIT + 1]
        )
    return sorted(found)


def search_too_broad(households: QuerySet) -> bool:
    """Whether a household_search with ``q`` found more than SEARCH_LIMIT households, so
    that it may list only some of its matches."""
    return households.all()[: SEARCH_LIMIT + 1].count() > SEARCH_LIMIT


def responsible_helpers(user, household: Household) -> list[ResponsibleHelper]:
    """The responsible helpers of a household the user may see, current ones first, with
    their phones as the user may see them (show_phones)."""
    if not can(user, Action.HOUSEHOLD_VIEW, household):
        raise Http404("household")
    return show_phones(
        user, household, list(household.responsible_helpers.select_related("helper", "user"))
    )


def show_phones(user, household: Household, helpers: list[ResponsibleHelper]) -> list:
    """``helpers`` of ``household``, each with ``shown_phone``: the phone in full for roles
    that see personal data, else masked."""
    full = can(user, Action.HOUSEHOLD_SEE_PERSONAL, household)
    for helper in helpers:
        helper.shown_phone = helper.phone if full else mask_phone(helper.phone)
    return helpers


def household_history_parts(user, household: Household) -> dict:
    """What ``audit.history_rows`` shows of a household: its own changes and those of its
    members, responsible helpers and assessments, without what the user may not see."""
    personal = can(user, Action.HOUSEHOLD_SEE_PERSONAL, household)
    mine = {"household_id": household.pk}
    return {
        "own": Part(household.history.all(), choices={"secondary_causes": PovertyCause.choices}),
        "parts": [
            Part(
                Member.history.filter(**mine),
                name=lambda h: h.name,
                created=("relation",),
                hidden=frozenset() if personal else PERSONAL_MEMBER_FIELDS,
            ),
            Part(
                ResponsibleHelper.history.filter(**mine),
                name=lambda h: h.name,
                created=("work_unit", "since", "until"),
                hidden=frozenset() if personal else frozenset({"phone"}),
            ),
            Part(
                Assessment.history.filter(**mine).select_related("assessed_by"),
                name=lambda h: h.assessed_on.isoformat(),
                who=lambda h: h.assessed_by,
                created=("per_capita_income", "suggested_status"),
            ),
        ],
    }


# What a member's history leaves out for roles that do not see personal data.
PERSONAL_MEMBER_FIELDS = frozenset({"birth_date", "health", "disability_grade", "id_masked"})


def access_household(user, public_id) -> Household:
    """Fetch a household the user may see, or raise Http404."""
    household = Household.objects.select_related("village").filter(public_id=public_id).first()
    if household is None or not can(user, Action.HOUSEHOLD_VIEW, household):
        raise Http404("household")
    return household


def resident_ids_check() -> tuple[int, int]:
    """(members, members whose stored ID does not decrypt to a number with its digest): the
    proof that the key in use is the one the registry was written with."""
    rows = Member.objects.order_by().values_list("id_cipher", "id_digest")
    return ids_unreadable(rows.iterator(chunk_size=5000))


def cases_in_scope(user) -> QuerySet:
    """Procedure cases of the households the user may see, oldest first."""
    return (
        ProcedureCase.objects.filter(region_filter(user, "household__region_"))
        .select_related("household", "household__village")
        .order_by("created", "pk")
    )


def cases_at_step(user) -> QuerySet:
    """Open cases outside a notice whose next step is the user's role's."""
    stages = procedure.waiting_stages(role_of(user))
    if not stages or not can(user, Action.REGISTRY_BROWSE):
        return ProcedureCase.objects.none()
    return cases_in_scope(user).filter(stage__in=[s.value for s in stages])


def notices_due(user, today: date) -> QuerySet:
    """Running notices the user's role closes whose days have passed, or that an objection
    paused. One condition per notice length in use (a handful), so the query stays indexed."""
    if not procedure.closes_notices(role_of(user)) or not can(user, Action.REGISTRY_BROWSE):
        return ProcedureCase.objects.none()
    notices = cases_in_scope(user).filter(stage__in=[s.value for s in procedure.NOTICES])
    lengths = notices.order_by().values_list("notice_days", flat=True).distinct()
    over = Q(pk__in=[])
    for days in lengths:
        over |= Q(notice_days=days, notice_started__lte=today - timedelta(days=days))
    return notices.filter(over | Q(paused=True))


def procedure_stages() -> list[tuple[str, str]]:
    """The stages a household list filters by: those of an open case."""
    return [
        (s.value, STAGE_LABELS[s.value])
        for s in procedure.Stage
        if s not in procedure.TERMINAL and s != procedure.Stage.DRAFT
    ]


PICK_LIMIT = 15


def mask_name(name: str, typed: str = "") -> str:
    """A name as pickers show it: its first character, or as much as the user typed of it,
    the rest starred (俄木 → 俄*)."""
    shown = len(typed) if typed and name.startswith(typed) else 1
    return name[:shown] + "*" * (len(name) - shown)


def household_pick(user, q: str, village_code: str = "") -> list[Household]:
    """Up to PICK_LIMIT households the user may see whose number or head's name starts
    with ``q`` (in the village ``village_code`` if given), by number. A resident ID finds
    nothing here."""
    q = q.strip()
    if not q or looks_like_resident_id(q) or not can(user, Action.REGISTRY_BROWSE):
        return []
    households = households_in_scope(user, Household.objects.select_related("village"))
    if village_code.strip():
        households = households.filter(village__code=village_code.strip())
    found = households.filter(Q(number__startswith=q) | Q(head_name__startswith=q))
    return list(found.order_by("number")[:PICK_LIMIT])


_PANELS: list = []


def household_panel_add(panel) -> None:
    """Let an app above the registry add a section to the household page: ``panel(request,
    household)`` returns its HTML, or "" when the user may not see it (loans do, in ``ready``)."""
    _PANELS.append(panel)


def household_panels(request, household: Household) -> list[str]:
    """The sections apps added to the household page, for this user."""
    return [html for panel in _PANELS if (html := panel(request, household))]
