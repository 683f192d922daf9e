"""Money and materials as the public sees them: where a project's or a need's came from and
went to (from the ledger's movements of its account), and money totals by region and by
helper.

Parties are grouped so that no person can be told apart:

- helpers other than individuals by their public name, and funds or organizations that have
  an account of their own without a helper by that account's name;
- individual donors, and donor accounts without a helper, as one party,
  "Individual donors (N)";
- households as one party, "N households": never a name, number or ID;
- published needs by their public (redacted) title, other needs as one party;
- projects by their public title; accounts outside the platform as one party, never by an
  external account's own name (it may be a person's).

An entry does not say which giver's fen went to which receiver: when one has several on the
other side, each is credited in proportion (whole fen, largest remainder first).

Netting: what went back to a party (refunds, transfers back) is set against what came from
it, so each party stands on one side only, with the net, and the diagram has no cycle. Money
and materials at their stated value are netted together; materials are also listed by unit,
netted per party and unit. What the account still holds goes to "Not yet passed on".

Totals count money only (materials' values are estimates) of entries that stand: received is
what came into the accounts less refunds they paid back; disbursed is what disbursements
paid out (or, to households, in). A yuan a project passes on to a need counts for both.
Villages are not broken out: a village's figure could single out its households.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from aidbridge.donations.selectors import receipted
from aidbridge.helpers.models import OrganizationKind
from aidbridge.ledger.models import HELPER_ACCOUNTS, Account, AccountKind, EntryKind, Posting
from aidbridge.ledger.selectors import movements, standing
from aidbridge.needs import lifecycle
from aidbridge.needs.models import Need
from aidbridge.needs.selectors import anonymise
from aidbridge.opendata.model import OpenFlow
from aidbridge.portal.selectors import published
from aidbridge.projects.models import Project
from aidbridge.projects.selectors import anonymise_projects, public_projects
from aidbridge.regions.models import Region
from aidbridge.registry.publicity import LEVELS

INDIVIDUALS, HOUSEHOLDS, NEEDS, OUTSIDE, HELD = (
    "individuals",
    "households",
    "needs",
    "outside",
    "held",
)


@dataclass(frozen=True)
class Party:
    """A node of the flows. ``key`` tells parties apart and is never shown."""

    key: str
    label: str
    url: str = ""


@dataclass(frozen=True)
class Flow:
    source: Party
    target: Party
    value_fen: int

    def open(self) -> OpenFlow:
        return OpenFlow(self.source.label, self.target.label, self.value_fen)


@dataclass(frozen=True)
class Material:
    source: Party
    target: Party
    unit: str
    quantity: int
    value_fen: int  # as stated when posted


@dataclass(frozen=True)
class Flows:
    flows: tuple[Flow, ...] = ()
    materials: tuple[Material, ...] = ()


def project_flows(project: Project) -> Flows:
    """The flows of the project's account; ``project`` as ``anonymise_projects`` left it."""
    centre = Party(f"project:{project.public_id}", project.public_title)
    return account_flows(Account.objects.filter(project=project).first(), centre)


def need_flows(need: Need) -> Flows:
    """The flows of the need's account; ``need`` as ``anonymise`` left it."""
    centre = Party(f"need:{need.public_id}", need.public_title)
    return account_flows(Account.objects.filter(need=need).first(), centre)


def account_flows(account: Account | None, centre: Party) -> Flows:
    """Where the account's money and materials came from and went to, netted by party."""
    moves = [m for m in movements(account=account) if m.counterparts] if account else []
    party = parties({a.pk: a for m in moves for a, _fen in m.counterparts}.values())
    net, units = defaultdict(int), defaultdict(lambda: [0, 0])
    for m in moves:
        sign = 1 if m.amount > 0 else -1
        weights = [fen for _a, fen in m.counterparts]
        fens = _split(abs(m.amount), weights)
        quantities = _split(abs(m.quantity), weights) if m.quantity else [0] * len(weights)
        for (a, _fen), fen, quantity in zip(m.counterparts, fens, quantities, strict=True):
            key = party[a.pk].key
            net[key] += sign * fen
            if m.quantity:
                units[(key, m.unit)][0] += sign * quantity
                units[(key, m.unit)][1] += sign * fen
    by_key = {p.key: p for p in party.values()}
    flows = [Flow(by_key[k], centre, fen) for k, fen in net.items() if fen > 0]
    flows += [Flow(centre, by_key[k], -fen) for k, fen in net.items() if fen < 0]
    if (held := sum(net.values())) > 0:
        flows.append(Flow(centre, Party(HELD, _("Not yet passed on")), held))
    materials = [
        Material(by_key[k], centre, unit, q, fen)
        if q > 0
        else Material(centre, by_key[k], unit, -q, -fen)
        for (k, unit), (q, fen) in units.items()
        if q
    ]
    flows.sort(key=lambda f: (f.source == centre, -f.value_fen, _labels(f)))
    materials.sort(key=lambda m: (m.source == centre, m.unit, -m.quantity, _labels(m)))
    return Flows(tuple(flows), tuple(materials))


def _labels(flow: Flow | Material) -> tuple[str, str]:
    return flow.source.label, flow.target.label


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` in whole parts in proportion to ``weights`` (largest remainder first)."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    rest = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in rest[: total - sum(parts)]:
        parts[i] += 1
    return parts


def parties(accounts) -> dict[int, Party]:
    """The party of each account, by account id; grouped parties count the accounts given."""
    return grouped(ungrouped(accounts))


def ungrouped(accounts) -> dict[int, Party]:
    """The party of each account, by account id, in a fixed number of queries; grouped
    parties (individual donors, households, needs not published) still without a label."""
    accounts = list(accounts)
    needs = published().filter(pk__in={a.need_id for a in accounts if a.need_id})
    needs = {n.pk: n for n in anonymise(list(needs))}
    projects = public_projects().filter(pk__in={a.project_id for a in accounts if a.project_id})
    projects = {p.pk: p for p in anonymise_projects(list(projects))}
    return {a.pk: _party(a, needs, projects) for a in accounts}


def grouped(found: dict[int, Party]) -> dict[int, Party]:
    """``found`` with each grouped party labelled with the number of its accounts there."""
    sizes = Counter(p.key for p in found.values())
    return {
        pk: p if p.label else Party(p.key, _group(p.key, sizes[p.key])) for pk, p in found.items()
    }


def _party(account: Account, needs: dict, projects: dict) -> Party:
    """The account's party; grouped parties without their label yet."""
    kind, helper = account.kind, account.organization
    if kind == AccountKind.EXTERNAL:
        return Party(OUTSIDE, _("Outside the platform (suppliers, providers)"))
    if kind == AccountKind.HOUSEHOLD:
        return Party(HOUSEHOLDS, "")
    if kind == AccountKind.NEED:
        need = needs.get(account.need_id)
        if need is None:
            return Party(NEEDS, "")
        return Party(
            f"need:{need.public_id}",
            need.public_title,
            reverse("portal:need", args=[need.public_id]),
        )
    if kind == AccountKind.PROJECT:
        project = projects[account.project_id]
        url = reverse("portal:project", args=[project.public_id])
        return Party(f"project:{project.public_id}", project.public_title, url)
    if helper is not None and helper.kind != OrganizationKind.INDIVIDUAL:
        return Party(f"helper:{helper.code}", str(helper))
    if helper is None and kind != AccountKind.DONOR:
        english = (get_language() or "").startswith("en") and account.name_en
        return Party(f"account:{account.code}", account.name_en if english else account.name_zh)
    return Party(INDIVIDUALS, "")


def _group(key: str, n: int) -> str:
    if key == INDIVIDUALS:
        return _("Individual donors (%(n)s)") % {"n": n}
    if key == HOUSEHOLDS:
        return ngettext("%(n)s household", "%(n)s households", n) % {"n": n}
    return ngettext("%(n)s need not published", "%(n)s needs not published", n) % {"n": n}


# Totals ---------------------------------------------------------------------------------------


@dataclass
class Figures:
    """Money in fen: received by projects, received by published needs, disbursed to
    households."""

    projects: int = 0
    needs: int = 0
    households: int = 0


@dataclass
class RegionFigures:
    region: Region
    figures: Figures = field(default_factory=Figures)
    more: bool = False  # its own children may be broken out


@dataclass
class RegionTotals:
    region: Region | None  # None: every region (the children are the roots)
    total: Figures
    here: Figures  # of the region itself, or of its villages when they are not broken out
    children: list[RegionFigures]


_RECEIVED = Sum("amount", filter=Q(amount__gt=0) | Q(entry__kind=EntryKind.REFUND))
_SOURCES = {  # figure: (postings, path of the region they are in, sum)
    "projects": (Q(account__kind=AccountKind.PROJECT), "account__project__region_path", _RECEIVED),
    "needs": (
        Q(account__kind=AccountKind.NEED, account__need__status__in=lifecycle.PUBLIC),
        "account__need__region_path",
        _RECEIVED,
    ),
    "households": (
        Q(account__kind=AccountKind.HOUSEHOLD, entry__kind=EntryKind.DISBURSEMENT),
        "account__household__region_path",
        Sum("amount"),
    ),
}


def money_region(code: str) -> Region | None:
    """The region whose totals are asked for: None for no code; Http404 for an unknown
    code or a village."""
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None or region.level == LEVELS[-1]:
        raise Http404("region")
    return region


def _breaks_out(region: Region) -> bool:
    """Whether the region's children are shown: not when they are villages."""
    return region.level in LEVELS[:-2]


def region_totals(region: Region | None) -> RegionTotals:
    """Money in and below ``region`` (everywhere for None), by child region."""
    if region is None:
        children = list(Region.objects.filter(parent=None).order_by("code"))
    else:
        children = list(region.children.order_by("code")) if _breaks_out(region) else []
    depth = len(region.ancestor_codes()) if region else 0
    rows = {r.code: RegionFigures(r, more=_breaks_out(r)) for r in children}
    total, here = Figures(), Figures()
    for name, (postings, path, aggregate) in _SOURCES.items():
        found = standing(Posting.objects.filter(postings, quantity__isnull=True))
        if region is not None:
            found = found.filter(**{f"{path}__startswith": region.path})
        for row_path, fen in found.values_list(path).annotate(fen=aggregate).order_by():
            codes = [c for c in row_path.split("/") if c]
            child = rows.get(codes[depth]) if len(codes) > depth else None
            for figures in (total, child.figures if child else here):
                setattr(figures, name, getattr(figures, name) + (fen or 0))
    return RegionTotals(region, total, here, list(rows.values()))


@dataclass(frozen=True)
class HelperFigures:
    party: Party
    received: int
    given: int  # donations, transfers, purchases of services, loans, refunds
    disbursed: int  # disbursements to households, needs and outside the platform
    receipted: int  # donations it received for projects, as the charity giving receipts


def helper_totals() -> list[HelperFigures]:
    """Money received, given out and disbursed by each helper party (see the module), most
    active first."""
    given = Q(amount__lt=0) & ~Q(entry__kind=EntryKind.DISBURSEMENT)
    rows = list(
        standing(Posting.objects.filter(account__kind__in=HELPER_ACCOUNTS, quantity__isnull=True))
        .values_list("account")
        .annotate(
            received=Sum("amount", filter=Q(amount__gt=0), default=0),
            given=Sum("amount", filter=given, default=0),
            disbursed=Sum(
                "amount", filter=Q(amount__lt=0, entry__kind=EntryKind.DISBURSEMENT), default=0
            ),
        )
        .order_by()
    )
    accounts = Account.objects.select_related("organization").in_bulk([pk for pk, *_ in rows])
    party = parties(accounts[pk] for pk, *_sums in rows)
    sums = defaultdict(lambda: [0, 0, 0, 0])
    for pk, received, given_out, disbursed in rows:
        figures = sums[party[pk]]
        figures[0] += received
        figures[1] -= given_out
        figures[2] -= disbursed
    for recipient, total in receipted():  # charities and public bodies, never individuals
        sums[Party(f"helper:{recipient.code}", str(recipient))][3] += total
    found = [HelperFigures(p, *figures) for p, figures in sums.items()]
    return sorted(
        found,
        key=lambda h: (-(h.received + h.given + h.disbursed + h.receipted), h.party.label),
    )
