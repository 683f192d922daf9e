"""`aidbridge id-searches` reads the log: who searched when, for a given number by its
digest."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command

from aidbridge.accounts.models import User
from aidbridge.registry import idcard
from aidbridge.registry.id_search import resident_id_search
from aidbridge.registry.models import IdSearch

pytestmark = pytest.mark.django_db


def rid(day: int) -> str:
    return idcard.generate(
        region_code="513422", birth_date=date(1970, 1, day), sex="male", sequence=day
    )


def lines(capsys, **options) -> list[list[str]]:
    call_command("id-searches", **options)
    return [line.split("\t") for line in capsys.readouterr().out.splitlines()]


def test_it_lists_the_searches_and_finds_those_for_a_number(capsys, make_household):
    make_household("H-1", born=date(1970, 1, 1), sequence=1)
    county, admin = (User.objects.get(username=u) for u in ("county-513422", "admin"))
    resident_id_search(by=county, number=rid(1))
    resident_id_search(by=admin, number=rid(2))
    IdSearch.objects.filter(user=admin).update(
        at=IdSearch.objects.get(user=admin).at - timedelta(days=40)
    )
    assert [(user, found) for _when, user, found in lines(capsys)] == [("county-513422", "1")]
    assert [row[1:] for row in lines(capsys, days=60)] == [["county-513422", "1"], ["admin", "0"]]
    assert [row[1] for row in lines(capsys, days=60, number=rid(2).lower())] == ["admin"]
    assert lines(capsys, days=60, user="admin", number=rid(1)) == []
    with pytest.raises(CommandError, match="--number"):
        call_command("id-searches", number="123")
