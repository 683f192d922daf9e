"""The three stages of a project (mining needs, raising, coordinated execution), as pure
functions (no Django).

    mining -> raising -> executing -> closed

- mining needs -> raising funds and supplies: at least one linked need or household, and a
  survey note;
- raising -> executing (coordinated execution): at least one target and one partner, and
  pledges covering every target, unless the project's manager writes why it goes ahead
  without;
- executing -> closed: at least one milestone, and every milestone done with evidence.

A project moves one stage at a time and never back. Refusals list every missing fact as
(code, params).
"""

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    MINING = "mining"
    RAISING = "raising"
    EXECUTING = "executing"
    CLOSED = "closed"


ORDER = (Stage.MINING, Stage.RAISING, Stage.EXECUTING, Stage.CLOSED)


@dataclass(frozen=True)
class Facts:
    stage: str
    needs: int = 0
    households: int = 0
    survey_notes: int = 0
    targets: int = 0
    partners: int = 0
    uncovered: tuple[str, ...] = ()  # targets the pledges do not cover
    override: bool = False  # the manager wrote why the project executes without full pledges
    milestones: int = 0
    unfinished: tuple[str, ...] = ()  # milestones not done with evidence


class Refused(Exception):
    """The step is not possible; ``missing`` lists why as (code, params)."""

    def __init__(self, missing: list[tuple[str, dict]]):
        self.missing = missing
        super().__init__(", ".join(code for code, _params in missing))


def missing(facts: Facts) -> list[tuple[str, dict]]:
    """What the project lacks to move to the next stage; empty when it may move."""
    stage = Stage(facts.stage)
    lacking: list[tuple[str, dict]] = []
    if stage == Stage.CLOSED:
        lacking.append(("closed", {}))
    elif stage == Stage.MINING:
        if not (facts.needs or facts.households):
            lacking.append(("no_beneficiary", {}))
        if not facts.survey_notes:
            lacking.append(("no_survey_note", {}))
    elif stage == Stage.RAISING:
        if not facts.targets:
            lacking.append(("no_target", {}))
        if not facts.partners:
            lacking.append(("no_partner", {}))
        if facts.uncovered and not facts.override:
            lacking.append(("not_covered", {"targets": ", ".join(facts.uncovered)}))
    else:
        if not facts.milestones:
            lacking.append(("no_milestone", {}))
        if facts.unfinished:
            lacking.append(("unfinished", {"milestones": ", ".join(facts.unfinished)}))
    return lacking


def advance(facts: Facts) -> Stage:
    """The next stage, or Refused with everything missing."""
    lacking = missing(facts)
    if lacking:
        raise Refused(lacking)
    return ORDER[ORDER.index(Stage(facts.stage)) + 1]
