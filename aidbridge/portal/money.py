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

The diagram and the totals count money only (materials' values are estimates: they are
listed by party and unit), of entries that stand, with the figures of ledger/figures.py, so
the diagram's flows add up to the figures shown beside it. A yuan a project passes on to a
need counts for both. Villages are not broken out: a village's figure could single out its
households.
"""

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from aidbridge.donations.selectors import receipted
from aidbridge.helpers.models import OrganizationKind
from aidbridge.ledger.figures import (
    FIGURES,
    INWARD,
    LABELS,
    Figures,
    figure_entries,
    figure_of,
    figures,
    figures_by,
)
from aidbridge.ledger.models import HELPER_ACCOUNTS, Account, AccountKind, Entry, EntryKind, Posting
from aidbridge.ledger.selectors import movements
from aidbridge.needs.models import Need
from aidbridge.needs.selectors import anonymise
from aidbridge.opendata.model import OpenFlow
from aidbridge.portal.selectors import public_need, public_project, published
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
    """Where the account's money came from and went to, by party, each share counted in the
    figure it counts in (ledger/figures.py): what came in (raised, borrowed) flows from the
    party, what went out (spent, passed on, lent) flows to it, so a refund is set against
    what its donor gave and a loan's repayment against the loan. A party can stand on both
    sides (a transfer back); what the account holds flows to "Held". Materials are netted
    by party and unit, apart from the money."""
    moves = [m for m in movements(account=account) if m.counterparts] if account else []
    party = parties({a.pk: a for m in moves for a, _fen in m.counterparts}.values())
    into, out, units = defaultdict(int), defaultdict(int), defaultdict(lambda: [0, 0])
    for m in moves:
        sign = 1 if m.amount > 0 else -1
        weights = [fen for _a, fen in m.counterparts]
        fens = _split(abs(m.amount), weights)
        quantities = _split(abs(m.quantity), weights) if m.quantity else [0] * len(weights)
        inward = figure_of(m.kind, m.amount > 0) in INWARD
        for (a, _fen), fen, quantity in zip(m.counterparts, fens, quantities, strict=True):
            key = party[a.pk].key
            if m.quantity:
                units[(key, m.unit)][0] += sign * quantity
                units[(key, m.unit)][1] += sign * fen
            elif inward:
                into[key] += sign * fen
            else:
                out[key] -= sign * fen
    by_key = {p.key: p for p in party.values()}

    def receiver(key: str) -> Party:  # a party on the right, apart from its left self
        return Party(f"{key}>", by_key[key].label, by_key[key].url)

    flows = [Flow(by_key[k], centre, fen) for k, fen in into.items() if fen > 0]
    flows += [Flow(by_key[k], centre, -fen) for k, fen in out.items() if fen < 0]
    flows += [Flow(centre, receiver(k), fen) for k, fen in out.items() if fen > 0]
    flows += [Flow(centre, receiver(k), -fen) for k, fen in into.items() if fen < 0]
    if (held := sum(into.values()) - sum(out.values())) > 0:
        flows.append(Flow(centre, Party(HELD, _("Held")), held))
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


def need_figures(need: Need) -> Figures:
    """The public figures of a need's account."""
    return figures(Account.objects.filter(need=need))


@dataclass
class AreaFigures:
    """A region's figures: of its projects' accounts, and what its needs and households
    received (raised) and its households borrowed."""

    projects: Figures = field(default_factory=Figures)
    needs: Figures = field(default_factory=Figures)
    households: Figures = field(default_factory=Figures)

    @property
    def lent(self) -> int:
        """Loans to the households, less what they repaid."""
        return self.households.borrowed


@dataclass
class RegionFigures:
    region: Region
    figures: AreaFigures = field(default_factory=AreaFigures)
    more: bool = False  # its own children may be broken out


@dataclass
class RegionTotals:
    region: Region | None  # None: every region (the children are the roots)
    total: AreaFigures
    here: AreaFigures  # of the region itself, or of its villages when they are not broken out
    children: list[RegionFigures]


AREA_ACCOUNTS = {  # part of AreaFigures: (account kind, path of its region from an account)
    "projects": (AccountKind.PROJECT, "project__region_path"),
    "needs": (AccountKind.NEED, "need__region_path"),
    "households": (AccountKind.HOUSEHOLD, "household__region_path"),
}


def area_accounts(part: str, region: Region | None):
    """The accounts of ``part`` (projects, needs, households) in and below ``region``."""
    kind, path = AREA_ACCOUNTS[part]
    accounts = Account.objects.filter(kind=kind)
    return accounts if region is None else accounts.filter(**{f"{path}__startswith": region.path})


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
    """Figures in and below ``region`` (everywhere for None), by child region."""
    if region is None:
        children = list(Region.objects.filter(parent=None).order_by("code"))
    else:
        children = list(region.children.order_by("code")) if _breaks_out(region) else []
    depth = len(region.ancestor_codes()) if region else 0
    rows = {r.code: RegionFigures(r, more=_breaks_out(r)) for r in children}
    total, here = AreaFigures(), AreaFigures()
    for part, (_kind, path) in AREA_ACCOUNTS.items():
        grouped = figures_by(area_accounts(part, region), f"account__{path}")
        for row_path, found in grouped.items():
            codes = [c for c in row_path.split("/") if c]
            child = rows.get(codes[depth]) if len(codes) > depth else None
            for area in (total, child.figures if child else here):
                setattr(area, part, getattr(area, part) + found)
    return RegionTotals(region, total, here, list(rows.values()))


def region_entries(region: Region):
    """The entries that touch a project, need or household of ``region`` (or below)."""
    touched = Q()
    for kind, path in AREA_ACCOUNTS.values():
        touched |= Q(kind=kind, **{f"{path}__startswith": region.path})
    return Entry.objects.filter(postings__account__in=Account.objects.filter(touched))


@dataclass(frozen=True)
class HelperFigures:
    party: Party
    figures: Figures
    receipted: int  # donations it received for projects, as the charity giving receipts


def helper_totals(region: Region | None = None) -> list[HelperFigures]:
    """The figures of each helper party (see the module), most active first; with
    ``region``, of the entries that touch a project, need or household there."""
    entries = region_entries(region) if region else None
    helpers = Account.objects.filter(kind__in=HELPER_ACCOUNTS)
    found = figures_by(helpers, "account", entries=entries)
    accounts = Account.objects.select_related("organization").in_bulk(list(found))
    party = parties(accounts[pk] for pk in found)
    sums: dict[Party, list] = defaultdict(lambda: [Figures(), 0])
    for pk, each in found.items():
        sums[party[pk]][0] += each
    for recipient, total in receipted(region.path if region else ""):  # never individuals
        sums[Party(f"helper:{recipient.code}", str(recipient))][1] += total
    rows = [HelperFigures(p, each, receipted_fen) for p, (each, receipted_fen) in sums.items()]
    return sorted(rows, key=lambda h: (-(_activity(h.figures) + h.receipted), h.party.label))


def _activity(f: Figures) -> int:
    return f.raised + f.spent + f.passed_on + abs(f.lent) + abs(f.borrowed)


# The entries behind a figure --------------------------------------------------------------


@dataclass
class FigureSource:
    """Whose figure: ``title`` names it, ``accounts`` are its accounts, ``entries`` the rows
    behind ``figure`` (``figure_entries``), ``total`` the figure, ``params`` the query that
    asks for it."""

    figure: str
    label: str
    title: str
    url: str
    accounts: object
    entries: object
    total: int
    params: dict


def figure_source(params) -> FigureSource:
    """The figure asked for by ``figure`` and one of ``project`` or ``need`` (public ids) or
    ``region`` (a code, with ``part``: projects, needs or households); ValueError for
    anything else, Http404 for a project, need or region not public."""
    figure = params.get("figure", "")
    if figure not in FIGURES:
        raise ValueError("figure")
    if project_id := params.get("project", "").strip():
        project = public_project(_uuid(project_id))
        accounts, title = Account.objects.filter(project=project), project.public_title
        url, asked = reverse("portal:project", args=[project.public_id]), {"project": project_id}
    elif need_id := params.get("need", "").strip():
        need = public_need(_uuid(need_id))
        accounts, title = Account.objects.filter(need=need), need.public_title
        url, asked = reverse("portal:need", args=[need.public_id]), {"need": need_id}
    else:
        region, part = money_region(params.get("region", "").strip()), params.get("part", "")
        if region is None or part not in AREA_ACCOUNTS:
            raise ValueError("region")
        accounts, title = area_accounts(part, region), f"{region.name} · {PARTS[part]}"
        url = reverse("portal:money") + f"?region={region.code}"
        asked = {"region": region.code, "part": part}
    return FigureSource(
        figure,
        LABELS[figure],
        title,
        url,
        accounts,
        figure_entries(accounts, figure),
        getattr(figures(accounts), figure),
        asked | {"figure": figure},
    )


PARTS = {  # lazy: read in the language of each request
    "projects": gettext_lazy("projects"),
    "needs": gettext_lazy("needs"),
    "households": gettext_lazy("households"),
}


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise Http404("id") from None


@dataclass(frozen=True)
class EntryRow:
    seq: int
    date: object
    kind: str
    label: str  # the kind's, in the active language
    fen: int
    others: tuple[Party, ...]  # the parties on the other side, anonymised


def entry_rows(rows, accounts) -> list[EntryRow]:
    """``rows`` of ``figure_entries`` (a page of them) as public rows: kind, date, amount and
    the other parties, grouped as in the flows, never a memo (free text)."""
    fens = {row["entry"]: row["fen"] for row in rows}
    entries = Entry.objects.filter(seq__in=fens).order_by("seq")
    others = defaultdict(list)
    postings = Posting.objects.filter(entry__in=list(fens)).exclude(account__in=accounts)
    for p in postings.select_related("account__organization").order_by("entry", "line"):
        others[p.entry_id].append(p.account)
    found = []
    for e in entries:
        party = parties({a.pk: a for a in others[e.seq]}.values())
        shown = tuple(dict.fromkeys(party[a.pk] for a in others[e.seq]))
        label = str(EntryKind(e.kind).label)
        found.append(EntryRow(e.seq, e.date, e.kind, label, fens[e.seq], shown))
    return found
