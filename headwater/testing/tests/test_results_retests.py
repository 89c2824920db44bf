"""Individual retests: the retest swab into a printed single tube (and its refusals), then
its result: negative clears, positive sets the status, opens an isolation case and turns the
code red for staff, alerts the office for an outside person."""

import pytest

from headwater.alerts.models import Alert
from headwater.core import codes
from headwater.core.errors import DomainError, NotAllowed
from headwater.health.models import StatusRecord
from headwater.isolation.models import Case
from headwater.testing.choices import CampaignState, EntryStatus, TubeKind
from headwater.testing.inputs_results import ResultInput, RetestSampleInput
from headwater.testing.models import Retest, Sample, Tube
from headwater.testing.services.results import record_result
from headwater.testing.services.results_retests import take_retest_sample
from headwater.testing.tests.factories import make_campaign, make_tubes, roster_outsider
from headwater.testing.tests.results_helpers import sample_into, statuses

pytestmark = pytest.mark.django_db


@pytest.fixture
def singles(campaign):
    return make_tubes(campaign, count=3, prefix="S", kind=TubeKind.SINGLE)


@pytest.fixture
def flagged(org, office_user, tubes, roster):
    """Tube 1 (all four people) reported positive: four open retests."""
    sample_into(tubes[0], roster)
    record_result(
        org, ResultInput.parse({"barcode": tubes[0].barcode, "result": "阳性"}), by=office_user
    )
    return {r.entry_id: r for r in Retest.objects.all()}


def take(retest, barcode, user, **kw):
    return take_retest_sample(retest, RetestSampleInput.parse({"barcode": barcode}), by=user, **kw)


def individual(org, user, barcode, value):
    return record_result(org, ResultInput.parse({"barcode": barcode, "result": value}), by=user)


def test_taking_the_retest_sample_closes_the_single_tube(
    org, office_user, roster, flagged, singles
):
    operator = roster[1]
    retest = flagged[operator.pk]

    sample, created = take(retest, singles[0].barcode, office_user, key="r1")

    assert created is True
    assert (sample.entry_id, sample.tube_id) == (operator.pk, singles[0].pk)
    assert sample.retest_of == Sample.objects.get(entry=operator, tube=retest.pool)
    assert Tube.objects.get(pk=singles[0].pk).state == "closed"
    retest.refresh_from_db()
    assert retest.sample_id == sample.pk
    assert statuses([operator]) == [EntryStatus.RETESTING]
    again, created_again = take(retest, singles[0].barcode, office_user, key="r1")
    assert (again.pk, created_again) == (sample.pk, False)


@pytest.mark.parametrize(
    ("barcode", "code"),
    [
        ("NOPE", "unknown_tube"),
        ("T{campaign:03d}00002", "not_a_retest_tube"),
        ("OTHER", "tube_other_campaign"),
        ("USED", "tube_used"),
    ],
)
def test_a_wrong_tube_is_refused(
    org, office_user, campaign, roster, flagged, singles, barcode, code
):
    other = make_campaign(org, name="另一轮")
    make_tubes(other, count=1, prefix="OTHER", kind=TubeKind.SINGLE)
    Tube.objects.filter(campaign=other).update(barcode="OTHER")
    take(flagged[roster[0].pk], singles[0].barcode, office_user)
    Tube.objects.filter(pk=singles[0].pk).update(barcode="USED")
    retest = flagged[roster[1].pk]

    with pytest.raises(DomainError) as e:
        take(retest, barcode.format(campaign=campaign.pk), office_user)

    assert e.value.code == code
    retest.refresh_from_db()
    assert (retest.sample_id, statuses([roster[1]])) == (None, [EntryStatus.RETEST])
    assert Sample.objects.filter(retest_of__isnull=False).count() == 1


def test_a_second_retest_sample_and_a_closed_campaign_are_refused(
    org, office_user, campaign, roster, flagged, singles
):
    retest = flagged[roster[1].pk]
    take(retest, singles[0].barcode, office_user)

    with pytest.raises(DomainError) as e:
        take(retest, singles[1].barcode, office_user)
    assert e.value.code == "retest_already_sampled"

    campaign.state = CampaignState.CLOSED
    campaign.save()
    with pytest.raises(DomainError) as e:
        take(flagged[roster[2].pk], singles[1].barcode, office_user)
    assert e.value.code == "campaign_closed"
    assert Sample.objects.filter(retest_of__isnull=False).count() == 1


def test_a_member_of_staff_without_a_role_may_not_take_retests(
    org, staff_user, roster, flagged, singles
):
    with pytest.raises(NotAllowed):
        take(flagged[roster[1].pk], singles[0].barcode, staff_user)
    assert Sample.objects.filter(retest_of__isnull=False).count() == 0


def test_the_campaigns_desk_operator_may_take_retests(org, desk_user, roster, flagged, singles):
    sample, created = take(flagged[roster[1].pk], singles[0].barcode, desk_user)
    assert (created, sample.registered_by) == (True, desk_user)


def test_a_negative_retest_clears_the_person_and_closes_the_retest(
    org, office_user, roster, flagged, singles
):
    retest = flagged[roster[1].pk]
    take(retest, singles[0].barcode, office_user)

    individual(org, office_user, singles[0].barcode, "阴性")

    retest.refresh_from_db()
    assert (retest.state, retest.result) == ("closed", "negative")
    assert statuses(roster) == ["retest", "cleared", "retest", "retest"]
    assert StatusRecord.objects.count() == 0


def test_an_invalid_retest_keeps_the_retest_open_for_another_swab(
    org, office_user, roster, flagged, singles
):
    retest = flagged[roster[1].pk]
    take(retest, singles[0].barcode, office_user)

    individual(org, office_user, singles[0].barcode, "无效")

    retest.refresh_from_db()
    assert (retest.state, retest.sample_id) == ("open", None)
    assert statuses([roster[1]]) == [EntryStatus.RETEST]
    take(retest, singles[1].barcode, office_user)


def test_a_positive_retest_sets_the_status_opens_a_case_and_turns_the_code_red(
    org, office_user, people, campaign, roster, flagged, singles
):
    operator = people["operator"]
    retest = flagged[roster[1].pk]
    assert roster[1].person == operator
    take(retest, singles[0].barcode, office_user)

    individual(org, office_user, singles[0].barcode, "阳性")
    individual(org, office_user, singles[0].barcode, "阳性")  # a retry changes nothing

    retest.refresh_from_db()
    assert (retest.state, retest.result) == ("closed", "positive")
    assert statuses([roster[1]]) == [EntryStatus.POSITIVE]
    reason = f"核酸检测阳性（{campaign.name}）"
    assert sorted(StatusRecord.objects.filter(person=operator).values_list("kind", flat=True)) == [
        "centralized",
        "confirmed",
    ]
    case = Case.objects.get(person=operator)
    assert (case.kind, case.state, case.reason) == ("centralized", "open", reason)
    assert codes.current(operator.pk).colour == "red"
    alert = Alert.objects.get(kind="testing.positive_person")
    assert (alert.severity, operator.name in alert.title) == ("critical", True)


def test_a_positive_outsider_alerts_the_office_without_a_health_status(
    org, office_user, campaign, tubes, singles
):
    entry = roster_outsider(campaign)
    sample_into(tubes[1], [entry])
    individual(org, office_user, tubes[1].barcode, "阳性")
    take(Retest.objects.get(entry=entry), singles[0].barcode, office_user)

    individual(org, office_user, singles[0].barcode, "阳性")

    assert statuses([entry]) == [EntryStatus.POSITIVE]
    assert StatusRecord.objects.count() == 0 and Case.objects.count() == 0
    alert = Alert.objects.get(kind="testing.positive_person")
    assert "周民工" in alert.title and "江河建设" in alert.body


def test_an_individual_result_cannot_be_corrected(org, office_user, roster, flagged, singles):
    take(flagged[roster[1].pk], singles[0].barcode, office_user)
    individual(org, office_user, singles[0].barcode, "阴性")

    with pytest.raises(DomainError) as e:
        record_result(
            org,
            ResultInput.parse(
                {"barcode": singles[0].barcode, "result": "阳性", "correction_reason": "更正"}
            ),
            by=office_user,
        )

    assert e.value.code == "result_correction_refused"
    assert statuses([roster[1]]) == [EntryStatus.CLEARED]
