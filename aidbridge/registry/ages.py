"""Ages against relation to the head of household. No Django here.

The registry has no warnings: every problem it finds stops a registration or rejects an
imported household. So only what cannot be true as recorded is checked:

- a married member under the legal age of marriage for their sex: a spouse, a child-in-law
  (a child's spouse) and a head who has a spouse;
- the generations reversed: a parent or grandparent born after the head, a child or
  grandchild born before the head (a step-relation that reverses them is filed as "other
  relative");
- a head too young to act alone (under ``independent``) with no adult in the household (such
  a household is filed with its guardian).

Unusual but possible ages (a mother of 15, a spouse 30 years younger) are not errors. The
ages are configuration (settings.REGISTRY_AGES); China's Civil Code sets marriage at 22 for
men and 20 for women (art. 1047) and adulthood at 18, or 16 for those who live by their own
labour (art. 17-18).

Problems are (member index, code, params); callers word them in the user's language.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

HEAD, SPOUSE, CHILD_IN_LAW = "head", "spouse", "child_in_law"
ELDERS = frozenset({"parent", "grandparent"})  # born before the head
YOUNGER = frozenset({"child", "grandchild"})  # born after the head


@dataclass(frozen=True, slots=True)
class Rules:
    marriage: Mapping[str, int]  # legal age of marriage by sex ("male", "female")
    independent: int  # a younger head needs an adult in the household
    adult: int


class Person(NamedTuple):
    relation: str
    sex: str
    birth_date: date | None  # None: unknown (an invalid resident ID), not checked


def age(born: date, today: date) -> int:
    """Whole years from ``born`` to ``today``."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def check(people: Sequence[Person], rules: Rules, today: date) -> list[tuple[int, str, dict]]:
    """The problems of a household's members as (0-based index, code, params); none unless
    the household has exactly one head (the head count is checked elsewhere)."""
    heads = [p for p in people if p.relation == HEAD]
    if len(heads) != 1:
        return []
    head = heads[0]
    married = {SPOUSE, CHILD_IN_LAW} | (
        {HEAD} if any(p.relation == SPOUSE for p in people) else set()
    )
    problems = []
    for i, p in enumerate(people):
        if p.birth_date is None:
            continue
        minimum = rules.marriage.get(p.sex)
        if p.relation in married and minimum is not None and age(p.birth_date, today) < minimum:
            problems.append(
                (i, "under_marriage_age", {"age": age(p.birth_date, today), "minimum": minimum})
            )
        if head.birth_date is None:
            continue
        if (p.relation in ELDERS and p.birth_date > head.birth_date) or (
            p.relation in YOUNGER and p.birth_date < head.birth_date
        ):
            code = "born_after_head" if p.relation in ELDERS else "born_before_head"
            problems.append(
                (
                    i,
                    code,
                    {
                        "born": p.birth_date.isoformat(),
                        "relation": p.relation,
                        "head_born": head.birth_date.isoformat(),
                    },
                )
            )
    if head.birth_date is not None and age(head.birth_date, today) < rules.independent:
        known = [p.birth_date for p in people if p.birth_date is not None]
        if len(known) == len(people) and all(age(b, today) < rules.adult for b in known):
            problems.append(
                (
                    people.index(head),
                    "head_without_adult",
                    {
                        "age": age(head.birth_date, today),
                        "minimum": rules.independent,
                        "adult": rules.adult,
                    },
                )
            )
    return problems
