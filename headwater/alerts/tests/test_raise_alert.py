"""raise_alert: who gets an inbox item, deduplication, and bad arguments."""

import pytest

from headwater.alerts.models import Alert, Delivery, InboxItem
from headwater.alerts.services import raise_alert
from headwater.core.tests.factories import PersonFactory, make_user


def recipients(alert) -> set[str]:
    return set(alert.inbox_items.values_list("user__username", flat=True))


@pytest.fixture
def plant2_head(tree):
    person = PersonFactory(unit=tree["plant2"], name="孙二厂长", employee_no="E5")
    return make_user("head2", person=person, roles=[("unit_head", tree["plant2"])])


def test_unit_heads_above_the_unit_are_alerted_and_others_not(
    org, tree, unit_head_user, plant2_head, office_user
):
    alert = raise_alert(
        org,
        kind="health.abnormal_checkin",
        title="体温异常",
        unit=tree["shift_a"],
        to_roles=["unit_head"],
    )
    assert recipients(alert) == {"head"}


def test_an_organization_wide_grant_covers_every_unit(org, tree, people):
    make_user("allheads", person=people["clerk"], roles=[("unit_head", None)])
    alert = raise_alert(
        org, kind="health.x", title="t", unit=tree["shift_a"], to_roles=["unit_head"]
    )
    assert recipients(alert) == {"allheads"}


def test_an_alert_without_a_unit_reaches_only_organization_wide_grants(org, unit_head_user):
    alert = raise_alert(org, kind="health.x", title="t", to_roles=["unit_head"])
    assert recipients(alert) == set()


def test_office_alert_reaches_this_organizations_office_only(
    org, office_user, unit_head_user, staff_user, outsider
):
    alert = raise_alert(org, kind="duty.gap", title="缺岗", to_roles=["office"])
    assert recipients(alert) == {"office"}
    assert InboxItem.objects.filter(user=outsider).count() == 0


def test_named_users_are_alerted_and_an_outsider_is_dropped(org, staff_user, outsider):
    alert = raise_alert(org, kind="health.x", title="t", to_users=[staff_user, outsider.pk])
    assert recipients(alert) == {"operator"}


def test_inactive_users_get_nothing(org, office_user):
    office_user.is_active = False
    office_user.save()
    alert = raise_alert(org, kind="health.x", title="t", to_roles=["office"])
    assert recipients(alert) == set()


def test_a_user_reached_twice_gets_one_item(org, tree, office_user, unit_head_user):
    alert = raise_alert(
        org,
        kind="health.x",
        title="t",
        unit=tree["plant1"],
        to_users=[unit_head_user, office_user],
        to_roles=["unit_head", "office"],
    )
    assert sorted(alert.inbox_items.values_list("user__username", flat=True)) == ["head", "office"]


def test_raising_a_dedup_key_twice_gives_one_alert_and_one_set_of_items(
    org, office_user, make_channel
):
    make_channel()
    first = raise_alert(org, kind="health.x", title="一", to_roles=["office"], dedup_key="c:1")
    second = raise_alert(org, kind="health.x", title="二", to_roles=["office"], dedup_key="c:1")
    assert second.pk == first.pk
    assert list(Alert.objects.values_list("title", flat=True)) == ["一"]
    assert InboxItem.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_the_same_dedup_key_in_another_organization_is_another_alert(org, office_user, outsider):
    ours = raise_alert(org, kind="health.x", title="t", to_roles=["office"], dedup_key="k")
    theirs = raise_alert(
        outsider.organization, kind="health.x", title="t", to_roles=["office"], dedup_key="k"
    )
    assert ours.pk != theirs.pk
    assert (recipients(ours), recipients(theirs)) == ({"office"}, {"outsider"})


def test_alerts_without_a_dedup_key_are_never_merged(org):
    raise_alert(org, kind="health.x", title="t")
    raise_alert(org, kind="health.x", title="t")
    assert Alert.objects.count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"severity": "urgent"},
        {"kind": ""},
        {"link": "https://evil.example/"},
        {"link": "//evil.example/"},
    ],
)
def test_bad_arguments_are_a_bug_of_the_caller_and_nothing_is_raised(org, bad):
    with pytest.raises(ValueError):
        raise_alert(org, **{"kind": "health.x", "title": "t", **bad})
    assert Alert.objects.count() == 0


def test_a_unit_of_another_organization_is_refused(org, outsider):
    with pytest.raises(ValueError):
        raise_alert(org, kind="health.x", title="t", unit=outsider.person.unit)
    assert Alert.objects.count() == 0
