"""The unit head's phone pages: /health/unit/ (who has checked in, abnormal first) and
/health/unit/report/ (the daily report and the one-tap zero report)."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.health import services
from headwater.health.models import UnitReport

SHANGHAI = ZoneInfo("Asia/Shanghai")
FEB3 = dt.date(2026, 2, 3)
UNIT = "/health/unit/"
REPORT = "/health/unit/report/"


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(FEB3, dt.time(hour, minute), SHANGHAI)


def zh(message: str, **values) -> str:
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % values if values else text


def check_in(user, temperature="36.5", **data) -> None:
    data = {"temperature": temperature, "whereabouts": "at_work", **data}
    services.submit_checkin(user.person, data, by=user)


def members(html: str) -> list[tuple[str, str]]:
    """(person id, status) of each member card, in page order."""
    return re.findall(r'data-testid="member" data-person="(\d+)" data-status="(\w+)"', html)


def counts(**values) -> dict:
    data = dict.fromkeys(services.REPORT_COUNTS, "0")
    data.update({k: str(v) for k, v in values.items()})
    return {"notes": "", **data}


@pytest.fixture
def morning():
    with time_machine.travel(at(9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def head(client, unit_head_user):
    client.force_login(unit_head_user)
    return client


@pytest.fixture
def newcomer(tree):
    """A member of shift A who has not checked in."""
    return PersonFactory(unit=tree["shift_a"], name="孙新人", employee_no="E5")


@pytest.fixture
def day_of_checkins(people, newcomer, unit_head_user, staff_user, morning):
    """The head normal, the operator feverish with a cough, plant 2's man feverish too."""
    check_in(unit_head_user)
    check_in(staff_user, "37.8", symptoms=["cough"])
    plant2 = make_user("p2", person=people["other_plant"], roles=[("staff", None)])
    check_in(plant2, "38.1")


def test_unit_head_sees_abnormal_first_then_missing_then_the_rest(
    head, people, newcomer, day_of_checkins
):
    response = head.get(UNIT)

    assert response.status_code == 200
    html = response.content.decode()
    assert members(html) == [
        (str(people["operator"].pk), "abnormal"),
        (str(newcomer.pk), "missing"),
        (str(people["head"].pk), "ok"),
    ]
    assert (
        response.context["done"],
        len(response.context["rows"]),
        response.context["abnormal"],
    ) == (2, 3, 1)
    assert 'data-testid="count-abnormal">1<' in html
    assert "37.8 °C，" + zh("Cough") in html
    assert "赵二厂" not in html  # plant 2 is not the head's subtree
    assert 'hx-trigger="every 60s"' in html


def test_unit_head_cannot_open_another_units_list(head, tree, day_of_checkins):
    assert head.get(UNIT, {"unit": tree["plant2"].pk}).status_code == 404
    assert head.get(UNIT, {"unit": tree["company"].pk}).status_code == 404


def test_unit_head_may_narrow_to_a_team_of_the_unit(head, tree, people, newcomer, day_of_checkins):
    html = head.get(UNIT, {"unit": tree["shift_a"].pk}).content.decode()

    assert members(html) == [
        (str(people["operator"].pk), "abnormal"),
        (str(newcomer.pk), "missing"),
    ]
    assert 'data-testid="unit-picker"' in html


def test_htmx_refresh_returns_the_list_alone(head, people, day_of_checkins):
    response = head.get(UNIT, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="unit-live"')
    assert "<html" not in html
    assert len(members(html)) == 3


def test_office_may_pick_any_unit(client, office_user, tree, people, day_of_checkins):
    client.force_login(office_user)

    everyone = client.get(UNIT).content.decode()
    plant2 = client.get(UNIT, {"unit": tree["plant2"].pk}).content.decode()

    assert len(members(everyone)) == 5
    assert members(plant2) == [(str(people["other_plant"].pk), "abnormal")]


def test_staff_may_not_open_the_unit_pages(client, staff_user, day_of_checkins):
    client.force_login(staff_user)

    assert client.get(UNIT).status_code == 403
    assert client.get(REPORT).status_code == 403
    assert client.post(REPORT, {**counts(), "zero": "1"}).status_code == 403
    assert UnitReport.objects.count() == 0


def test_outsider_sees_nothing_of_ours(client, outsider, tree, day_of_checkins):
    client.force_login(outsider)

    html = client.get(UNIT).content.decode()

    assert "李操作" not in html and "王厂长" not in html and "赵二厂" not in html
    assert members(html) == [(str(outsider.person.pk), "missing")]
    assert client.get(UNIT, {"unit": tree["plant1"].pk}).status_code == 404
    assert client.get(REPORT, {"unit": tree["plant1"].pk}).status_code == 403


def test_unit_head_files_a_zero_report(head, unit_head_user, tree, people, morning):
    check_in(unit_head_user)

    response = head.post(REPORT, {**counts(on_duty=1, abnormal=0), "zero": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{REPORT}?unit={tree['plant1'].pk}"
    report = UnitReport.objects.get()
    assert (report.unit, report.date, report.is_zero, report.abnormal, report.on_duty) == (
        tree["plant1"],
        FEB3,
        True,
        0,
        1,
    )
    assert (report.submitted_by, report.submitted_at) == (unit_head_user, at(9))
    page = head.get(REPORT).content.decode()
    assert 'data-testid="report-status" data-status="on_time"' in page


def test_report_form_is_prefilled_from_todays_checkins(head, newcomer, day_of_checkins):
    response = head.get(REPORT)

    assert response.status_code == 200
    assert response.context["suggested"] == {
        "on_duty": 2,
        "working_from_home": 0,
        "on_leave": 0,
        "isolated": 0,
        "abnormal": 1,
        "missing": 1,
    }
    assert response.context["form"].initial == {
        "on_duty": 2,
        "working_from_home": 0,
        "on_leave": 0,
        "isolated": 0,
        "abnormal": 1,
    }
    assert 'data-testid="report-status" data-status=""' in response.content.decode()


def test_zero_report_with_an_abnormal_member_asks_first_then_may_be_sent(
    head, people, day_of_checkins
):
    page = head.get(REPORT).content.decode()
    assert 'data-testid="zero-warning"' in page

    asked = head.post(REPORT, {**counts(on_duty=2), "zero": "1"})

    assert asked.status_code == 200
    assert asked.context["confirm_zero"] is True
    html = asked.content.decode()
    assert 'data-testid="zero-anyway"' in html
    assert "李操作" in html
    assert UnitReport.objects.count() == 0

    sent = head.post(REPORT, {**counts(on_duty=2), "zero": "confirm"})

    assert sent.status_code == 302
    report = UnitReport.objects.get()
    assert (report.is_zero, report.abnormal) == (True, 0)


def test_sending_again_updates_the_days_report(head, day_of_checkins, morning):
    head.post(REPORT, {**counts(on_duty=2, abnormal=1), "notes": "李操作发热，已居家观察"})
    morning.move_to(at(11))

    response = head.post(REPORT, {**counts(on_duty=1, isolated=1, abnormal=1), "zero": "0"})

    assert response.status_code == 302
    report = UnitReport.objects.get()
    assert (report.on_duty, report.isolated, report.abnormal, report.is_zero, report.notes) == (
        1,
        1,
        1,
        False,
        "",
    )
    assert report.submitted_at == at(9)  # a correction does not make the report late


@pytest.mark.parametrize("value", ["-1", "abc", "1.5"])
def test_a_bad_count_is_refused_beside_its_field_and_nothing_stored(head, day_of_checkins, value):
    response = head.post(REPORT, {**counts(), "on_duty": value})

    assert response.status_code == 200
    assert response.context["form"].errors == {"on_duty": [zh("Enter a whole number, 0 or more.")]}
    assert UnitReport.objects.count() == 0


@pytest.mark.parametrize(("hour", "status"), [(9, "on_time"), (10, "on_time"), (11, "late")])
def test_report_status_follows_the_deadline(head, unit_head_user, morning, hour, status):
    morning.move_to(at(hour))

    head.post(REPORT, {**counts(), "zero": "1"})

    assert f'data-status="{status}"' in head.get(REPORT).content.decode()


def test_no_report_after_the_deadline_shows_missing(head, unit_head_user, morning):
    morning.move_to(at(10, 1))

    html = head.get(REPORT).content.decode()

    assert 'data-testid="report-status" data-status="missing"' in html


def test_after_the_zero_report_warning_the_form_shows_todays_figures_not_the_earlier_report(
    head, unit_head_user, staff_user, tree, people, newcomer, morning
):
    # 08:00: nothing abnormal yet; the head sends a zero report with counts typed by hand.
    morning.move_to(at(8))
    head.post(REPORT, {**counts(on_duty=7, working_from_home=1), "zero": "1"})
    # 08:30: a fever; 09:00: the head taps the zero report again.
    morning.move_to(at(8, 30))
    check_in(unit_head_user)
    check_in(staff_user, "38.2")
    morning.move_to(at(9))
    page = head.get(REPORT)
    assert page.context["form"]["on_duty"].value() == 7  # the form starts from the report

    asked = head.post(REPORT, {**counts(on_duty=7, working_from_home=1), "zero": "1"})

    assert asked.context["confirm_zero"] is True
    form = asked.context["form"]
    values = {name: form[name].value() for name in services.REPORT_COUNTS}
    assert values == {
        "on_duty": 2,
        "working_from_home": 0,
        "on_leave": 0,
        "isolated": 0,
        "abnormal": 1,
    }
    html = asked.content.decode()
    assert 'data-testid="todays-figures-note"' in html
    assert re.search(r'id="id_on_duty"[^>]*value="2"|value="2"[^>]*id="id_on_duty"', html)
    # "Send the zero report anyway" sends today's figures with nobody abnormal.
    assert asked.context["zero_counts"] == {**values, "abnormal": 0}
    assert UnitReport.objects.get().on_duty == 7  # nothing sent by the warning


def test_zero_report_with_abnormal_entered_is_refused_beside_the_field(head, people, morning):
    response = head.post(REPORT, {**counts(on_duty=3, abnormal=2), "zero": "1"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "abnormal": [
            zh(
                "A zero report has no abnormal people, but %(n)s are entered. Send the report "
                "with the counts instead, or enter 0 if nobody is abnormal.",
                n=2,
            )
        ]
    }
    assert UnitReport.objects.count() == 0


def test_unit_page_offers_remind_now_with_the_number_missing(head, day_of_checkins):
    html = head.get(UNIT).content.decode()

    button = re.search(r'<button([^>]*)data-testid="remind-now"([^>]*)>(.*?)</button>', html, re.S)
    assert button is not None and "disabled" not in button.group(2)
    assert button.group(3).split() == ["提醒打卡：1", "人未打卡"]
