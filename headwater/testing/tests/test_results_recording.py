"""A tube's result typed by the office: negative clears its members, positive or invalid puts
them on the retest list with one alert per tube; a retry changes nothing; the refusals change
nothing; a correction needs a reason and is audited."""

import datetime as dt

import pytest
from django.utils import timezone

from headwater.alerts.models import Alert
from headwater.core import clock
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import IdempotencyKey
from headwater.testing.choices import CampaignState, EntryStatus, RetestState
from headwater.testing.inputs_results import ResultInput
from headwater.testing.models import Retest, Tube
from headwater.testing.services.results import record_result
from headwater.testing.tests.results_helpers import sample_into, statuses

pytestmark = pytest.mark.django_db


def result(barcode, value, **extra):
    return ResultInput.parse({"barcode": barcode, "result": value, **extra})


@pytest.fixture
def pool(tubes, roster):
    """Tube 1 holding four members (the whole small roster)."""
    sample_into(tubes[0], roster)
    return tubes[0]


def test_a_negative_tube_clears_every_member(org, office_user, roster, pool):
    tube, created = record_result(
        org, result(pool.barcode, "阴性", lab_members="4"), by=office_user
    )

    assert created is True
    tube.refresh_from_db()
    assert (tube.result, tube.result_by, tube.lab_members) == ("negative", office_user, 4)
    assert statuses(roster) == [EntryStatus.CLEARED] * 4
    assert Retest.objects.count() == 0
    assert Alert.objects.count() == 0


def test_a_positive_tube_opens_a_retest_per_member_and_one_alert(org, office_user, roster, pool):
    record_result(org, result(pool.barcode, "positive"), by=office_user)

    assert statuses(roster) == [EntryStatus.RETEST] * 4
    retests = Retest.objects.filter(pool=pool)
    assert sorted(retests.values_list("entry_id", flat=True)) == sorted(e.pk for e in roster)
    assert set(retests.values_list("state", flat=True)) == {RetestState.OPEN}
    alert = Alert.objects.get()
    assert (alert.kind, alert.severity) == ("testing.positive_pool", "critical")
    assert pool.barcode in alert.title
    assert alert.link == f"/testing/retests/?campaign={pool.campaign_id}"


def test_an_invalid_tube_also_asks_for_retests_with_its_own_alert(org, office_user, roster, pool):
    record_result(org, result(pool.barcode, "无效"), by=office_user)

    assert statuses(roster) == [EntryStatus.RETEST] * 4
    assert Retest.objects.filter(pool=pool).count() == 4
    assert list(Alert.objects.values_list("kind", "severity")) == [
        ("testing.invalid_pool", "warning")
    ]


def test_the_same_result_again_changes_nothing_and_raises_no_second_alert(
    org, office_user, roster, pool
):
    record_result(org, result(pool.barcode, "positive"), by=office_user, key="k1")

    again, created = record_result(org, result(pool.barcode, "positive"), by=office_user, key="k1")
    other_key, created_2 = record_result(
        org, result(pool.barcode, "positive"), by=office_user, key="k2"
    )

    assert (created, created_2) == (False, False)
    assert again.pk == other_key.pk == pool.pk
    assert Retest.objects.count() == 4
    assert Alert.objects.count() == 1


def test_an_unknown_tube_is_refused(org, office_user, roster, pool):
    with pytest.raises(DomainError) as e:
        record_result(org, result("NOPE1", "阳性"), by=office_user)

    assert e.value.code == "unknown_tube"
    assert "NOPE1" in e.value.fields["barcode"]
    assert statuses(roster) == [EntryStatus.SAMPLED] * 4


def test_a_tube_of_a_closed_campaign_is_refused(org, office_user, campaign, roster, pool):
    campaign.state = CampaignState.CLOSED
    campaign.save()

    with pytest.raises(DomainError) as e:
        record_result(org, result(pool.barcode, "阴性"), by=office_user)

    assert e.value.code == "campaign_closed"
    assert Tube.objects.get(pk=pool.pk).result == "pending"
    assert statuses(roster) == [EntryStatus.SAMPLED] * 4


def test_a_result_time_in_the_future_is_refused(org, office_user, roster, pool):
    later = timezone.localtime(clock.now() + dt.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")

    with pytest.raises(DomainError) as e:
        record_result(org, result(pool.barcode, "阴性", result_at=later), by=office_user)

    assert e.value.fields["result_at"] == f"检测时间 {later} 晚于当前时间。"
    assert Tube.objects.get(pk=pool.pk).result == "pending"


def test_bad_values_are_named_by_field():
    with pytest.raises(DomainError) as e:
        ResultInput.parse({"barcode": "", "result": "maybe", "lab_members": "0"})

    assert sorted(e.value.fields) == ["barcode", "lab_members", "result"]


def test_a_different_result_without_a_reason_is_refused(org, office_user, roster, pool):
    record_result(org, result(pool.barcode, "阴性"), by=office_user)

    with pytest.raises(DomainError) as e:
        record_result(org, result(pool.barcode, "阳性"), by=office_user)

    assert e.value.code == "result_already_recorded"
    assert Tube.objects.get(pk=pool.pk).result == "negative"
    assert statuses(roster) == [EntryStatus.CLEARED] * 4
    assert (Retest.objects.count(), Alert.objects.count()) == (0, 0)


def test_a_correction_with_a_reason_reflags_the_members_and_is_audited(
    org, office_user, roster, pool
):
    from headwater.core import audit

    record_result(org, result(pool.barcode, "阴性"), by=office_user)
    tube, created = record_result(
        org, result(pool.barcode, "阳性", correction_reason="实验室更正报告"), by=office_user
    )

    assert (created, tube.result) == (True, "positive")
    assert statuses(roster) == [EntryStatus.RETEST] * 4
    assert Retest.objects.filter(pool=pool, state="open").count() == 4
    assert Alert.objects.filter(kind="testing.positive_pool").count() == 1
    corrections = [e for e in audit.history(tube) if "reason" in (e.changes_dict or {})]
    assert [(e.actor, e.changes_dict["reason"][1]) for e in corrections] == [
        (office_user, "实验室更正报告")
    ]

    record_result(org, result(pool.barcode, "阴性", correction_reason="复核为阴性"), by=office_user)
    assert statuses(roster) == [EntryStatus.CLEARED] * 4
    assert Retest.objects.filter(pool=pool, state="open").count() == 0


def test_only_the_office_records_results(org, unit_head_user, roster, pool):
    with pytest.raises(NotAllowed):
        record_result(org, result(pool.barcode, "阴性"), by=unit_head_user)

    assert Tube.objects.get(pk=pool.pk).result == "pending"
    assert IdempotencyKey.objects.count() == 0


def test_a_result_for_a_tube_nobody_was_registered_in_is_kept(org, office_user, tubes):
    tube, created = record_result(org, result(tubes[4].barcode, "阳性"), by=office_user)

    assert (created, tube.result) == (True, "positive")
    assert Retest.objects.count() == 0
    assert Alert.objects.get().body == "该管无登记人员"
