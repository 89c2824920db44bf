"""The typed inputs (health.inputs): the one place the check-in's and the unit report's rules
are written, which the page forms and the API both feed."""

import datetime as dt

import pytest
from django.utils import translation

from headwater.core.errors import DomainError
from headwater.health.inputs import CheckInInput, UnitReportInput
from headwater.health.tests.conftest import at

DAY = dt.date(2026, 2, 3)


@pytest.fixture(autouse=True)
def morning(clock_at):
    clock_at(at(DAY, 9, 0))


def test_a_checkin_names_every_bad_field_at_once(org):
    with pytest.raises(DomainError) as refused:
        CheckInInput.parse({"temperature": "abc", "symptoms": ["sneezing"], "left_city": True}, org)

    assert (refused.value.code, refused.value.message) == ("invalid", "请更正标出的字段。")
    assert refused.value.fields == {
        "temperature": "请以数字填写体温，如 36.5。",
        "symptoms": "未知症状。",
        "travel_to": "请填写去了哪里。",
    }


def test_details_under_a_switch_that_is_off_are_dropped_unchecked(org):
    long_ago = (DAY - dt.timedelta(days=90)).isoformat()

    answer = CheckInInput.parse(
        {"temperature": "36.5", "travel_to": "武汉", "returned_on": long_ago}
        | {"last_contact_on": long_ago},
        org,
    )

    assert (answer.travel_to, answer.returned_on, answer.last_contact_on) == ("", None, None)


def test_a_checkin_gets_the_open_slot_and_its_defaults(org):
    answer = CheckInInput.parse({"temperature": 36.54}, org)

    assert answer == CheckInInput(slot="am", temperature=answer.temperature)
    assert (str(answer.temperature), answer.whereabouts, answer.household) == (
        "36.5",
        "at_work",
        "well",
    )
    assert answer.is_abnormal(fever_threshold=answer.temperature) is True


def test_a_zero_report_counts_no_abnormal_case_and_bad_counts_are_named():
    report = UnitReportInput.parse({"on_duty": "3", "abnormal": "0"}, " 无 ", zero=True)
    assert (report.counts["on_duty"], report.counts["abnormal"], report.notes) == (3, 0, "无")

    with pytest.raises(DomainError) as refused:
        UnitReportInput.parse({"on_duty": "-1", "on_leave": "x"})
    assert list(refused.value.fields) == ["on_duty", "on_leave"]


def test_a_zero_report_claiming_abnormal_people_is_refused_not_rewritten():
    with pytest.raises(DomainError) as refused, translation.override("en"):
        UnitReportInput.parse({"on_duty": "3", "abnormal": "2"}, zero=True)
    assert refused.value.message == "The counts contradict each other; nothing was saved."
    assert refused.value.fields == {
        "abnormal": "A zero report has no abnormal people, but 2 are entered. Send the report "
        "with the counts instead, or enter 0 if nobody is abnormal."
    }


def test_more_abnormal_people_than_the_report_counts_is_refused():
    with pytest.raises(DomainError) as refused, translation.override("en"):
        UnitReportInput.parse({"on_duty": "1", "isolated": "1", "abnormal": "3"})
    assert list(refused.value.fields) == ["abnormal"]
    assert (
        "3 abnormal people, but the report counts only 2 people"
        in (refused.value.fields["abnormal"])
    )
    assert (
        UnitReportInput.parse({"on_duty": "1", "isolated": "1", "abnormal": "2"}).counts["abnormal"]
        == 2
    )
