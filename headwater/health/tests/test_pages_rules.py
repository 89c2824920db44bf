"""The office's code rules page: the rules in force in words, the editor and publishing a
new version; refused to the roles that may not use it.

Pages are asked for in English (the language cookie) so that messages are the msgids."""

from decimal import Decimal

from headwater.health import services
from headwater.health.models import RuleSet
from headwater.health.tests.office_pages import RULES, at, check_in, current_code


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
    assert [r.name for r in rules][:3] == ["确诊或疑似病例", "密切接触者", "集中隔离"]
    assert len(rules) == 11
    assert rules[0].words == ["Epidemiological status is one of Confirmed case、Suspected case"]
    assert rules[0].recovery_text == (
        "turns green after 14 days of isolation with normal check-ins, "
        "once the office ends the status"
    )
    assert rules[8].words == [
        "Cough, sore throat or loss of taste or smell at the latest check-in is yes",
    ]
    assert rules[4].words == ["Days since leaving a high-risk area ≤ 13"]
    assert rules[4].recovery_text == "turns green 14 days after the last exposure"
    assert rules[6].words == ["Days since leaving a medium-risk area ≤ 6"]
    assert rules[10].recovery_text == "turns green at the next normal check-in"
    assert response.context["editor"] is None
    edit = office.get(RULES, {"edit": "1"})
    assert len(edit.context["editor"].rules) == 11
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
        rules[7]["name"] = "发烧"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = office.post(
            RULES, editor_post(rule_set, threshold="37.0", note="降低发热阈值", change=rename)
        )

    assert response.status_code == 302
    # one recompute of the organization's codes (the others tell duty which codes changed)
    recomputes = [c for c in callbacks if c.__qualname__.startswith("recompute_after_commit")]
    assert len(recomputes) == 1
    v2 = RuleSet.objects.get(organization=org, version=2)
    assert (v2.fever_threshold, v2.note, v2.created_by) == (
        Decimal("37.0"),
        "降低发热阈值",
        response.wsgi_request.user,
    )
    assert [r.name for r in v2.rules.all()][7] == "发烧"
    code = current_code(people["operator"])
    assert (code.colour, code.rule_name, code.rule_set_version, code.rule.rule_set) == (
        "yellow",
        "发烧",
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
    assert len(added.context["editor"].rules) == 12
    assert added.context["editor"].rules[-1].conditions == [
        {"fact": "fever", "op": "is", "value": True}
    ]
    assert [r.name for r in deleted.context["editor"].rules] == names[1:]
    assert len(condition.context["editor"].rules[2].conditions) == 2
    assert RuleSet.objects.filter(organization=org).count() == 1


def test_the_office_can_add_the_optional_fever_with_cough_rule_before_the_yellow_rules(office, org):
    rule_set = services.active_rule_set(org)
    assert 'value="add_optional:0"' in office.get(RULES, {"edit": "1"}).content.decode()

    response = office.post(RULES, editor_post(rule_set, action="add_optional:0"))

    rules = response.context["editor"].rules
    assert [r.name for r in rules][2:5] == [
        "集中隔离",
        "14天内接触确诊或疑似病例",
        "14天内到过高风险地区",
    ]
    assert (rules[5].name, rules[5].colour, rules[5].recovery_days, rules[5].conditions) == (
        "发热伴呼吸道症状",
        "red",
        14,
        [
            {"fact": "fever", "op": "is", "value": True},
            {"fact": "respiratory_symptom", "op": "is", "value": True},
        ],
    )
    assert response.context["editor"].optional == []
    assert 'value="add_optional:0"' not in response.content.decode()
    assert RuleSet.objects.filter(organization=org).count() == 1
