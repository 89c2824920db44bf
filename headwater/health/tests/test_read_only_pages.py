"""Pages and endpoints that show a code write nothing, even for a person whose first code has
not been written yet: they show the code the rules give now, and the first check-in (or the
nightly job) stores it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.health.models import CheckIn, HealthCode, RuleSet
from headwater.health.tests.conftest import at

DAY = dt.date(2026, 2, 3)
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9, 0))


def writes_during(fn) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]


@pytest.mark.parametrize("url", ["/health/checkin/", "/health/me/", "/api/v1/health/codes/me"])
def test_showing_a_first_code_writes_nothing(client, staff_user, url):
    client.force_login(staff_user)
    responses = []

    written = writes_during(lambda: responses.append(client.get(url)))

    assert responses[0].status_code == 200
    assert written == []
    assert (RuleSet.objects.count(), HealthCode.objects.count()) == (0, 0)


def test_the_checkin_page_shows_the_unsaved_first_code_and_the_checkin_stores_it(
    client, staff_user, people
):
    client.force_login(staff_user)

    page = client.get("/health/checkin/")

    code = page.context["code"]
    assert (code.pk, code.colour, code.person, code.rule_set_version) == (
        None,
        "green",
        people["operator"],
        1,
    )
    assert 'data-testid="code-card" data-colour="green"' in page.content.decode()
    client.post(
        "/health/checkin/",
        {"key": "k", "slot": "am", "temperature": "36.5", "whereabouts": "at_work"}
        | {"household": "well"},
    )
    assert CheckIn.objects.count() == 1
    assert list(HealthCode.objects.values_list("person", "colour", "is_current")) == [
        (people["operator"].pk, "green", True)
    ]
