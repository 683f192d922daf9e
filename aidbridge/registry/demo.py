"""Demo households, loaded: ``load`` writes generated households (demo_data.py) straight
into the tables, with responsible helpers for the poor and monitored ones.

The generator and the export with planted errors (demo_export.py) are importable from here
too, as the site's demo calls them.
"""

import random
from collections.abc import Callable
from datetime import date
from itertools import islice

from django.conf import settings
from django.db import transaction

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import villages as all_villages
from aidbridge.registry import idcard
from aidbridge.registry.demo_data import (  # noqa: F401 (generate and the lines: re-exported)
    MAX_PER_VILLAGE,
    MONITORING_LINE,
    POVERTY_LINE,
    YEAR,
    Names,
    generate,
    village_pairs,
)
from aidbridge.registry.demo_export import ERROR_KINDS, EXPORT_RANGES, export_csv  # noqa: F401
from aidbridge.registry.models import (
    Household,
    HouseholdIncome,
    HouseholdStatus,
    IdentificationRule,
    Member,
    ResponsibleHelper,
    Sex,
)
from aidbridge.registry.privacy import id_digest, id_encrypt
from aidbridge.registry.rules import rule_set
from aidbridge.registry.signals import households_changed
from aidbridge.registry.template import ENGLISH_HEADER  # noqa: F401

# Responsible helpers (帮扶责任人) of poor and monitored households: a cadre of the township
# government or of a county bureau answers for those of a block of household serials.
HELPED = (HouseholdStatus.POOR, HouseholdStatus.MONITORED)
CADRE_BLOCK = 25  # serials; about four or five helped households a cadre
REPLACED = 0.25  # helped households whose first responsible helper was replaced since
MONITORING_FROM = 2021  # when a household never poor but monitored got its helper
BUREAUS = (
    "农业农村局",
    "教育体育局",
    "卫生健康局",
    "人力资源和社会保障局",
    "乡村振兴局",
    "财政局",
    "交通运输局",
    "水利局",
)

Progress = Callable[[int, int], None]


def _taken(model, field: str, values: list[str]) -> set[str]:
    """The values already in the table (in chunks, within SQLite's parameter limit)."""
    found: set[str] = set()
    for start in range(0, len(values), 900):
        found.update(
            model.objects.filter(**{f"{field}__in": values[start : start + 900]}).values_list(
                field, flat=True
            )
        )
    return found


def load(*, n: int, seed: int, progress: Progress | None = None, batch: int = 2000) -> int:
    """Write n generated households (members, income rows and, for poor and monitored ones,
    responsible helpers too) into all villages; return how many were created. Households
    whose number or a member's ID is already registered are skipped, so loading the same
    seed again creates nothing.

    Uses bulk_create, so no history records are written for demo households, and the
    per-household service (with its checks and permission) is not called."""
    villages = all_villages()
    by_code = {v.code: v for v in villages}
    cadres = _Cadres(seed, villages)
    stream = generate(villages=village_pairs(villages), n=n, seed=seed)
    created = done = 0
    while chunk := list(islice(stream, batch)):
        created += _load_new(chunk, by_code, cadres)
        done += len(chunk)
        if progress:
            progress(done, n)
    if created:
        households_changed.send(sender=Household, villages=None)
    return created


def _load_new(chunk: list, villages: dict[str, Region], cadres: "_Cadres") -> int:
    """Write the generated households of ``chunk`` whose number and members' IDs are not
    registered yet; return how many."""
    taken = _taken(Household, "number", [h["number"] for h, _m in chunk])
    fresh = [(h, ms) for h, ms in chunk if h["number"] not in taken]
    for _h, members in fresh:
        for m in members:
            m["id_digest"] = id_digest(m["resident_id"])
    registered = {
        bytes(d)
        for d in _taken(Member, "id_digest", [m["id_digest"] for _h, ms in fresh for m in ms])
    }
    fresh = [(h, ms) for h, ms in fresh if not any(m["id_digest"] in registered for m in ms)]
    with transaction.atomic():
        _write(fresh, villages, cadres)
    return len(fresh)


# What the demo village needs, whatever the demo's size: households enough for a village,
# poor ones for the exit cases and the needs, others for the entry cases.
SHOWCASE = {"households": 30, "poor": 4, "helped": 14, "entry": 2}
ENTRY = (
    HouseholdStatus.NOT_POOR,
    HouseholdStatus.MARGINAL,
    HouseholdStatus.MONITORED,
    HouseholdStatus.RISK_ELIMINATED,
)


def _village_counts(village: Region) -> dict[str, int]:
    statuses = list(Household.objects.filter(village=village).values_list("status", flat=True))
    return {
        "households": len(statuses),
        "poor": statuses.count(HouseholdStatus.POOR),
        "helped": sum(s in HELPED for s in statuses),
        "entry": sum(s in ENTRY for s in statuses),
    }


def showcase(*, village_code: str, seed: int) -> int:
    """Add generated households to the demo village until it has what SHOWCASE asks (its
    procedure cases and needs are about them); return how many were added. The serials
    start at 5001 and the ID counters half-way, clear of what ``load`` gives a village."""
    village = Region.objects.get(code=village_code)
    counts = _village_counts(village)
    if all(counts[key] >= least for key, least in SHOWCASE.items()):
        return 0
    stream = generate(
        villages=village_pairs([village]),
        n=MAX_PER_VILLAGE - 5000,
        seed=seed + 1_000_003,
        first_serial=5001,
        first_sequence=250,
    )
    chosen = []
    for h, members in stream:
        status = h["status"]
        counts["households"] += 1
        counts["poor"] += status == HouseholdStatus.POOR
        counts["helped"] += status in HELPED
        counts["entry"] += status in ENTRY
        chosen.append((h, members))
        if all(counts[key] >= least for key, least in SHOWCASE.items()):
            break
    created = _load_new(chosen, {village.code: village}, _Cadres(seed, [village]))
    if created:
        households_changed.send(sender=Household, villages=[village.pk])
    return created


def _write(
    rows: list[tuple[dict, list[dict]]], villages: dict[str, Region], cadres: "_Cadres"
) -> None:
    households = []
    for h, members in rows:
        village = villages[h["village_code"]]
        households.append(
            Household(
                number=h["number"],
                village=village,
                region_path=village.path,
                address=h["address"],
                head_name=members[0]["name"],
                size=len(members),
                main_cause=h["main_cause"],
                secondary_causes=h["secondary_causes"],
                status=h["status"],
                identified_year=h["identified_year"],
                exit_year=h["exit_year"],
                income_year=h["income_year"],
                per_capita_income=h["per_capita_income"],
            )
        )
    Household.objects.bulk_create(households)
    Member.objects.bulk_create(
        [
            Member(
                household=household,
                name=m["name"],
                id_digest=m["id_digest"],
                id_cipher=id_encrypt(m["resident_id"]),
                id_masked=idcard.mask(m["resident_id"]),
                sex=m["sex"],
                birth_date=m["birth_date"],
                relation=m["relation"],
                labour=m["labour"],
                health=m["health"],
                disability_grade=m["disability_grade"],
                schooling=m["schooling"],
                medical_insurance=m["medical_insurance"],
            )
            for household, (_h, members) in zip(households, rows, strict=True)
            for m in members
        ]
    )
    HouseholdIncome.objects.bulk_create(
        [
            HouseholdIncome(
                household=household,
                year=h["income_year"],
                per_capita_income=h["per_capita_income"],
                items=h["income_items"],
            )
            for household, (h, _ms) in zip(households, rows, strict=True)
        ]
    )
    ResponsibleHelper.objects.bulk_create(
        [
            helper
            for household, (h, _ms) in zip(households, rows, strict=True)
            if h["status"] in HELPED
            for helper in cadres.assignments(h, household)
        ]
    )


class _Cadres:
    """Responsible helpers of helped households, from the seed and the household number
    alone, so a household gets the same ones whichever run loads it."""

    def __init__(self, seed: int, villages: list[Region]):
        levels = [level for level, _label in settings.REGION_LEVELS]
        township, county = levels.index("township"), levels.index("county")
        names = dict(
            Region.objects.filter(level__in=(levels[township], levels[county])).values_list(
                "code", "name_zh"
            )
        )
        self.units = {
            v.code: (names[v.ancestor_codes()[township]], names[v.ancestor_codes()[county]])
            for v in villages
        }
        self.seed = seed
        self.known: dict[tuple[str, int], dict] = {}

    def _cadre(self, rng: random.Random, village: str) -> dict:
        township, county = self.units[village]
        names = Names(rng, YEAR)
        sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
        unit = f"{township}人民政府" if rng.random() < 0.4 else county + rng.choice(BUREAUS)
        return {
            "name": names.full(names.surname(), sex, rng.randint(25, 55)),
            "work_unit": unit,
            "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        }

    def assignments(self, h: dict, household: Household) -> list[ResponsibleHelper]:
        """The household's current responsible helper, after a former one for some."""
        village = h["village_code"]
        block = (village, int(h["number"][len(village) :]) // CADRE_BLOCK)
        if block not in self.known:
            self.known[block] = self._cadre(random.Random(f"cadre {self.seed} {block}"), village)
        rng = random.Random(f"responsible {self.seed} {h['number']}")
        first = h["identified_year"] or MONITORING_FROM
        since = date(rng.randint(first, YEAR), rng.randint(1, 12), 1)
        current = ResponsibleHelper(household=household, since=since, **self.known[block])
        if since.year == first or rng.random() >= REPLACED:
            return [current]
        return [
            ResponsibleHelper(
                household=household,
                since=date(first, rng.randint(1, 12), 1),
                until=since,
                **self._cadre(rng, village),
            ),
            current,
        ]


PROVINCE = "510000"  # Sichuan, whose officer sets the demo's identification rules


def rules_load() -> bool:
    """Sichuan's identification rules from 2020 (the national line, all six guarantees), set
    by the province officer through registry.rules; False if some are set already or the
    province or its officer is missing."""
    province = Region.objects.filter(code=PROVINCE).first()
    officer = User.objects.filter(username=f"province-{PROVINCE}").first()
    if province is None or officer is None or IdentificationRule.objects.exists():
        return False
    rule_set(
        by=officer,
        region=province,
        year=2020,
        poverty_line=POVERTY_LINE,
        monitoring_multiple=1.5,
        guarantees=["food", "clothing", "education", "medical", "housing", "water"],
        note="国家现行扶贫标准（2010 年不变价 2,300 元）",
    )
    return True
