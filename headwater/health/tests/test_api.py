"""The health API: idempotent check-ins, refusals in the request's language, scope, the unit
and office views, unit reports, risk areas, rules, statuses and the OpenAPI listing."""

import datetime as dt
from decimal import Decimal

import pytest

from headwater.core.models import IdempotencyKey
from headwater.health.models import CheckIn, HealthCode, RiskArea, StatusRecord, UnitReport
from headwater.health.tests.conftest import NORMAL, at

API = "/api/v1/health"
DAY = dt.date(2026, 2, 3)


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 30))


def post(client, path: str, body: dict, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", **headers)


def checkin(person, temperature: str = "36.5", **fields) -> CheckIn:
    """A check-in made directly, for the read endpoints."""
    return CheckIn.objects.create(
        organization=person.organization,
        person=person,
        unit=person.unit,
        date=DAY,
        slot="am",
        temperature=Decimal(temperature),
        whereabouts="at_work",
        is_abnormal=Decimal(temperature) >= Decimal("37.3"),
        **fields,
    )


# --- Check-ins -----------------------------------------------------------------------------


def test_retried_checkin_with_the_same_idempotency_key_returns_the_first_one(client, staff_user):
    client.force_login(staff_user)
    first = post(client, "/checkins", NORMAL, HTTP_IDEMPOTENCY_KEY="k-1")
    again = post(client, "/checkins", {**NORMAL, "temperature": "36.9"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["checkin"]["id"] == first.json()["checkin"]["id"]
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().temperature == Decimal("36.5")


def test_idempotency_key_may_come_in_the_body(client, staff_user):
    client.force_login(staff_user)
    first = post(client, "/checkins", {**NORMAL, "idempotency_key": "body-1"})
    again = post(client, "/checkins", {**NORMAL, "idempotency_key": "body-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    # The key is kept in core.IdempotencyKey now, no longer on the check-in.
    key = IdempotencyKey.objects.get(action="health.checkin")
    assert (key.key, key.object_id) == ("body-1", CheckIn.objects.get().pk)


def test_second_checkin_in_the_slot_corrects_the_first_with_200(client, staff_user):
    client.force_login(staff_user)
    first = post(client, "/checkins", NORMAL, HTTP_IDEMPOTENCY_KEY="a")
    second = post(client, "/checkins", {**NORMAL, "temperature": "36.8"}, HTTP_IDEMPOTENCY_KEY="b")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["checkin"]["id"] == first.json()["checkin"]["id"]
    assert list(CheckIn.objects.values_list("temperature", flat=True)) == [Decimal("36.8")]


def test_checkin_answer_carries_the_persons_current_code(client, staff_user, people):
    client.force_login(staff_user)
    body = post(client, "/checkins", {**NORMAL, "temperature": 37.5}).json()
    assert body["checkin"]["person_name"] == "李操作"
    assert (body["checkin"]["temperature"], body["checkin"]["is_abnormal"]) == (37.5, True)
    code = body["code"]
    assert (code["colour"], code["rule_name"], code["rule_set_version"], code["green_on"]) == (
        "yellow",
        "发热",
        1,
        "2026-02-11",
    )
    assert code["reason"] == HealthCode.objects.get(person=people["operator"]).reason


@pytest.mark.parametrize(
    ("temperature", "status"),
    [
        ("34.0", 201),
        ("33.9", 400),
        ("42.5", 201),
        ("42.6", 400),
        (42.6, 400),
        (34.0, 201),
    ],
)
def test_temperature_range_boundaries(client, staff_user, temperature, status):
    client.force_login(staff_user)
    response = post(client, "/checkins", {**NORMAL, "temperature": temperature})
    assert response.status_code == status
    if status == 400:
        assert list(response.json()["error"]["fields"]) == ["temperature"]
    assert CheckIn.objects.count() == (1 if status == 201 else 0)


def test_refused_temperature_is_explained_in_chinese_by_default(client, staff_user):
    client.force_login(staff_user)
    response = post(client, "/checkins", {**NORMAL, "temperature": "33.9"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "temperature": "33.9 °C 超出 34.0–42.5 °C 范围，请重新测量。"
    }
    assert CheckIn.objects.count() == 0


def test_refused_temperature_is_explained_in_english_when_asked(client, staff_user):
    client.force_login(staff_user)
    response = post(
        client, "/checkins", {**NORMAL, "temperature": "42.6"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid",
        "message": "Please correct the marked fields.",
        "fields": {"temperature": "42.6 °C is outside 34.0–42.5 °C; please measure again."},
    }
    assert CheckIn.objects.count() == 0


def test_login_without_a_person_may_not_check_in(client, org):
    from headwater.core.tests.factories import make_user

    client.force_login(make_user("nobody", organization=org, roles=[("office", None)]))
    response = post(client, "/checkins", NORMAL)
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_unit_head_lists_only_checkins_of_their_subtree(client, unit_head_user, people):
    for name in ("head", "operator", "other_plant", "clerk"):
        checkin(people[name])
    client.force_login(unit_head_user)
    body = client.get(f"{API}/checkins?date={DAY}").json()
    assert body["count"] == 2
    assert {c["person_name"] for c in body["items"]} == {"王厂长", "李操作"}


def test_checkin_list_filters_by_unit_and_abnormal(client, office_user, people, tree):
    checkin(people["operator"], "38.0")
    checkin(people["head"])
    checkin(people["other_plant"], "38.2")
    client.force_login(office_user)
    body = client.get(f"{API}/checkins?unit_id={tree['plant1'].pk}&abnormal=true").json()
    assert [c["person_name"] for c in body["items"]] == ["李操作"]


def test_staff_sees_only_their_own_checkins(client, staff_user, people):
    mine, theirs = checkin(people["operator"]), checkin(people["head"])
    client.force_login(staff_user)
    assert [c["id"] for c in client.get(f"{API}/checkins").json()["items"]] == [mine.pk]
    assert client.get(f"{API}/checkins/{theirs.pk}").status_code == 404


def test_outsider_gets_nothing_of_ours(client, outsider, people, tree):
    row = checkin(people["operator"], "38.0")
    client.force_login(outsider)
    assert client.get(f"{API}/checkins").json() == {"items": [], "count": 0}
    assert client.get(f"{API}/codes").json() == {"items": [], "count": 0}
    response = client.get(f"{API}/checkins/{row.pk}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"{API}/people/{people['operator'].pk}/timeline").status_code == 404
    assert client.get(f"{API}/units/{tree['plant1'].pk}/completion").status_code == 404


# --- Codes and timelines -------------------------------------------------------------------


def test_my_code_is_computed_the_first_time(client, staff_user, people):
    client.force_login(staff_user)
    body = client.get(f"{API}/codes/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["colour"], body["colour_label"], body["person_name"]) == (
        "green",
        "Green",
        "李操作",
    )
    # Computed, not stored: a GET writes nothing (the first check-in stores the first code).
    assert HealthCode.objects.filter(person=people["operator"]).count() == 0


def test_codes_list_filters_by_colour_within_scope(client, unit_head_user, staff_user, people):
    client.force_login(staff_user)
    post(client, "/checkins", {**NORMAL, "temperature": "38.0"})
    HealthCode.objects.create(
        organization=people["other_plant"].organization,
        person=people["other_plant"],
        colour="yellow",
        reason="x",
        rule_set_version=1,
    )
    client.force_login(unit_head_user)
    body = client.get(f"{API}/codes?colour=yellow").json()
    assert [c["person_name"] for c in body["items"]] == ["李操作"]


def test_timeline_shows_checkins_and_every_code_newest_first(
    client, staff_user, unit_head_user, people
):
    client.force_login(staff_user)
    post(client, "/checkins", {**NORMAL, "temperature": "38.0"})
    post(client, "/checkins", {**NORMAL, "temperature": "38.0", "contact_confirmed": True})
    client.force_login(unit_head_user)
    body = client.get(f"{API}/people/{people['operator'].pk}/timeline").json()
    assert body["person"]["name"] == "李操作"
    assert [c["temperature"] for c in body["checkins"]] == [38.0]
    assert [(c["colour"], c["rule_name"]) for c in body["codes"]] == [
        ("red", "14天内接触确诊或疑似病例"),
        ("yellow", "发热"),
    ]


def test_staff_may_not_see_a_colleagues_timeline(client, staff_user, people):
    client.force_login(staff_user)
    assert client.get(f"{API}/people/{people['head'].pk}/timeline").status_code == 404


# --- The unit and the office ---------------------------------------------------------------


def test_unit_completion_names_the_abnormal_and_the_missing(client, unit_head_user, people, tree):
    checkin(people["operator"], "38.0")
    client.force_login(unit_head_user)
    body = client.get(f"{API}/units/{tree['plant1'].pk}/completion").json()
    assert (body["date"], body["staff"], body["checked_in"]) == ("2026-02-03", 2, 1)
    assert [(a["person"]["name"], a["checkins"][0]["temperature"]) for a in body["abnormal"]] == [
        ("李操作", 38.0)
    ]
    assert ([p["name"] for p in body["missing"]], body["missing_total"]) == (["王厂长"], 1)


def test_unit_completion_is_refused_to_staff(client, staff_user, tree):
    client.force_login(staff_user)
    response = client.get(f"{API}/units/{tree['shift_a'].pk}/completion")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_overview_is_refused_to_staff(client, staff_user):
    client.force_login(staff_user)
    response = client.get(f"{API}/overview")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_overview_flags_a_zero_report_that_hides_a_fever(
    client, office_user, unit_head_user, people, tree, clock_at
):
    clock_at(at(DAY, 8, 0))
    fever = checkin(people["operator"], "38.0", submitted_at=at(DAY, 8, 0))
    clock_at(at(DAY, 9, 0))
    client.force_login(unit_head_user)
    assert (
        post(client, "/unit-reports", {"unit_id": tree["plant1"].pk, "zero": True}).status_code
        == 201
    )
    client.force_login(office_user)
    body = client.get(f"{API}/overview", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["totals"] == {
        "done": 1,
        "total": 4,
        "rate": 25.0,
        "abnormal": 1,
        "green": 0,
        "yellow": 0,
        "red": 0,
    }
    assert body["units"] == [
        {
            "unit_id": tree["plant1"].pk,
            "unit_name": "第一水厂",
            "staff": 2,
            "done": 1,
            "rate": 50.0,
            "abnormal": 1,
            "report_id": UnitReport.objects.get().pk,
            "report_status": "on_time",
            "report_status_label": "On time",
            "possible_concealment": True,
            "evidence_ids": [fever.pk],
        }
    ]


# --- Unit daily reports --------------------------------------------------------------------


def test_unit_report_is_created_then_updated_in_one_row(client, unit_head_user, tree):
    client.force_login(unit_head_user)
    counts = {"on_duty": 30, "working_from_home": 2, "on_leave": 1, "isolated": 0, "abnormal": 1}
    first = post(
        client,
        "/unit-reports",
        {"unit_id": tree["plant1"].pk, "counts": counts, "notes": "一人发热，已就医"},
    )
    second = post(
        client, "/unit-reports", {"unit_id": tree["plant1"].pk, "counts": {**counts, "on_duty": 31}}
    )
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    report = UnitReport.objects.get()
    assert (report.on_duty, report.abnormal, report.notes, report.is_zero) == (31, 1, "", False)
    listed = client.get(f"{API}/unit-reports?date={DAY}").json()
    assert [r["unit_name"] for r in listed["items"]] == ["第一水厂"]


def test_unit_report_for_a_unit_outside_scope_is_404_and_stores_nothing(
    client, unit_head_user, tree
):
    client.force_login(unit_head_user)
    response = post(client, "/unit-reports", {"unit_id": tree["plant2"].pk, "zero": True})
    assert response.status_code == 404
    assert UnitReport.objects.count() == 0


def test_staff_may_not_file_a_unit_report(client, staff_user, tree):
    client.force_login(staff_user)
    response = post(client, "/unit-reports", {"unit_id": tree["shift_a"].pk, "zero": True})
    assert response.status_code == 403
    assert UnitReport.objects.count() == 0


def test_negative_count_is_refused_field_by_field(client, unit_head_user, tree):
    client.force_login(unit_head_user)
    response = post(
        client, "/unit-reports", {"unit_id": tree["plant1"].pk, "counts": {"on_leave": -1}}
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["on_leave"]
    assert UnitReport.objects.count() == 0


# --- Risk areas, rules, statuses -----------------------------------------------------------


def test_office_adds_a_risk_area(client, office_user, org):
    client.force_login(office_user)
    response = post(
        client, "/risk-areas", {"name": "湖北省武汉市", "level": "high", "valid_from": "2026-01-20"}
    )
    assert response.status_code == 201
    area = RiskArea.objects.get()
    assert (area.organization, area.name, area.level, area.valid_to) == (
        org,
        "湖北省武汉市",
        "high",
        None,
    )
    assert client.get(f"{API}/risk-areas?on=2026-01-19").json()["count"] == 0
    assert client.get(f"{API}/risk-areas?on=2026-02-03").json()["count"] == 1


def test_risk_area_ending_before_it_starts_is_refused(client, office_user):
    client.force_login(office_user)
    response = post(
        client,
        "/risk-areas",
        {"name": "某地", "level": "high", "valid_from": "2026-01-20", "valid_to": "2026-01-19"},
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["valid_to"]
    assert RiskArea.objects.count() == 0


def test_staff_may_not_add_a_risk_area(client, staff_user):
    client.force_login(staff_user)
    response = post(
        client, "/risk-areas", {"name": "某地", "level": "high", "valid_from": "2026-01-20"}
    )
    assert response.status_code == 403
    assert RiskArea.objects.count() == 0


def test_rules_in_force_are_the_defaults_as_version_1(client, staff_user):
    client.force_login(staff_user)
    body = client.get(f"{API}/rules").json()
    assert (body["version"], body["fever_threshold"], len(body["rules"])) == (1, 37.3, 11)
    assert body["rules"][0]["name"] == "确诊或疑似病例"


def test_office_publishes_rules_as_the_next_version(client, office_user):
    client.force_login(office_user)
    rule = {
        "name": "发热",
        "colour": "yellow",
        "recovery": "normal_days",
        "recovery_days": 3,
        "conditions": [{"fact": "fever", "op": "is", "value": True}],
    }
    response = post(
        client, "/rules", {"rules": [rule], "fever_threshold": "37.5", "note": "只看发热"}
    )
    assert response.status_code == 201
    assert (response.json()["version"], response.json()["fever_threshold"]) == (2, 37.5)
    assert client.get(f"{API}/rules").json()["rules"][0]["name"] == "发热"


def test_staff_may_not_publish_rules(client, staff_user):
    client.force_login(staff_user)
    response = post(client, "/rules", {"rules": []})
    assert response.status_code == 403
    assert client.get(f"{API}/rules").json()["version"] == 1


def test_office_records_and_ends_a_status_and_the_code_follows(client, office_user, people):
    client.force_login(office_user)
    created = post(
        client,
        "/statuses",
        {"person_id": people["operator"].pk, "kind": "home_isolation", "started_on": "2026-02-01"},
    )
    assert created.status_code == 201
    assert HealthCode.objects.current().get(person=people["operator"]).colour == "yellow"
    ended = post(client, f"/statuses/{created.json()['id']}/end", {"ended_on": "2026-02-03"})
    assert (ended.status_code, ended.json()["ended_on"]) == (200, "2026-02-03")
    assert StatusRecord.objects.get().ended_on == DAY
    listed = client.get(f"{API}/statuses?open=false").json()
    assert [s["kind"] for s in listed["items"]] == ["home_isolation"]


def test_unit_head_may_not_record_a_status(client, unit_head_user, people):
    client.force_login(unit_head_user)
    response = post(
        client,
        "/statuses",
        {"person_id": people["operator"].pk, "kind": "close_contact", "started_on": "2026-02-01"},
    )
    assert response.status_code == 403
    assert StatusRecord.objects.count() == 0


def test_openapi_lists_the_health_paths(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {p for p in paths if p.startswith("/api/v1/health/")} == {
        "/api/v1/health/checkins",
        "/api/v1/health/household-screening",
        "/api/v1/health/checkins/{checkin_id}",
        "/api/v1/health/codes/me",
        "/api/v1/health/codes",
        "/api/v1/health/people/{person_id}/timeline",
        "/api/v1/health/units/{unit_id}/completion",
        "/api/v1/health/overview",
        "/api/v1/health/unit-reports",
        "/api/v1/health/unit-reports/{report_id}/filings",
        "/api/v1/health/unit-reports/{report_id}/clear-flag",
        "/api/v1/health/reminders",
        "/api/v1/health/risk-areas",
        "/api/v1/health/rules",
        "/api/v1/health/statuses",
        "/api/v1/health/statuses/{status_id}/end",
    }
