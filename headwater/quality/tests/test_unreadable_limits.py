"""An internal limit stored with a bound no limit may have ("1e999", NaN) before the services
refused them: the limits page, the API and the evaluation of new results leave it out and
answer normally, and migration 0003 clears the bad bound (or deletes a row left without one)."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import connection

from headwater.quality.models import InternalLimit
from headwater.quality.tests.api_client import DAY, as_user, get, post
from headwater.quality.tests.conftest import at

# What each database lets such a row hold: SQLite keeps "1e999" as an infinite float,
# PostgreSQL's numeric(20, 8) refuses it but holds NaN.
BAD = "1e999" if connection.vendor == "sqlite" else "NaN"
repair = importlib.import_module(
    "headwater.quality.migrations.0003_repair_unreadable_internal_limits"
).repair


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9))


def _limit(org, **fields) -> InternalLimit:
    fields = {"indicator": "turbidity", "valid_from": dt.date(2026, 1, 1), **fields}
    return InternalLimit.objects.create(organization=org, **fields)


def _break(limit: InternalLimit, column: str = "maximum") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE quality_internallimit SET {column} = %s WHERE id = %s", [BAD, limit.pk]
        )


@pytest.fixture
def broken(org):
    """A good turbidity limit of 0.5 and a later one whose maximum no limit may have."""
    good = _limit(org, maximum="0.5", note="好")
    bad = _limit(org, maximum="0.3", valid_from=dt.date(2026, 6, 1), note="坏")
    _break(bad)
    return good, bad


def test_limits_page_lists_the_readable_limits_and_names_the_broken_one(
    client, points, approver, broken
):
    response = as_user(client, approver).get("/quality/limits/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [i.note for i in response.context["internal"]] == ["好"]
    assert response.context["unreadable"] == ["浑浊度"]
    assert 'data-testid="unreadable-limits"' in response.content.decode()


def test_api_lists_the_readable_limits_only(client, points, approver, broken):
    response = get(as_user(client, approver), "/internal-limits")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], [i["maximum"] for i in body["items"]]) == (1, ["0.5"])


def test_a_result_is_evaluated_against_the_readable_limit(client, points, technician, broken):
    body = {"point": "FIN-1", "values": {"turbidity": "0.4"}}
    response = post(as_user(client, technician), "/samples", body)
    assert response.status_code == 201
    (result,) = response.json()["results"]
    assert (result["outcome"], result["internal_outcome"]) == ("pass", "pass")


def test_migration_clears_the_bad_bound_and_deletes_a_limit_left_without_one(org, broken):
    good, bad = broken
    only_bad = _limit(org, indicator="ph", minimum="6.8", maximum="8.0")
    _break(only_bad, "minimum")
    _break(only_bad, "maximum")
    both = _limit(org, indicator="iron", minimum="0.01", maximum="0.2", note="铁")
    _break(both, "minimum")
    repair(apps, None)
    rows = {
        r.pk: (r.indicator, r.minimum, r.maximum, r.note)
        for r in InternalLimit.objects.order_by("pk")  # every row reads again
    }
    assert rows == {
        good.pk: ("turbidity", None, Decimal("0.5"), "好"),
        both.pk: ("iron", None, Decimal("0.2"), "［原下限无效，已清除］铁"),
    }
