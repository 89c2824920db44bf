"""The office's desktop pages: the health overview (counts, report statuses at the deadline,
possible concealment), a person's timeline, the code rules and their editor, and
epidemiological statuses; each refused to the roles that may not use it, and an outsider
sees none of our data.

Pages are asked for in English (the language cookie) so that messages are the msgids."""

import datetime as dt
import json
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse

from headwater.core import clock
from headwater.core.tests.factories import make_user
from headwater.health import services
from headwater.health.models import CheckIn, HealthCode, RuleSet, StatusRecord

SH = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 2, 10)
OVERVIEW = reverse("health:overview")
RULES = reverse("health:rules")
STATUSES = reverse("health:statuses")


def at(hour: int, minute: int = 0, second: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), SH)


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def office(english, office_user):
    english.force_login(office_user)
    return english


def check_in(person, temperature: str = "36.5", **data) -> CheckIn:
    user = getattr(person, "user", None) or make_user(f"u-{person.employee_no}", person=person)
    checkin, _ = services.submit_checkin(person, {"temperature": temperature, **data}, by=user)
    return checkin


def zero_report(unit, head):
    report, _ = services.submit_unit_report(unit, by=head, counts={"on_duty": 2}, zero=True)
    return report


def unit_row(response, unit):
    return next(r for r in response.context["rows"] if r.unit == unit)


def current_code(person) -> HealthCode:
    return HealthCode.objects.get(person=person, is_current=True)


# --- Overview ------------------------------------------------------------------------------


def test_overview_counts_checkins_and_abnormal_for_the_unit_and_the_organization(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.2")
    check_in(people["head"])

    response = office.get(OVERVIEW)

    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals["done"], totals["total"], totals["abnormal"]) == (2, 4, 1)
    assert totals["rate"] == 50.0
    assert (totals["green"], totals["yellow"], totals["red"]) == (1, 1, 0)
    assert [r.unit for r in response.context["rows"]] == [tree["plant1"]]
    row = unit_row(response, tree["plant1"])
    assert (row.staff, row.done, row.abnormal, row.rate) == (2, 2, 1, 100.0)
    assert 'data-testid="trend-chart"' in response.content.decode()


@pytest.mark.parametrize(
    ("sent_at", "viewed_at", "status"),
    [
        ((9, 59, 59), (10, 30, 0), "on_time"),
        ((10, 0, 1), (10, 30, 0), "late"),
        (None, (10, 0, 1), "missing"),
        (None, (9, 0, 0), "not_due"),
    ],
)
def test_report_status_at_the_deadline(
    office, unit_head_user, tree, time_machine, sent_at, viewed_at, status
):
    if sent_at:
        time_machine.move_to(at(*sent_at))
        zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(*viewed_at))

    response = office.get(OVERVIEW)

    assert (unit_row(response, tree["plant1"]).status or "not_due") == status
    html = response.content.decode()
    assert f'data-testid="report-status" data-status="{status}"' in html


def test_zero_report_after_a_fever_checkin_is_flagged_with_the_evidence(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    fever = check_in(people["operator"], "38.4", symptoms=["cough"])
    time_machine.move_to(at(9))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(9, 30))

    response = office.get(OVERVIEW)

    row = unit_row(response, tree["plant1"])
    assert row.evidence == [fever]
    assert row.evidence[0].description == "38.4 °C, Cough"
    assert response.context["flagged"] == 1
    html = response.content.decode()
    assert html.count('data-testid="concealment-flag"') == 1
    evidence = html[html.index('data-testid="evidence-row"') :]
    assert "李操作" in evidence and "08:00" in evidence and "38.4 °C, Cough" in evidence
    assert "Zero report — nothing abnormal" in evidence


def test_fever_checkin_after_the_zero_report_is_not_flagged(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    zero_report(tree["plant1"], unit_head_user)
    time_machine.move_to(at(8, 30))
    check_in(people["operator"], "38.4")

    response = office.get(OVERVIEW)

    row = unit_row(response, tree["plant1"])
    assert (row.abnormal, row.evidence, row.status) == (1, [], "on_time")
    assert response.context["flagged"] == 0
    assert 'data-testid="concealment-flag"' not in response.content.decode()


def test_report_that_counts_the_abnormal_member_is_not_flagged(
    office, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "38.4")
    services.submit_unit_report(tree["plant1"], by=unit_head_user, counts={"abnormal": 1})

    response = office.get(OVERVIEW)

    assert unit_row(response, tree["plant1"]).evidence == []


def test_overview_of_a_past_day_and_its_trend(office, unit_head_user, people, tree, time_machine):
    time_machine.move_to(at(8, day=DAY - dt.timedelta(days=1)))
    check_in(people["operator"], "38.0")
    check_in(people["head"])
    time_machine.move_to(at(8))
    check_in(people["head"])

    past = office.get(OVERVIEW, {"date": "2026-02-09"})
    today = office.get(OVERVIEW)

    assert past.context["day"] == DAY - dt.timedelta(days=1)
    assert (past.context["totals"]["done"], past.context["totals"]["abnormal"]) == (2, 1)
    assert unit_row(past, tree["plant1"]).status == "missing"
    trend = today.context["trend"]
    assert len(trend["dates"]) == 14
    assert (trend["dates"][-2:], trend["rate"][-2:], trend["abnormal"][-2:]) == (
        ["02-09", "02-10"],
        [50.0, 25.0],
        [1, 0],
    )
    script = re.search(
        r'<script id="trend-data" type="application/json">(.*?)</script>', today.content.decode()
    )
    assert json.loads(script.group(1)) == trend


def test_overview_refuses_a_bad_or_future_date_and_shows_today(office, time_machine, people):
    time_machine.move_to(at(8))
    for value in ("2026-13-01", "2026-02-11"):
        response = office.get(OVERVIEW, {"date": value})
        assert response.status_code == 200
        assert response.context["day"] == DAY
        assert "Choose a day up to today." in response.content.decode()


def test_overview_is_refused_to_unit_heads_and_staff(client, unit_head_user, staff_user):
    for user in (unit_head_user, staff_user):
        client.force_login(user)
        assert client.get(OVERVIEW).status_code == 403


# --- A person's timeline -------------------------------------------------------------------


def test_person_timeline_shows_checkins_codes_and_followups_with_personal_data_masked(
    office, people, time_machine
):
    operator = people["operator"]
    time_machine.move_to(at(8, day=DAY - dt.timedelta(days=1)))
    check_in(operator, "36.6")
    time_machine.move_to(at(8))
    check_in(operator, "37.8")

    response = office.get(reverse("health:person", args=[operator.pk]))

    assert response.status_code == 200
    assert [c.temperature for c in response.context["checkins"]] == [
        Decimal("37.8"),
        Decimal("36.6"),
    ]
    code = current_code(operator)
    assert (code.colour, code.rule_name, code.rule_set_version) == (
        "yellow",
        "发热（无其他症状）",
        1,
    )
    html = response.content.decode()
    assert "发热（无其他症状） (v1)" in html
    assert html.count('data-testid="code-row"') == 2  # green, then yellow
    assert "37.8 °C" in html
    assert "139****5678" in html and "13912345678" not in html
    assert operator.id_number not in html
    assert [f.reason for f in response.context["followups"]] == ["37.8 °C"]


def test_person_timeline_is_404_outside_the_viewers_units_and_403_for_staff(
    client, unit_head_user, staff_user, people
):
    client.force_login(unit_head_user)
    assert client.get(reverse("health:person", args=[people["operator"].pk])).status_code == 200
    assert client.get(reverse("health:person", args=[people["other_plant"].pk])).status_code == 404
    client.force_login(staff_user)
    assert client.get(reverse("health:person", args=[people["operator"].pk])).status_code == 403


# --- Code rules ----------------------------------------------------------------------------


def editor_post(rule_set: RuleSet, *, threshold=None, note="", change=None, action="publish"):
    """The editor's form as the browser posts it, from a rule set; `change(rules)` edits the
    rule dicts first."""
    rules = [
        {
            "name": r.name,
            "colour": r.colour,
            "recovery": r.recovery,
            "recovery_days": r.recovery_days,
            "conditions": list(r.conditions),
        }
        for r in rule_set.rules.all()
    ]
    if change:
        change(rules)
    data = {
        "rule_count": len(rules),
        "note": note,
        "action": action,
        "fever_threshold": threshold or str(rule_set.fever_threshold),
    }
    for i, r in enumerate(rules):
        p = f"rule-{i}-"
        data |= {
            p + "name": r["name"],
            p + "colour": r["colour"],
            p + "recovery": r["recovery"],
            p + "recovery_days": r["recovery_days"],
            p + "cond_count": len(r["conditions"]),
        }
        for j, c in enumerate(r["conditions"]):
            q = f"{p}c{j}-"
            data |= {q + "fact": c["fact"], q + "op": c["op"]}
            if c["value"] is None:
                continue
            if isinstance(c["value"], bool):
                data[q + "bool"] = "true" if c["value"] else "false"
            elif isinstance(c["value"], list):
                data[q + "status"] = c["value"]
            else:
                data[q + "int"] = c["value"]
    return data


def test_rules_page_shows_the_rules_in_force_in_words(office, org):
    response = office.get(RULES)

    assert response.status_code == 200
    rules = response.context["rules"]
    assert [r.name for r in rules][:3] == ["确诊或疑似病例", "集中隔离", "发热伴呼吸道症状"]
    assert len(rules) == 9
    assert rules[0].words == ["Epidemiological status is one of Confirmed case、Suspected case"]
    assert rules[2].words == [
        "Fever at the latest check-in is yes",
        "Cough or sore throat at the latest check-in is yes",
    ]
    assert rules[6].words == ["Days since leaving a high-risk area ≤ 13"]
    assert rules[6].recovery_text == "turns green 14 days after the last exposure"
    assert rules[8].recovery_text == "turns green at the next normal check-in"
    assert response.context["editor"] is None
    edit = office.get(RULES, {"edit": "1"})
    assert len(edit.context["editor"].rules) == 9
    assert 'id="rule-editor"' in edit.content.decode()


def test_rules_page_is_refused_to_a_unit_head_and_nothing_changes(client, org, unit_head_user):
    rule_set = services.active_rule_set(org)
    client.force_login(unit_head_user)

    assert client.get(RULES).status_code == 403
    response = client.post(RULES, editor_post(rule_set, threshold="37.0"))

    assert response.status_code == 403
    assert list(RuleSet.objects.filter(organization=org).values_list("version", flat=True)) == [1]


def test_publishing_edited_rules_creates_version_2_and_recomputes_codes_with_it(
    office, org, people, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(8))
    check_in(people["operator"], "37.1")
    assert current_code(people["operator"]).colour == "green"
    rule_set = services.active_rule_set(org)

    def rename(rules):
        rules[7]["name"] = "发热"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = office.post(
            RULES, editor_post(rule_set, threshold="37.0", note="降低发热阈值", change=rename)
        )

    assert response.status_code == 302
    assert len(callbacks) == 1
    v2 = RuleSet.objects.get(organization=org, version=2)
    assert (v2.fever_threshold, v2.note, v2.created_by) == (
        Decimal("37.0"),
        "降低发热阈值",
        response.wsgi_request.user,
    )
    assert [r.name for r in v2.rules.all()][7] == "发热"
    code = current_code(people["operator"])
    assert (code.colour, code.rule_name, code.rule_set_version, code.rule.rule_set) == (
        "yellow",
        "发热",
        2,
        v2,
    )
    page = office.get(RULES)
    assert page.context["rule_set"] == v2
    assert [r.codes for r in page.context["rules"]][7] == 1
    assert page.context["green_codes"] == 3
    assert [v.version for v in page.context["versions"]] == [2, 1]


def test_a_bad_rule_is_refused_with_messages_and_no_new_version(office, org):
    rule_set = services.active_rule_set(org)

    def spoil(rules):
        rules[0]["conditions"] = [{"fact": "moon_phase", "op": "is", "value": None}]
        rules[3]["recovery_days"] = 99

    response = office.post(RULES, editor_post(rule_set, change=spoil))

    assert response.status_code == 200
    assert RuleSet.objects.filter(organization=org).count() == 1
    errors = [r.error for r in response.context["editor"].rules]
    assert errors[0] == "Unknown fact: moon_phase"
    assert errors[3] == "Days must be a whole number from 0 to 60."
    assert [e for e in errors if e] == [errors[0], errors[3]]
    html = response.content.decode()
    assert "Unknown fact: moon_phase" in html
    assert "Days must be a whole number from 0 to 60." in html
    assert "Please correct the marked fields." in html


def test_a_yellow_rule_without_a_way_to_turn_green_is_refused(office, org):
    rule_set = services.active_rule_set(org)

    def no_recovery(rules):
        rules[4]["recovery"] = ""

    response = office.post(RULES, editor_post(rule_set, change=no_recovery))

    assert response.status_code == 200
    assert RuleSet.objects.filter(organization=org).count() == 1
    assert response.context["editor"].rules[4].error == (
        "Choose how a yellow or red code from this rule turns green."
    )


def test_a_bad_fever_threshold_is_refused(office, org):
    rule_set = services.active_rule_set(org)

    response = office.post(RULES, editor_post(rule_set, threshold="45"))

    assert response.status_code == 200
    assert RuleSet.objects.filter(organization=org).count() == 1
    assert response.context["editor"].threshold_error == (
        "The fever threshold must be between 37.0 and 39.0 °C."
    )


def test_editor_buttons_add_move_and_delete_without_saving(office, org):
    rule_set = services.active_rule_set(org)
    names = [r.name for r in rule_set.rules.all()]

    moved = office.post(RULES, editor_post(rule_set, action="up:1"))
    added = office.post(RULES, editor_post(rule_set, action="add_rule"))
    deleted = office.post(RULES, editor_post(rule_set, action="delete:0"))
    condition = office.post(RULES, editor_post(rule_set, action="add_cond:2"))

    assert [r.name for r in moved.context["editor"].rules][:2] == [names[1], names[0]]
    assert len(added.context["editor"].rules) == 10
    assert added.context["editor"].rules[-1].conditions == [
        {"fact": "fever", "op": "is", "value": True}
    ]
    assert [r.name for r in deleted.context["editor"].rules] == names[1:]
    assert len(condition.context["editor"].rules[2].conditions) == 3
    assert RuleSet.objects.filter(organization=org).count() == 1


# --- Epidemiological statuses --------------------------------------------------------------


def test_office_records_a_close_contact_and_the_code_turns_yellow(office, people, time_machine):
    time_machine.move_to(at(8))
    operator = people["operator"]
    check_in(operator)

    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": operator.pk,
            "kind": "close_contact",
            "started_on": "2026-02-10",
            "exposure_on": "2026-02-08",
            "note": "同车",
        },
    )

    assert response.status_code == 302
    record = StatusRecord.objects.get(person=operator)
    assert (record.kind, record.started_on, record.exposure_on, record.ended_on, record.note) == (
        "close_contact",
        DAY,
        dt.date(2026, 2, 8),
        None,
        "同车",
    )
    code = current_code(operator)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "密切接触者",
        dt.date(2026, 2, 22),
    )
    page = office.get(STATUSES)
    assert list(page.context["open"]) == [record]


def test_office_ends_an_open_status(office, office_user, people, time_machine):
    time_machine.move_to(at(8))
    record = services.set_status(people["operator"], "home_isolation", DAY, by=office_user)

    response = office.post(
        STATUSES, {"action": "end", "record": record.pk, "ended_on": "2026-02-10"}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.ended_on == DAY
    time_machine.move_to(at(8, day=DAY + dt.timedelta(days=1)))
    assert list(office.get(STATUSES).context["open"]) == []


def test_a_status_that_ends_before_it_starts_is_refused(office, office_user, people):
    record = services.set_status(people["operator"], "observation", clock.today(), by=office_user)

    response = office.post(
        STATUSES, {"action": "end", "record": record.pk, "ended_on": "2000-01-01"}, follow=True
    )

    record.refresh_from_db()
    assert record.ended_on is None
    assert "The end is before the start." in response.content.decode()


def test_status_search_finds_people_by_name_or_employee_number(office, people):
    by_name = office.get(STATUSES, {"q": "李操"})
    by_number = office.get(STATUSES, {"q": "e3"})

    assert list(by_name.context["found"]) == [people["operator"]]
    assert list(by_number.context["found"]) == [people["other_plant"]]


def test_recording_a_status_is_refused_to_a_unit_head(client, unit_head_user, people):
    client.force_login(unit_head_user)

    response = client.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "close_contact",
            "started_on": "2026-02-10",
        },
    )

    assert response.status_code == 403
    assert StatusRecord.objects.count() == 0
    assert client.get(STATUSES).status_code == 403


def test_a_status_form_with_bad_input_records_nothing(office, people, time_machine):
    time_machine.move_to(at(8))

    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "cured",
            "started_on": "2026-02-11",
        },
    )

    assert response.status_code == 200
    assert StatusRecord.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"kind"}
    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "observation",
            "started_on": "2026-02-11",
        },
    )
    assert response.context["form"].errors == {"started_on": ["The start cannot be in the future."]}
    assert StatusRecord.objects.count() == 0


# --- An outsider ---------------------------------------------------------------------------


def test_an_outsider_sees_none_of_our_data(
    client, outsider, office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    operator = people["operator"]
    check_in(operator, "38.5")
    zero_report(tree["plant1"], unit_head_user)
    record = services.set_status(operator, "observation", DAY, by=office_user)
    client.force_login(outsider)

    overview = client.get(OVERVIEW)
    assert overview.status_code == 200
    assert overview.context["rows"] == []
    assert overview.context["totals"]["done"] == 0
    assert "李操作" not in overview.content.decode()
    assert client.get(reverse("health:person", args=[operator.pk])).status_code == 404
    statuses = client.get(STATUSES, {"q": "李操作"})
    assert list(statuses.context["found"]) == []
    assert list(statuses.context["open"]) == []
    assert client.get(STATUSES, {"person": operator.pk}).status_code == 404
    end = client.post(STATUSES, {"action": "end", "record": record.pk, "ended_on": "2026-02-10"})
    assert end.status_code == 404
    record.refresh_from_db()
    assert record.ended_on is None
    assert (
        client.post(
            STATUSES,
            {
                "action": "set",
                "person": operator.pk,
                "kind": "confirmed",
                "started_on": "2026-02-10",
            },
        ).status_code
        == 404
    )
    assert StatusRecord.objects.filter(person=operator).count() == 1
    rules = client.get(RULES)
    assert rules.context["rule_set"].organization == outsider.organization
    assert "李操作" not in rules.content.decode()
