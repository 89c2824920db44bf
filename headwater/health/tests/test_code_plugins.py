"""The two plug-ins around the health code (core.codes): facts other capabilities provide
feed the rules, and the one public read of a person's current code."""

import datetime as dt

import pytest
from django.urls import reverse

from headwater.core import codes
from headwater.health import services
from headwater.health.models import HealthCode
from headwater.health.rules import DEFAULT_RULES, Facts, RuleSpec, evaluate, validate_conditions
from headwater.health.tests.conftest import NORMAL, at

DAY = dt.date(2026, 2, 3)
POSITIVE = {"fact": "positive_test", "op": "is", "value": True}


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 8, 0))


@pytest.fixture
def positive_tests():
    """A testing capability's provider, registered for the test and removed after it: the
    people in the set have a positive test."""
    positive: set[int] = set()

    @codes.facts_provider(codes.Fact("positive_test", "核酸检测阳性", "bool"))
    def provider(person_ids, day):
        return {pid: {"positive_test": True} for pid in person_ids if pid in positive}

    yield positive
    codes.PROVIDERS[:] = [entry for entry in codes.PROVIDERS if entry[1] is not provider]


def rule_dicts(*extra: dict) -> list[dict]:
    defaults = [
        {
            "name": r.name,
            "colour": r.colour,
            "conditions": r.conditions,
            "recovery": r.recovery,
            "recovery_days": r.recovery_days,
        }
        for r in DEFAULT_RULES
    ]
    return [*extra, *defaults]


def test_a_provided_fact_feeds_a_rule_that_turns_the_code_red(
    positive_tests, org, office_user, operator_user, people
):
    positive_rule = {
        "name": "核酸阳性",
        "colour": "red",
        "conditions": [POSITIVE],
        "recovery": "release_normal",
        "recovery_days": 14,
    }
    services.publish_rules(
        org, rule_dicts(positive_rule), fever_threshold="37.3", note="检测", by=office_user
    )
    operator, head = people["operator"], people["head"]
    positive_tests.add(operator.pk)

    codes.recompute(operator)
    codes.recompute(head.pk)

    operator_code = HealthCode.objects.current().get(person=operator)
    assert (operator_code.colour, operator_code.rule_name, operator_code.rule_set_version) == (
        "red",
        "核酸阳性",
        2,
    )
    assert HealthCode.objects.current().get(person=head).colour == "green"


def test_a_fact_nobody_provides_is_no_fact_and_its_condition_is_false():
    rule = RuleSpec("核酸阳性", "red", [POSITIVE], "release_normal", 14)
    assert evaluate([rule], Facts(today=DAY), None).colour == "green"
    assert evaluate([rule], Facts(today=DAY, extra={"positive_test": True}), None).colour == "red"


def test_a_text_fact_is_compared_with_equals():
    rule = RuleSpec("闸机发热", "yellow", [{"fact": "gate", "op": "eq", "value": "fever"}], "", 0)
    assert evaluate([rule], Facts(today=DAY, extra={"gate": "fever"}), None).colour == "yellow"
    assert evaluate([rule], Facts(today=DAY, extra={"gate": "normal"}), None).colour == "green"


def test_rules_may_name_declared_facts_and_still_refuse_unknown_ones(positive_tests):
    assert validate_conditions([POSITIVE]) == []
    assert validate_conditions([{"fact": "moon_phase", "op": "is", "value": True}]) == [
        "未知的条件项：moon_phase"
    ]


def test_a_declared_fact_cannot_be_used_once_its_provider_is_gone():
    assert validate_conditions([POSITIVE]) == ["未知的条件项：positive_test"]


def test_the_rule_editor_offers_declared_facts_with_their_labels(
    positive_tests, client, office_user
):
    client.force_login(office_user)

    response = client.get(reverse("health:rules"), {"edit": "1"})

    offered = {f["name"]: (str(f["label"]), f["kind"]) for f in response.context["facts"]}
    assert offered["positive_test"] == ("核酸检测阳性", "bool")
    assert list(offered)[0] == "fever"  # health's own facts first
    assert 'value="positive_test" data-kind="bool"' in response.content.decode()


def test_current_code_is_the_persons_code_in_force(operator_user, people):
    operator = people["operator"]
    services.submit_checkin(operator, {**NORMAL, "temperature": "37.6"}, by=operator_user)

    code = codes.current(operator)

    stored = HealthCode.objects.current().get(person=operator)
    assert code == codes.CodeView(
        person_id=operator.pk,
        colour="yellow",
        label="黄码",
        reason=stored.reason,
        since=stored.since,
        green_on=DAY + dt.timedelta(days=8),
        css="warning",
    )
    assert code.is_green is False


def test_current_code_is_none_for_a_person_without_one(people):
    assert codes.current(people["head"]) is None
    assert codes.current_many([people["head"].pk]) == {}


def test_current_many_reads_every_code_in_one_query(
    operator_user, unit_head_user, people, django_assert_num_queries
):
    services.submit_checkin(people["operator"], NORMAL, by=operator_user)
    services.submit_checkin(people["head"], {**NORMAL, "temperature": "38.0"}, by=unit_head_user)
    ids = [people[name].pk for name in ("operator", "head", "clerk")]

    with django_assert_num_queries(1):
        views = codes.current_many(ids)

    assert {pid: v.colour for pid, v in views.items()} == {
        people["operator"].pk: "green",
        people["head"].pk: "yellow",
    }
