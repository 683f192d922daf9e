"""Demo households: realistic, deterministic, fast to load.

``generate`` is pure (no database): the same villages, count, seed and year always give the
same households, and the first k of n are those of a run with n = k. ``load`` writes them
straight into the tables; ``export_csv`` writes them in the import template with errors
planted on purpose, listed in a second file.

The shares below are demo choices, loosely after the 2014 national filing and Liangshan
(a Yi prefecture): illness causes about 44% of poverty; most filed households are lifted out.
"""

import csv
import random
from bisect import bisect
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from itertools import accumulate, islice
from pathlib import Path

from django.conf import settings
from django.db import transaction

from aidbridge.insights.tally import tally_rebuild
from aidbridge.regions.models import Region
from aidbridge.registry import ages, idcard
from aidbridge.registry.models import (
    Health,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    Labour,
    Member,
    PovertyCause,
    Relation,
    ResponsibleHelper,
    Schooling,
    Sex,
)
from aidbridge.registry.privacy import id_digest, id_encrypt
from aidbridge.registry.template import ENGLISH_HEADER

POVERTY_LINE = 4_000  # yuan per person per year
MONITORING_LINE = 6_000  # 1.5 x the poverty line
YEAR = 2025  # of the incomes; members are of the generated age on its first day
MAX_PER_VILLAGE = 9_999  # household numbers are the village code + 4 digits
SEQUENCES = 500  # distinct IDs idcard.generate gives per (region, birth date, sex)

SIZES = {1: 8, 2: 15, 3: 22, 4: 22, 5: 15, 6: 10, 7: 5, 8: 3}
# Schooling is redrawn where no one is at school, which leaves it about 2% in effect.
CAUSES = {PovertyCause.ILLNESS: 44, PovertyCause.SKILLS: 13, PovertyCause.LABOUR: 10,
          PovertyCause.FUNDS: 9, PovertyCause.DISABILITY: 7, PovertyCause.SCHOOLING: 5,
          PovertyCause.TRANSPORT: 3, PovertyCause.DISASTER: 2.5, PovertyCause.MOTIVATION: 2,
          PovertyCause.LAND: 1.5, PovertyCause.WATER: 1, PovertyCause.OTHER: 2}
STATUSES = {HouseholdStatus.LIFTED: 55, HouseholdStatus.NOT_POOR: 15,
            HouseholdStatus.POOR: 10, HouseholdStatus.MONITORED: 8,
            HouseholdStatus.MARGINAL: 7, HouseholdStatus.RISK_ELIMINATED: 5}
IDENTIFIED = {2014: 50, 2015: 15, 2016: 12, 2017: 10, 2018: 8, 2019: 5}
# Per-capita income by status: (share, low, mode, high) triangles, in yuan.
INCOMES = {
    HouseholdStatus.POOR: [(85, 1_500, 3_300, 3_999), (15, 4_000, 4_200, 4_800)],
    HouseholdStatus.LIFTED: [(95, 4_000, 5_000, 10_000), (5, 3_200, 3_800, 3_999)],
    HouseholdStatus.MONITORED: [(85, 4_000, 5_200, 5_999), (10, 3_000, 3_700, 3_999),
                                (5, 6_000, 6_300, 7_500)],
    HouseholdStatus.MARGINAL: [(90, 4_000, 5_000, 5_999), (10, 3_500, 3_900, 3_999)],
    HouseholdStatus.RISK_ELIMINATED: [(100, 6_000, 7_500, 12_000)],
    HouseholdStatus.NOT_POOR: [(100, 6_000, 9_000, 30_000)],
}
# (chronic, serious, disabled) probabilities by age band: <16, 16-44, 45-59, 60+.
HEALTH_RISKS = [(0.02, 0.01, 0.01), (0.06, 0.02, 0.03), (0.15, 0.05, 0.05),
                (0.30, 0.08, 0.08)]
DISABILITY_GRADES = {None: 25, 1: 11, 2: 19, 3: 22, 4: 23}
# Schooling completed by adults, by age from (a cohort's chances).
ADULT_SCHOOLING = [
    (60, {Schooling.ILLITERATE: 60, Schooling.PRIMARY: 35, Schooling.JUNIOR: 5}),
    (40, {Schooling.ILLITERATE: 30, Schooling.PRIMARY: 45, Schooling.JUNIOR: 20,
          Schooling.SENIOR: 5}),
    (25, {Schooling.ILLITERATE: 10, Schooling.PRIMARY: 35, Schooling.JUNIOR: 40,
          Schooling.SENIOR: 8, Schooling.VOCATIONAL: 5, Schooling.COLLEGE: 2}),
    (0, {Schooling.PRIMARY: 10, Schooling.JUNIOR: 45, Schooling.SENIOR: 20,
         Schooling.VOCATIONAL: 15, Schooling.COLLEGE: 10}),
]

YI_SHARE = 0.6
HAN_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊秦邱江尹雷")
HAN_GIVEN = {  # (born before 1990, born 1990 or later) characters, by sex
    Sex.MALE: ("国建明华文军平志成海兵福贵富兴荣德云林强伟勇刚洪",
               "浩宇轩子俊博睿杰涛鹏辉磊凯晨阳"),
    Sex.FEMALE: ("秀英兰芳梅琴玉珍凤桂华丽霞艳红萍燕淑",
                 "欣怡雨萱佳涵婷静雪敏娟莉思梓诗"),
}
YI_SURNAMES = ("吉克", "阿苏", "曲比", "沙马", "马海", "俄木", "阿约", "海来", "勒格", "阿尔",
               "吉伍", "瓦扎", "木乃", "俄的", "日火", "阿鲁", "吉木", "加拉", "史布", "巴莫")
YI_GIVEN = {
    Sex.MALE: ("曲布", "拉且", "尔古", "木呷", "伍呷", "石哈", "克体", "阿牛", "子哈", "拉哈",
               "尔布", "木果", "约达", "日哈", "伍沙", "阿木", "沙日", "俄底"),
    Sex.FEMALE: ("阿依", "阿呷", "阿果", "阿芝", "阿西", "伍嫫", "阿嫫", "么扎", "金花", "阿衣",
                 "日果", "阿各", "依果", "石莫", "吉妞", "伍果"),
}

# Responsible helpers (帮扶责任人) of poor and monitored households: a cadre of the township
# government or of a county bureau answers for those of a block of household serials.
HELPED = (HouseholdStatus.POOR, HouseholdStatus.MONITORED)
CADRE_BLOCK = 25  # serials; about four or five helped households a cadre
REPLACED = 0.25  # helped households whose first responsible helper was replaced since
MONITORING_FROM = 2021  # when a household never poor but monitored got its helper
BUREAUS = ("农业农村局", "教育体育局", "卫生健康局", "人力资源和社会保障局", "乡村振兴局",
           "财政局", "交通运输局", "水利局")

Progress = Callable[[int, int], None]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class _Names:
    """Names for one household: a Yi or Han family, children carrying their father's name."""

    def __init__(self, rng: random.Random, year: int):
        self.rng, self.year = rng, year
        self.yi = rng.random() < YI_SHARE
        self.used: set[str] = set()

    def surname(self) -> str:
        return self.rng.choice(YI_SURNAMES if self.yi else HAN_SURNAMES)

    def full(self, surname: str, sex: str, age: int) -> str:
        """A name no one else in the household has."""
        while True:
            if self.yi:
                name = surname + self.rng.choice(YI_GIVEN[sex])
            else:
                chars = HAN_GIVEN[sex][self.year - age >= 1990]
                k = 1 if self.rng.random() < 0.3 else 2
                name = surname + "".join(self.rng.choices(chars, k=k))
            if name not in self.used:
                self.used.add(name)
                return name


def _family(rng: random.Random, size: int) -> list[tuple[str, str, int, str]]:
    """(relation, sex, age, surname slot) for each member, head first. The slot says whose
    surname a member carries: "head", "father" (of the head's children), "line" (of the
    grandchildren) or "own"."""
    married = settings.REGISTRY_AGES["marriage"]  # the least age of a spouse, by sex
    head_sex = Sex.MALE if rng.random() < 0.85 else Sex.FEMALE
    other = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
    head_age = _clamp(rng.triangular(35, 80, 68) if size == 1 else rng.triangular(25, 80, 45),
                      25, 80)
    people = [(Relation.HEAD, head_sex, head_age, "head")]
    parent_age = head_age - 2 if head_sex == Sex.MALE else head_age
    if size > 1 and rng.random() < 0.85:
        spouse_age = _clamp(head_age + rng.gauss(-2 if head_sex == Sex.MALE else 2, 3),
                            married[other], 85)
        people.append((Relation.SPOUSE, other, spouse_age, "own" if other == Sex.FEMALE
                       else "father"))
        parent_age = min(parent_age, spouse_age)
    if head_age >= 50 and size - len(people) >= 3 and rng.random() < 0.6:
        # Three generations: a married child, the child's spouse, grandchildren.
        child_sex = rng.choice([Sex.MALE, Sex.FEMALE])
        child_age = max(20, parent_age - rng.randint(20, 30))
        in_law_sex = Sex.FEMALE if child_sex == Sex.MALE else Sex.MALE
        in_law_age = _clamp(child_age + rng.gauss(-2 if child_sex == Sex.MALE else 2, 2),
                            married[in_law_sex], 60)
        people += [(Relation.CHILD, child_sex, child_age, "father"),
                   (Relation.CHILD_IN_LAW, in_law_sex, in_law_age,
                    "own" if child_sex == Sex.MALE else "line")]
        young_mother = in_law_age if child_sex == Sex.MALE else child_age
        return people + [(Relation.GRANDCHILD, rng.choice([Sex.MALE, Sex.FEMALE]), age,
                          "father" if child_sex == Sex.MALE else "line")
                         for age in _siblings(rng, young_mother, size - len(people))]
    if size - len(people) >= 2 and head_age <= 55 and rng.random() < 0.3:
        sex = Sex.FEMALE if rng.random() < 0.65 else Sex.MALE
        people.append((Relation.PARENT, sex, _clamp(head_age + rng.randint(22, 32), 50, 95),
                       "head" if sex == Sex.MALE else "own"))
    if size - len(people) >= 2 and head_age <= 35 and rng.random() < 0.15:
        people.append((Relation.GRANDPARENT, Sex.FEMALE, min(95, head_age + rng.randint(45, 58)),
                       "own"))
    return people + [(Relation.CHILD, rng.choice([Sex.MALE, Sex.FEMALE]), age, "father")
                     for age in _siblings(rng, parent_age, size - len(people))]


def _siblings(rng: random.Random, parent_age: int, count: int) -> list[int]:
    """Ages of ``count`` children, eldest first, born a year or more apart while possible."""
    ages = [max(0, parent_age - rng.randint(19, max(19, min(32, parent_age))))]
    while len(ages) < count:
        ages.append(max(0, ages[-1] - rng.randint(1, 4)))
    return ages[:count]


def _schooling(rng: random.Random, age: int) -> tuple[str, bool]:
    """(schooling reached, still at school) at an age."""
    if age < 6:
        return Schooling.PRESCHOOL, False
    if age < 12:
        return Schooling.PRIMARY, True
    if age < 15:
        return Schooling.JUNIOR, True
    if age < 19 and rng.random() < 0.55:
        return rng.choice([Schooling.SENIOR, Schooling.SENIOR, Schooling.VOCATIONAL]), True
    if age < 19:
        return rng.choice([Schooling.JUNIOR, Schooling.JUNIOR, Schooling.PRIMARY]), False
    if age < 23 and rng.random() < 0.12:
        return Schooling.COLLEGE, True
    return _pick(rng, next(w for start, w in ADULT_SCHOOLING if age >= start)), False


def _health(rng: random.Random, age: int) -> str:
    band = 0 if age < 16 else 1 if age < 45 else 2 if age < 60 else 3
    chronic, serious, disabled = HEALTH_RISKS[band]
    r = rng.random()
    if r < disabled:
        return Health.DISABLED
    if r < disabled + serious:
        return Health.SERIOUS
    if r < disabled + serious + chronic:
        return Health.CHRONIC
    return Health.HEALTHY


def _labour(rng: random.Random, age: int, health: str, grade: int | None,
            student: bool) -> str:
    r = rng.random()
    if age < 16 or student:
        return Labour.NONE
    if health == Health.DISABLED:
        return Labour.LOST if grade in (1, 2) else Labour.WEAK
    if health == Health.SERIOUS:
        return Labour.LOST if r < 0.6 else Labour.WEAK
    if age >= 70:
        return Labour.LOST if r < 0.45 else Labour.WEAK
    if age >= 60:
        return Labour.WEAK if r < 0.55 else Labour.LOST if r < 0.65 else Labour.NORMAL
    if health == Health.CHRONIC and r < 0.6:
        return Labour.WEAK
    return Labour.NORMAL


def _income(rng: random.Random, status: str) -> tuple[int, dict]:
    """Per-capita net income and its items (wages, production, transfers), whole yuan."""
    shares = INCOMES[status]
    _share, low, mode, high = shares[rng.choices(range(len(shares)),
                                                 weights=[s[0] for s in shares])[0]]
    income = _clamp(rng.triangular(low, high, mode), low, high)
    wages = round(income * rng.uniform(0.4, 0.7))
    transfers = round(income * rng.uniform(0.05, 0.3 if status != HouseholdStatus.NOT_POOR
                                           else 0.1))
    return income, {"wages": wages, "production": income - wages - transfers,
                    "transfers": transfers}


def _household(rng: random.Random, year: int) -> tuple[dict, list[dict]]:
    """One household's fields and members, without number, village or resident IDs."""
    names = _Names(rng, year)
    people = []
    surnames = {"head": names.surname()}
    for relation, sex, age, slot in _family(rng, _pick(rng, SIZES)):
        if relation == Relation.HEAD and sex == Sex.MALE:
            surnames["father"] = surnames["head"]
        if slot == "own":
            surname = names.surname()
        else:
            if slot not in surnames:
                surnames[slot] = names.surname()
            surname = surnames[slot]
        schooling, student = _schooling(rng, age)
        people.append({"name": names.full(surname, sex, age), "sex": sex, "age": age,
                       "relation": relation, "schooling": schooling, "student": student,
                       "health": _health(rng, age)})
    cause = _pick(rng, CAUSES)
    while cause == PovertyCause.SCHOOLING and not any(p["student"] for p in people):
        cause = _pick(rng, CAUSES)
    adults = [p for p in people if p["age"] >= 16] or people
    if cause == PovertyCause.ILLNESS and not any(
            p["health"] in (Health.CHRONIC, Health.SERIOUS) for p in people):
        rng.choice(adults)["health"] = Health.SERIOUS if rng.random() < 0.4 else Health.CHRONIC
    if cause == PovertyCause.DISABILITY and not any(
            p["health"] == Health.DISABLED for p in people):
        rng.choice(people)["health"] = Health.DISABLED
    secondary: list[str] = []
    for _ in range(_pick(rng, {0: 40, 1: 40, 2: 20})):
        other = _pick(rng, CAUSES)
        if other != cause and other not in secondary:
            secondary.append(other)
    status = _pick(rng, STATUSES)
    ever_poor = status in (HouseholdStatus.POOR, HouseholdStatus.LIFTED) or (
        status in (HouseholdStatus.MONITORED, HouseholdStatus.RISK_ELIMINATED)
        and rng.random() < 0.7)
    identified = _pick(rng, IDENTIFIED) if ever_poor else None
    exited = (rng.randint(max(identified + 1, 2016), 2020)
              if ever_poor and status != HouseholdStatus.POOR else None)
    income, items = _income(rng, status)
    household = {"address": f"{rng.randint(1, 9)}组{rng.randint(1, 80)}号", "main_cause": cause,
                 "secondary_causes": secondary, "status": status, "identified_year": identified,
                 "exit_year": exited, "income_year": year, "per_capita_income": income,
                 "income_items": items}
    members = []
    for p in people:
        age, health = p["age"], p["health"]
        grade = _pick(rng, DISABILITY_GRADES) if health == Health.DISABLED else None
        members.append({
            "name": p["name"], "sex": p["sex"], "relation": p["relation"],
            "birth_date": date(year - age - 1, 1, 1) + timedelta(days=rng.randrange(365)),
            "labour": _labour(rng, age, health, grade, p["student"]), "health": health,
            "disability_grade": grade, "schooling": p["schooling"],
            "medical_insurance": rng.random() < 0.97})
    return household, members


def generate(*, villages: list[tuple[str, str]], n: int, seed: int, year: int = YEAR,
             first_serial: int = 1, first_sequence: int = 0,
             ) -> Iterator[tuple[dict, list[dict]]]:
    """Yield n (household fields, member dicts) in ``villages`` ((village code, county code)
    pairs; the county code is the resident IDs' region). Villages get different sizes.

    Resident IDs are unique: each (county, birth date, sex) has its own counter, and the
    sequence passed to idcard.generate walks 0..499 without repeating (7 is prime to 500).
    ``first_serial`` and ``first_sequence`` start the household serials and ID counters
    further on, so that a second set of households does not collide with a loaded one.
    """
    rng = random.Random(seed)
    if not villages:
        raise ValueError("no villages to put households in")
    cumulative = list(accumulate(rng.uniform(0.5, 1.5) for _ in villages))
    in_village = [0] * len(villages)
    used: dict[int, int] = {}
    for _ in range(n):
        v = bisect(cumulative, rng.random() * cumulative[-1])
        in_village[v] += 1
        village, county = villages[v]
        serial = first_serial - 1 + in_village[v]
        if serial > MAX_PER_VILLAGE:
            raise ValueError(f"more than {MAX_PER_VILLAGE:,} households in village {village}")
        household, members = _household(rng, year)
        household |= {"number": f"{village}{serial:04d}", "village_code": village}
        for m in members:
            # An int key keeps the counters small at millions of members.
            key = (int(county) * 1_000_000 + m["birth_date"].toordinal()) * 2 + (
                m["sex"] == Sex.MALE)
            count = used.get(key, first_sequence)
            if count >= SEQUENCES:
                raise ValueError(f"more than {SEQUENCES} people born {m['birth_date']} in "
                                 f"{county}")
            used[key] = count + 1
            m["resident_id"] = idcard.generate(
                region_code=county, birth_date=m["birth_date"], sex=m["sex"],
                sequence=(m["birth_date"].toordinal() + 7 * count) % SEQUENCES)
        yield household, members


def _villages() -> list[Region]:
    """The lowest-level regions, by code."""
    return list(Region.objects.filter(level=settings.REGION_LEVELS[-1][0]).order_by("code"))


def _village_pairs(villages: list[Region]) -> list[tuple[str, str]]:
    county = [level for level, _label in settings.REGION_LEVELS].index("county")
    return [(v.code, v.ancestor_codes()[county]) for v in villages]


def _taken(model, field: str, values: list[str]) -> set[str]:
    """The values already in the table (in chunks, within SQLite's parameter limit)."""
    found: set[str] = set()
    for start in range(0, len(values), 900):
        found.update(model.objects.filter(**{f"{field}__in": values[start:start + 900]})
                     .values_list(field, flat=True))
    return found


def load(*, n: int, seed: int, progress: Progress | None = None, batch: int = 2000) -> int:
    """Write n generated households (members, income rows and, for poor and monitored ones,
    responsible helpers too) into all villages; return how many were created. Households
    whose number or a member's ID is already registered are skipped, so loading the same
    seed again creates nothing.

    Uses bulk_create, so no history records are written for demo households, and the
    per-household service (with its checks and permission) is not called."""
    villages = _villages()
    by_code = {v.code: v for v in villages}
    cadres = _Cadres(seed, villages)
    stream = generate(villages=_village_pairs(villages), n=n, seed=seed)
    created = done = 0
    while chunk := list(islice(stream, batch)):
        taken = _taken(Household, "number", [h["number"] for h, _m in chunk])
        fresh = [(h, ms) for h, ms in chunk if h["number"] not in taken]
        for _h, members in fresh:
            for m in members:
                m["id_digest"] = id_digest(m["resident_id"])
        registered = {bytes(d) for d in _taken(Member, "id_digest",
                                               [m["id_digest"] for _h, ms in fresh for m in ms])}
        fresh = [(h, ms) for h, ms in fresh if not any(m["id_digest"] in registered
                                                       for m in ms)]
        with transaction.atomic():
            _write(fresh, by_code, cadres)
        created += len(fresh)
        done += len(chunk)
        if progress:
            progress(done, n)
    if created:
        tally_rebuild()
    return created


def _write(rows: list[tuple[dict, list[dict]]], villages: dict[str, Region],
           cadres: "_Cadres") -> None:
    households = []
    for h, members in rows:
        village = villages[h["village_code"]]
        households.append(Household(
            number=h["number"], village=village, region_path=village.path,
            address=h["address"], head_name=members[0]["name"], size=len(members),
            main_cause=h["main_cause"], secondary_causes=h["secondary_causes"],
            status=h["status"], identified_year=h["identified_year"], exit_year=h["exit_year"],
            income_year=h["income_year"], per_capita_income=h["per_capita_income"]))
    Household.objects.bulk_create(households)
    Member.objects.bulk_create([
        Member(household=household, name=m["name"], id_digest=m["id_digest"],
               id_cipher=id_encrypt(m["resident_id"]), id_masked=idcard.mask(m["resident_id"]),
               sex=m["sex"], birth_date=m["birth_date"], relation=m["relation"],
               labour=m["labour"], health=m["health"], disability_grade=m["disability_grade"],
               schooling=m["schooling"], medical_insurance=m["medical_insurance"])
        for household, (_h, members) in zip(households, rows, strict=True) for m in members])
    HouseholdIncome.objects.bulk_create([
        HouseholdIncome(household=household, year=h["income_year"],
                        per_capita_income=h["per_capita_income"], items=h["income_items"])
        for household, (h, _ms) in zip(households, rows, strict=True)])
    ResponsibleHelper.objects.bulk_create([
        helper for household, (h, _ms) in zip(households, rows, strict=True)
        if h["status"] in HELPED for helper in cadres.assignments(h, household)])


class _Cadres:
    """Responsible helpers of helped households, from the seed and the household number
    alone, so a household gets the same ones whichever run loads it."""

    def __init__(self, seed: int, villages: list[Region]):
        levels = [level for level, _label in settings.REGION_LEVELS]
        township, county = levels.index("township"), levels.index("county")
        names = dict(Region.objects.filter(level__in=(levels[township], levels[county]))
                     .values_list("code", "name_zh"))
        self.units = {v.code: (names[v.ancestor_codes()[township]],
                               names[v.ancestor_codes()[county]]) for v in villages}
        self.seed = seed
        self.known: dict[tuple[str, int], dict] = {}

    def _cadre(self, rng: random.Random, village: str) -> dict:
        township, county = self.units[village]
        names = _Names(rng, YEAR)
        sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
        unit = f"{township}人民政府" if rng.random() < 0.4 else county + rng.choice(BUREAUS)
        return {"name": names.full(names.surname(), sex, rng.randint(25, 55)),
                "work_unit": unit, "phone": f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"}

    def assignments(self, h: dict, household: Household) -> list[ResponsibleHelper]:
        """The household's current responsible helper, after a former one for some."""
        village = h["village_code"]
        block = (village, int(h["number"][len(village):]) // CADRE_BLOCK)
        if block not in self.known:
            self.known[block] = self._cadre(random.Random(f"cadre {self.seed} {block}"), village)
        rng = random.Random(f"responsible {self.seed} {h['number']}")
        first = h["identified_year"] or MONITORING_FROM
        since = date(rng.randint(first, YEAR), rng.randint(1, 12), 1)
        current = ResponsibleHelper(household=household, since=since, **self.known[block])
        if since.year == first or rng.random() >= REPLACED:
            return [current]
        return [ResponsibleHelper(household=household, since=date(first, rng.randint(1, 12), 1),
                                  until=since, **self._cadre(rng, village)), current]


# Errors export_csv plants, in the order it takes turns with them.
ERROR_KINDS = ("check_character", "unknown_cause", "negative_income", "second_head",
               "unknown_village", "empty_name", "duplicate_person")
ERROR_RATE = 0.005  # per row
UNKNOWN_VILLAGE = "999999999999"  # province 99 does not exist


# Exported households take serials from 5001 and ID sequences from 250, so the file imports
# beside households loaded with `demo --households` (up to 5,000 a village and 250 people of
# one county, birth date and sex).
EXPORT_RANGES = {"first_serial": 5001, "first_sequence": 250}


def export_csv(*, n: int, seed: int, directory: Path) -> Path:
    """Write n generated households to ``directory``/households.csv (the template, English
    header, one row per member) with about 0.5% of rows wrong on purpose, and list those
    as (row, field, kind) in planted_errors.csv; the header is row 1. An error in a
    household column is on all the household's rows and listed at its first row. Each
    household has at most one planted error. Returns the path of households.csv."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"planted errors {seed}")
    villages = _village_pairs(_villages())
    path = directory / "households.csv"
    planted: list[tuple[int, str, str]] = []
    turn, row, clean = 0, 2, None  # clean: a previous household with no planted error
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(ENGLISH_HEADER)
        for household, members in generate(villages=villages, n=n, seed=seed,
                                           **EXPORT_RANGES):
            error = None
            if rng.random() < ERROR_RATE * len(members):
                kinds = ERROR_KINDS[turn:] + ERROR_KINDS[:turn]
                error = next(k for k in kinds if _applies(k, members, clean))
                turn = (ERROR_KINDS.index(error) + 1) % len(ERROR_KINDS)
                planted.append(_plant(rng, error, household, members, clean, row))
            else:
                clean = members
            for m in members:
                writer.writerow(_csv_row(household, m))
            row += len(members)
    with (directory / "planted_errors.csv").open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "field", "kind"])
        writer.writerows(planted)
    return path


def _applies(kind: str, members: list[dict], clean: list[dict] | None) -> bool:
    if kind == "duplicate_person":
        return bool(_duplicates(members, clean))
    return kind != "second_head" or len(members) > 1


def _duplicates(members: list[dict], clean: list[dict] | None) -> list[tuple[int, dict]]:
    """(index of a member, person of ``clean``) pairs where the person could stand in for
    the member without breaking the age rules, so that the duplicate is the only error."""
    rules = ages.Rules(**settings.REGISTRY_AGES)
    people = [ages.Person(m["relation"], m["sex"], m["birth_date"]) for m in members]
    return [(i, person) for i in range(len(members)) for person in clean or []
            if not ages.check([*people[:i], ages.Person(members[i]["relation"], person["sex"],
                                                        person["birth_date"]), *people[i + 1:]],
                              rules, date(YEAR, 1, 1))]


def _plant(rng, kind, household, members, clean, first_row) -> tuple[int, str, str]:
    """Spoil one household in place; return (row, field, kind)."""
    index = rng.randrange(len(members))
    match kind:
        case "check_character":
            number = members[index]["resident_id"]
            wrong = idcard.CHECK_CHARACTERS[(idcard.CHECK_CHARACTERS.index(number[17]) + 1) % 11]
            members[index]["resident_id"] = number[:17] + wrong
            return first_row + index, "resident_id", kind
        case "unknown_cause":
            household["main_cause"] = "bad_luck"
            return first_row, "main_cause", kind
        case "negative_income":
            household["per_capita_income"] = -household["per_capita_income"]
            return first_row, "per_capita_income", kind
        case "second_head":
            index = rng.randrange(1, len(members))  # the head is first
            members[index]["relation"] = Relation.HEAD
            return first_row + index, "relation", kind
        case "unknown_village":
            household["village_code"] = UNKNOWN_VILLAGE
            return first_row, "village_code", kind
        case "empty_name":
            members[index]["name"] = ""
            return first_row + index, "name", kind
        case "duplicate_person":
            index, person = rng.choice(_duplicates(members, clean))
            members[index] |= {"name": person["name"], "resident_id": person["resident_id"]}
            return first_row + index, "resident_id", kind
    raise ValueError(kind)


def _csv_row(h: dict, m: dict) -> list:
    return [h["number"], h["village_code"], h["address"], h["main_cause"],
            ";".join(h["secondary_causes"]), h["status"], h["identified_year"] or "",
            h["income_year"], h["per_capita_income"], m["name"], m["resident_id"],
            m["relation"], m["labour"], m["health"], m["disability_grade"] or "",
            m["schooling"], "yes" if m["medical_insurance"] else "no"]
