"""The identification rules in the API: what is in force for a region and year with its
history, and setting a region's rules as a new version."""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema, Status

from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region, region_by_code
from aidbridge.registry.rules import rule_in_force, rule_set, rules_along

router = Router(tags=["identification rules"])


class RuleOut(Schema):
    region_code: str
    year: int
    version: int
    poverty_line: int
    monitoring_multiple: float
    guarantees: list[str]
    note: str
    set_by: str | None
    set_at: datetime

    @staticmethod
    def resolve_region_code(obj) -> str:
        return obj.region.code

    @staticmethod
    def resolve_set_by(obj) -> str | None:
        return obj.set_by.username if obj.set_by else None


class InForceOut(Schema):
    region_code: str
    year: int
    poverty_line: int
    monitoring_line: int
    monitoring_multiple: float
    guarantees: list[str]
    rule: RuleOut | None  # None: the default rule, no region at or above set any
    history: list[RuleOut]


class RuleIn(Schema):
    region_code: str
    year: int
    poverty_line: int
    monitoring_multiple: float = 1.5
    guarantees: list[str]
    note: str = ""


@router.get("", response=InForceOut, summary="The rules in force for a region and year")
def rules_in_force(request, region: str = "", year: int | None = None):
    """The region defaults to yours, the year to this one."""
    user = request.auth
    place = access_region(user, region) if region else user.region
    if place is None or not can(user, Action.RULES_VIEW, place):
        raise Http404("region")
    year = year or timezone.localdate().year
    in_force = rule_in_force(place, year)
    rules = in_force.rules
    return {
        "region_code": place.code,
        "year": year,
        "poverty_line": rules.poverty_line,
        "monitoring_line": rules.monitoring_line,
        "monitoring_multiple": rules.monitoring_multiple,
        "guarantees": list(rules.guarantees),
        "rule": in_force.rule,
        "history": rules_along(place),
    }


@router.post(
    "",
    response={201: RuleOut},
    summary="Set a region's rules from a year on (a new version; the old ones are kept)",
)
def set_rules(request, data: RuleIn):
    fields = data.dict()
    region = region_by_code(fields.pop("region_code"), field="region_code")
    return Status(201, rule_set(by=request.auth, region=region, **fields))
