"""The check-in's hot path: a new check-in sends six statements (and no savepoint) once the
level, settings and rule set are in the process's memory (core.memo), and skipping the rules
for a normal check-in never skips a check-in that reports something a rule reads."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from headwater.core import memo
from headwater.core.errors import DomainError
from headwater.core.models import IdempotencyKey, LevelSettingValue
from headwater.health import services
from headwater.health.models import CheckIn, HealthCode, RiskArea
from headwater.health.services.codes import active_rule_set
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
API = "/api/v1/health/checkins"


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 0))


def statements(queries) -> list[str]:
    return [" ".join(q["sql"].split()[:3]) for q in queries]


def savepoints(kinds: list[str]) -> list[str]:
    return [k for k in kinds if "SAVEPOINT" in k]


def test_a_new_checkin_sends_six_statements_once_the_settings_are_remembered(
    client, staff_user, office_user, people
):
    # Another person's check-in first: it fills the process's memory and content types.
    services.submit_checkin(people["clerk"], NORMAL, by=office_user, key="warm")
    services.submit_checkin(people["operator"], NORMAL, by=staff_user, key="yesterday")
    CheckIn.objects.filter(person=people["operator"]).delete()  # the code stays, green
    client.force_login(staff_user)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            API, NORMAL, content_type="application/json", headers={"Idempotency-Key": "k1"}
        )

    assert response.status_code == 201, response.content
    assert response.json()["code"]["colour"] == "green"
    kinds = statements(queries)
    # One savepoint pair: the request's own transaction, nested in the test's (in production
    # a BEGIN and COMMIT, which Django does not log as queries). No savepoint inside it.
    assert [k.split()[0] for k in savepoints(kinds)] == ["SAVEPOINT", "RELEASE"]
    kinds = [k for k in kinds if k not in savepoints(kinds)]
    assert len(kinds) == 6, "\n".join(q["sql"][:200] for q in queries)
    assert [k.split()[0] for k in kinds] == [
        "SELECT",  # the session
        "SELECT",  # the user with their person, organization and unit
        "SELECT",  # the code in force (green: the rules need not run), the slot taken or not
        "INSERT",  # the check-in (no savepoint around it)
        "INSERT",  # its audit entry
        "INSERT",  # the idempotency key
    ]
    assert IdempotencyKey.objects.filter(key="k1").count() == 1


def test_a_retry_with_the_same_key_answers_the_first_outcome_and_writes_nothing(
    client, staff_user, people
):
    client.force_login(staff_user)
    body = {**NORMAL, "temperature": "36.4"}
    first = client.post(
        API, body, content_type="application/json", headers={"Idempotency-Key": "k"}
    )
    again = client.post(
        API,
        {**body, "temperature": "37.0"},
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["checkin"]["id"] == first.json()["checkin"]["id"]
    assert [str(t) for t in CheckIn.objects.values_list("temperature", flat=True)] == ["36.4"]


def test_a_green_persons_checkin_reporting_a_high_risk_area_changes_the_code(
    staff_user, people, org, clock_at
):
    RiskArea.objects.create(
        organization=org, name="湖北省武汉市", level="high", valid_from=DAY - dt.timedelta(30)
    )
    person = people["operator"]
    services.submit_checkin(person, NORMAL, by=staff_user)
    assert HealthCode.objects.get(person=person, is_current=True).colour == "green"

    clock_at(at(DAY + dt.timedelta(1), 8, 0))
    services.submit_checkin(
        person,
        {
            **NORMAL,
            "left_city": True,
            "travel_to": "湖北省武汉市",
            "returned_on": (DAY - dt.timedelta(2)).isoformat(),
        },
        by=staff_user,
    )

    code = HealthCode.objects.get(person=person, is_current=True)
    assert code.colour != "green"
    assert "风险" in code.rule_name


def test_a_level_setting_changed_in_this_process_is_used_by_the_next_checkin(
    staff_user, office_user, people, org
):
    services.submit_checkin(people["clerk"], NORMAL, by=office_user)  # writes rule set 1
    services.submit_checkin(people["clerk"], NORMAL, by=office_user)  # remembers the settings
    assert {what for _org, what in memo._store} == {"core.levels", "health.rule_set"}
    LevelSettingValue.objects.create(
        organization=org, key="health.checkins_per_day", level=org.response_level, value=2
    )

    # Two slots a day now: the afternoon's is not open yet (were the one daily slot still
    # remembered, "pm" would be refused as no slot of this level instead).
    with pytest.raises(DomainError) as refused:
        services.submit_checkin(people["operator"], {**NORMAL, "slot": "pm"}, by=staff_user)

    assert refused.value.code == "window_closed"
    assert not CheckIn.objects.filter(person=people["operator"]).exists()


def test_the_memory_is_off_when_its_lifetime_is_zero(settings, org):
    settings.HEADWATER_MEMO_SECONDS = 0
    loads = []
    memo.remember(org.pk, "x", lambda: loads.append(1))
    memo.remember(org.pk, "x", lambda: loads.append(1))
    assert loads == [1, 1]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="two writers at once need PostgreSQL"
)
def test_two_first_checkins_racing_from_two_phones_leave_one_checkin_and_no_error(
    staff_user, people, monkeypatch
):
    """Both look before either inserts (the barrier); the second insert breaks the unique
    constraint, its transaction is rolled back and it runs again as a correction."""
    import threading

    from headwater.health.services import checkins as module

    barrier = threading.Barrier(2)
    looked = module._code_and_slot

    def look_together(*args):
        found = looked(*args)
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass  # the retry looks alone
        return found

    monkeypatch.setattr(module, "_code_and_slot", look_together)
    active_rule_set(people["operator"].organization)  # rule set 1 written before the race
    results, errors = [], []

    def phone(temperature, key):
        try:
            checkin, created = services.submit_checkin(
                people["operator"], {**NORMAL, "temperature": temperature}, by=staff_user, key=key
            )
            results.append(created)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=phone, args=(t, k)) for t, k in (("36.5", "a"), ("36.6", "b"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(15)

    assert errors == []
    assert sorted(results) == [False, True]
    assert CheckIn.objects.filter(person=people["operator"]).count() == 1
    assert IdempotencyKey.objects.filter(user=staff_user).count() == 2


def test_a_checkin_with_three_relatives_adds_two_reads_and_a_row_and_its_audit_entry_each(
    client, staff_user, office_user, people, org
):
    """Without relatives the check-in stays at six statements (above); each relative's line is
    one insert and its audit entry, after one read of the relatives and one of the day's lines."""
    from headwater.core.models import HouseholdMember

    # Another person's check-in with a relative first: it fills the memory and content types.
    clerks = HouseholdMember.objects.create(
        organization=org, person=people["clerk"], name="钱妻", relation="spouse"
    )
    warm = {**NORMAL, "relatives": [{"member_id": clerks.pk, "temperature": "36.5"}]}
    services.submit_checkin(people["clerk"], warm, by=office_user, key="warm")
    services.submit_checkin(people["operator"], NORMAL, by=staff_user, key="yesterday")
    CheckIn.objects.filter(person=people["operator"]).delete()
    members = [
        HouseholdMember.objects.create(
            organization=org, person=people["operator"], name=n, relation="child"
        )
        for n in ("甲", "乙", "丙")
    ]
    body = {**NORMAL, "relatives": [{"member_id": m.pk, "temperature": "36.5"} for m in members]}
    client.force_login(staff_user)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            API, body, content_type="application/json", headers={"Idempotency-Key": "k3"}
        )

    assert response.status_code == 201, response.content
    kinds = [k for k in statements(queries) if "SAVEPOINT" not in k]
    assert [k.split()[0] for k in kinds] == [
        "SELECT",  # the session
        "SELECT",  # the user with their person, organization and unit
        "SELECT",  # the code in force, the slot taken or not
        "INSERT",  # the check-in
        "INSERT",  # its audit entry
        "SELECT",  # the relatives named in the lines (the person's, active)
        "SELECT",  # the day's lines already given, locked
        *["INSERT"] * 6,  # each line and its audit entry
        "INSERT",  # the idempotency key
    ], "\n".join(q["sql"][:200] for q in queries)
