"""Demo households, generated: realistic, deterministic and without the database.

``generate`` always gives the same households for the same villages, count, seed and year,
and the first k of n are those of a run with n = k. The loader (demo.py) writes them into the
tables; the export (demo_export.py) writes them in the import template with errors planted.

The shares below are demo choices, loosely after the 2014 national filing and Liangshan
(a Yi prefecture): illness causes about 44% of poverty; most filed households are lifted out.
"""

import random
from bisect import bisect
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import accumulate

from django.conf import settings

from aidbridge.registry import idcard
from aidbridge.registry.models import (
    Health,
    HouseholdStatus,
    Labour,
    PovertyCause,
    Relation,
    Schooling,
    Sex,
)

POVERTY_LINE = 4_000  # yuan per person per year
MONITORING_LINE = 6_000  # 1.5 x the poverty line
YEAR = 2025  # of the incomes; members are of the generated age on its first day
MAX_PER_VILLAGE = 9_999  # household numbers are the village code + 4 digits
SEQUENCES = 500  # distinct IDs idcard.generate gives per (region, birth date, sex)

SIZES = {1: 8, 2: 15, 3: 22, 4: 22, 5: 15, 6: 10, 7: 5, 8: 3}
# Schooling is redrawn where no one is at school, which leaves it about 2% in effect.
CAUSES = {
    PovertyCause.ILLNESS: 44,
    PovertyCause.SKILLS: 13,
    PovertyCause.LABOUR: 10,
    PovertyCause.FUNDS: 9,
    PovertyCause.DISABILITY: 7,
    PovertyCause.SCHOOLING: 5,
    PovertyCause.TRANSPORT: 3,
    PovertyCause.DISASTER: 2.5,
    PovertyCause.MOTIVATION: 2,
    PovertyCause.LAND: 1.5,
    PovertyCause.WATER: 1,
    PovertyCause.OTHER: 2,
}
STATUSES = {
    HouseholdStatus.LIFTED: 55,
    HouseholdStatus.NOT_POOR: 15,
    HouseholdStatus.POOR: 10,
    HouseholdStatus.MONITORED: 8,
    HouseholdStatus.MARGINAL: 7,
    HouseholdStatus.RISK_ELIMINATED: 5,
}
IDENTIFIED = {2014: 50, 2015: 15, 2016: 12, 2017: 10, 2018: 8, 2019: 5}
# Per-capita income by status: (share, low, mode, high) triangles, in yuan.
INCOMES = {
    HouseholdStatus.POOR: [(85, 1_500, 3_300, 3_999), (15, 4_000, 4_200, 4_800)],
    HouseholdStatus.LIFTED: [(95, 4_000, 5_000, 10_000), (5, 3_200, 3_800, 3_999)],
    HouseholdStatus.MONITORED: [
        (85, 4_000, 5_200, 5_999),
        (10, 3_000, 3_700, 3_999),
        (5, 6_000, 6_300, 7_500),
    ],
    HouseholdStatus.MARGINAL: [(90, 4_000, 5_000, 5_999), (10, 3_500, 3_900, 3_999)],
    HouseholdStatus.RISK_ELIMINATED: [(100, 6_000, 7_500, 12_000)],
    HouseholdStatus.NOT_POOR: [(100, 6_000, 9_000, 30_000)],
}
# (chronic, serious, disabled) probabilities by age band: <16, 16-44, 45-59, 60+.
HEALTH_RISKS = [(0.02, 0.01, 0.01), (0.06, 0.02, 0.03), (0.15, 0.05, 0.05), (0.30, 0.08, 0.08)]
DISABILITY_GRADES = {None: 25, 1: 11, 2: 19, 3: 22, 4: 23}
# Schooling completed by adults, by age from (a cohort's chances).
ADULT_SCHOOLING = [
    (60, {Schooling.ILLITERATE: 60, Schooling.PRIMARY: 35, Schooling.JUNIOR: 5}),
    (
        40,
        {
            Schooling.ILLITERATE: 30,
            Schooling.PRIMARY: 45,
            Schooling.JUNIOR: 20,
            Schooling.SENIOR: 5,
        },
    ),
    (
        25,
        {
            Schooling.ILLITERATE: 10,
            Schooling.PRIMARY: 35,
            Schooling.JUNIOR: 40,
            Schooling.SENIOR: 8,
            Schooling.VOCATIONAL: 5,
            Schooling.COLLEGE: 2,
        },
    ),
    (
        0,
        {
            Schooling.PRIMARY: 10,
            Schooling.JUNIOR: 45,
            Schooling.SENIOR: 20,
            Schooling.VOCATIONAL: 15,
            Schooling.COLLEGE: 10,
        },
    ),
]

YI_SHARE = 0.6
HAN_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊秦邱江尹雷"
)
HAN_GIVEN = {  # (born before 1990, born 1990 or later) characters, by sex
    Sex.MALE: (
        "国建明华文军平志成海兵福贵富兴荣德云林强伟勇刚洪",
        "浩宇轩子俊博睿杰涛鹏辉磊凯晨阳",
    ),
    Sex.FEMALE: ("秀英兰芳梅琴玉珍凤桂华丽霞艳红萍燕淑", "欣怡雨萱佳涵婷静雪敏娟莉思梓诗"),
}
YI_SURNAMES = (
    "吉克",
    "阿苏",
    "曲比",
    "沙马",
    "马海",
    "俄木",
    "阿约",
    "海来",
    "勒格",
    "阿尔",
    "吉伍",
    "瓦扎",
    "木乃",
    "俄的",
    "日火",
    "阿鲁",
    "吉木",
    "加拉",
    "史布",
    "巴莫",
)
YI_GIVEN = {
    Sex.MALE: (
        "曲布",
        "拉且",
        "尔古",
        "木呷",
        "伍呷",
        "石哈",
        "克体",
        "阿牛",
        "子哈",
        "拉哈",
        "尔布",
        "木果",
        "约达",
        "日哈",
        "伍沙",
        "阿木",
        "沙日",
        "俄底",
    ),
    Sex.FEMALE: (
        "阿依",
        "阿呷",
        "阿果",
        "阿芝",
        "阿西",
        "伍嫫",
        "阿嫫",
        "么扎",
        "金花",
        "阿衣",
        "日果",
        "阿各",
        "依果",
        "石莫",
        "吉妞",
        "伍果",
    ),
}


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class Names:
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
    head_age = _clamp(
        rng.triangular(35, 80, 68) if size == 1 else rng.triangular(25, 80, 45), 25, 80
    )
    people = [(Relation.HEAD, head_sex, head_age, "head")]
    parent_age = head_age - 2 if head_sex == Sex.MALE else head_age
    if size > 1 and rng.random() < 0.85:
        spouse_age = _clamp(
            head_age + rng.gauss(-2 if head_sex == Sex.MALE else 2, 3), married[other], 85
        )
        people.append(
            (Relation.SPOUSE, other, spouse_age, "own" if other == Sex.FEMALE else "father")
        )
        parent_age = min(parent_age, spouse_age)
    if head_age >= 50 and size - len(people) >= 3 and rng.random() < 0.6:
        # Three generations: a married child, the child's spouse, grandchildren.
        child_sex = rng.choice([Sex.MALE, Sex.FEMALE])
        child_age = max(20, parent_age - rng.randint(20, 30))
        in_law_sex = Sex.FEMALE if child_sex == Sex.MALE else Sex.MALE
        in_law_age = _clamp(
            child_age + rng.gauss(-2 if child_sex == Sex.MALE else 2, 2), married[in_law_sex], 60
        )
        people += [
            (Relation.CHILD, child_sex, child_age, "father"),
            (
                Relation.CHILD_IN_LAW,
                in_law_sex,
                in_law_age,
                "own" if child_sex == Sex.MALE else "line",
            ),
        ]
        young_mother = in_law_age if child_sex == Sex.MALE else child_age
        return people + [
            (
                Relation.GRANDCHILD,
                rng.choice([Sex.MALE, Sex.FEMALE]),
                age,
                "father" if child_sex == Sex.MALE else "line",
            )
            for age in _siblings(rng, young_mother, size - len(people))
        ]
    if size - len(people) >= 2 and head_age <= 55 and rng.random() < 0.3:
        sex = Sex.FEMALE if rng.random() < 0.65 else Sex.MALE
        people.append(
            (
                Relation.PARENT,
                sex,
                _clamp(head_age + rng.randint(22, 32), 50, 95),
                "head" if sex == Sex.MALE else "own",
            )
        )
    if size - len(people) >= 2 and head_age <= 35 and rng.random() < 0.15:
        people.append(
            (Relation.GRANDPARENT, Sex.FEMALE, min(95, head_age + rng.randint(45, 58)), "own")
        )
    return people + [
        (Relation.CHILD, rng.choice([Sex.MALE, Sex.FEMALE]), age, "father")
        for age in _siblings(rng, parent_age, size - len(people))
    ]


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


def _labour(rng: random.Random, age: int, health: str, grade: int | None, student: bool) -> str:
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
    _share, low, mode, high = shares[
        rng.choices(range(len(shares)), weights=[s[0] for s in shares])[0]
    ]
    income = _clamp(rng.triangular(low, high, mode), low, high)
    wages = round(income * rng.uniform(0.4, 0.7))
    transfers = round(
        income * rng.uniform(0.05, 0.3 if status != HouseholdStatus.NOT_POOR else 0.1)
    )
    return income, {
        "wages": wages,
        "production": income - wages - transfers,
        "transfers": transfers,
    }


def _household(rng: random.Random, year: int) -> tuple[dict, list[dict]]:
    """One household's fields and members, without number, village or resident IDs."""
    names = Names(rng, year)
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
        people.append(
            {
                "name": names.full(surname, sex, age),
                "sex": sex,
                "age": age,
                "relation": relation,
                "schooling": schooling,
                "student": student,
                "health": _health(rng, age),
            }
        )
    cause = _pick(rng, CAUSES)
    while cause == PovertyCause.SCHOOLING and not any(p["student"] for p in people):
        cause = _pick(rng, CAUSES)
    adults = [p for p in people if p["age"] >= 16] or people
    if cause == PovertyCause.ILLNESS and not any(
        p["health"] in (Health.CHRONIC, Health.SERIOUS) for p in people
    ):
        rng.choice(adults)["health"] = Health.SERIOUS if rng.random() < 0.4 else Health.CHRONIC
    if cause == PovertyCause.DISABILITY and not any(p["health"] == Health.DISABLED for p in people):
        rng.choice(people)["health"] = Health.DISABLED
    secondary: list[str] = []
    for _ in range(_pick(rng, {0: 40, 1: 40, 2: 20})):
        other = _pick(rng, CAUSES)
        if other != cause and other not in secondary:
            secondary.append(other)
    status = _pick(rng, STATUSES)
    ever_poor = status in (HouseholdStatus.POOR, HouseholdStatus.LIFTED) or (
        status in (HouseholdStatus.MONITORED, HouseholdStatus.RISK_ELIMINATED)
        and rng.random() < 0.7
    )
    identified = _pick(rng, IDENTIFIED) if ever_poor else None
    exited = (
        rng.randint(max(identified + 1, 2016), 2020)
        if ever_poor and status != HouseholdStatus.POOR
        else None
    )
    income, items = _income(rng, status)
    household = {
        "address": f"{rng.randint(1, 9)}组{rng.randint(1, 80)}号",
        "main_cause": cause,
        "secondary_causes": secondary,
        "status": status,
        "identified_year": identified,
        "exit_year": exited,
        "income_year": year,
        "per_capita_income": income,
        "income_items": items,
    }
    members = []
    for p in people:
        age, health = p["age"], p["health"]
        grade = _pick(rng, DISABILITY_GRADES) if health == Health.DISABLED else None
        members.append(
            {
                "name": p["name"],
                "sex": p["sex"],
                "relation": p["relation"],
                "birth_date": date(year - age - 1, 1, 1) + timedelta(days=rng.randrange(365)),
                "labour": _labour(rng, age, health, grade, p["student"]),
                "health": health,
                "disability_grade": grade,
                "schooling": p["schooling"],
                "medical_insurance": rng.random() < 0.97,
            }
        )
    return household, members


def generate(
    *,
    villages: list[tuple[str, str]],
    n: int,
    seed: int,
    year: int = YEAR,
    first_serial: int = 1,
    first_sequence: int = 0,
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
                m["sex"] == Sex.MALE
            )
            count = used.get(key, first_sequence)
            if count >= SEQUENCES:
                raise ValueError(f"more than {SEQUENCES} people born {m['birth_date']} in {county}")
            used[key] = count + 1
            m["resident_id"] = idcard.generate(
                region_code=county,
                birth_date=m["birth_date"],
                sex=m["sex"],
                sequence=(m["birth_date"].toordinal() + 7 * count) % SEQUENCES,
            )
        yield household, members


def village_pairs(villages) -> list[tuple[str, str]]:
    """(village code, county code) of each village (a Region), as ``generate`` takes them."""
    county = [level for level, _label in settings.REGION_LEVELS].index("county")
    return [(v.code, v.ancestor_codes()[county]) for v in villages]
