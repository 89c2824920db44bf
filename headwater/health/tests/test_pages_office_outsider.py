"""An outsider (the office of another organization) sees none of our data on the office's
pages and changes nothing.

Pages are asked for in English (the language cookie) so that messages are the msgids."""

from django.urls import reverse

from headwater.health import services
from headwater.health.models import StatusRecord
from headwater.health.tests.office_pages import (
    DAY,
    OVERVIEW,
    RULES,
    STATUSES,
    at,
    check_in,
    zero_report,
)


def test_an_outsider_sees_none_of_our_data(
    client, outsider, office_user, unit_head_user, people, tree, time_machine
):
    time_machine.move_to(at(8))
    operator = people["operator"]
    check_in(operator, "38.5")
    zero_report(tree["plant1"], unit_head_user)
    record, _ = services.set_status(operator, "observation", DAY, by=office_user)
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
