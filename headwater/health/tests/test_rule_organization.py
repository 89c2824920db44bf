"""Every health table carries its organization key directly: a rule has its rule set's
organization, and its scope keeps it inside the organization."""

from headwater.health import services
from headwater.health.models import Rule
from headwater.health.rules import DEFAULT_RULES


def test_the_default_rules_carry_the_organization(org):
    rule_set = services.active_rule_set(org)

    assert list(Rule.objects.filter(rule_set=rule_set).values_list("organization", flat=True)) == [
        org.pk
    ] * len(DEFAULT_RULES)


def test_published_rules_carry_the_organization(org, office_user):
    rule = {
        "name": "发热",
        "colour": "yellow",
        "conditions": [{"fact": "fever", "op": "is", "value": True}],
        "recovery": "normal_days",
        "recovery_days": 3,
    }

    rule_set, created = services.publish_rules(
        org, [rule], fever_threshold="37.3", note="", by=office_user
    )

    assert (created, rule_set.version) == (True, 2)
    assert list(rule_set.rules.values_list("name", "organization")) == [("发热", org.pk)]


def test_rules_are_visible_to_members_of_their_organization_only(
    org, staff_user, outsider, office_user
):
    services.active_rule_set(org)
    services.active_rule_set(outsider.organization)

    mine = Rule.objects.visible_to(staff_user)
    theirs = Rule.objects.visible_to(outsider)

    assert set(mine.values_list("organization", flat=True)) == {org.pk}
    assert set(theirs.values_list("organization", flat=True)) == {outsider.organization_id}
    assert mine.count() == theirs.count() == len(DEFAULT_RULES)
