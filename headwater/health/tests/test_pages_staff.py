"""The staff member's phone pages: /health/checkin/ (check in, correct, see the code) and
/health/me/ (the health timeline)."""

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from headwater.core.choices import ResponseLevel
from headwater.core.models import IdempotencyKey, ResponseLevelChange
from headwater.core.tests.factories import make_user
from headwater.health.models import CheckIn, FollowUp, HealthCode

SHANGHAI = ZoneInfo("Asia/Shanghai")
FEB3 = dt.date(2026, 2, 3)
CHECKIN = "/health/checkin/"
ME = "/health/me/"


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), SHANGHAI)


def zh(message: str, **values) -> str:
    """What the page shows for `message` (pages are Chinese by default)."""
    with translation.override("zh-hans"):
        text = translation.gettext(message)
    return text % values if values else text


def form(**overrides) -> dict:
    data = {
        "key": "key-1",
        "slot": "am",
        "temperature": "36.5",
        "whereabouts": "at_work",
        "location_note": "",
        "travel_to": "",
        "returned_on": "",
        "last_contact_on": "",
        "household": "well",
        "household_note": "",
    }
    data.update(overrides)
    return data


def keys_in(html: str) -> list[str]:
    return re.findall(r'name="key" value="([0-9a-f]{32})"', html)


@pytest.fixture
def morning():
    with time_machine.travel(at(FEB3, 9), tick=False) as traveller:
        yield traveller


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def test_checkin_page_renders_a_fresh_key_each_time_and_a_first_green_code(staff, people, morning):
    first = staff.get(CHECKIN)
    second = staff.get(CHECKIN)

    assert first.status_code == 200
    assert len(keys_in(first.content.decode())) == 1
    assert keys_in(first.content.decode()) != keys_in(second.content.decode())
    assert 'inputmode="decimal"' in first.content.decode()
    assert first.context["code"].colour == "green"
    assert 'data-testid="code-card" data-colour="green"' in first.content.decode()
    assert HealthCode.objects.count() == 0  # shown, not stored: a GET writes nothing
    assert CheckIn.objects.count() == 0


def test_staff_checks_in_and_is_sent_back_to_the_page_with_the_code(
    staff, staff_user, people, tree, morning
):
    response = staff.post(CHECKIN, form(location_note="一号泵房"))

    assert response.status_code == 302
    assert response["Location"] == CHECKIN
    checkin = CheckIn.objects.get()
    assert (checkin.person, checkin.unit, checkin.date, checkin.slot) == (
        people["operator"],
        tree["shift_a"],
        FEB3,
        "am",
    )
    assert checkin.temperature == Decimal("36.5")
    assert checkin.symptoms == []
    assert (checkin.whereabouts, checkin.location_note) == ("at_work", "一号泵房")
    assert (checkin.left_city, checkin.travel_to, checkin.returned_on) == (False, "", None)
    assert (checkin.contact_confirmed, checkin.contact_suspected, checkin.contact_risk_area) == (
        False,
        False,
        False,
    )
    key = IdempotencyKey.objects.get(action="health.checkin")  # the key is kept in core now
    assert (checkin.household, checkin.is_abnormal, key.key) == (
        "well",
        False,
        "key-1",
    )
    assert checkin.submitted_at == at(FEB3, 9)
    assert FollowUp.objects.count() == 0

    page = staff.get(CHECKIN)
    html = page.content.decode()
    assert 'data-colour="green"' in html
    assert 'data-testid="already"' in html
    assert page.context["form"].initial["temperature"] == Decimal("36.5")


def test_retried_post_with_the_same_key_creates_no_second_checkin(staff, people, morning):
    first = staff.post(CHECKIN, form(key="retry-key"))
    again = staff.post(CHECKIN, form(key="retry-key", temperature="36.9"))

    assert (first.status_code, again.status_code) == (302, 302)
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().temperature == Decimal("36.5")  # the retry changed nothing


@pytest.mark.parametrize("temperature", ["33.9", "42.6"])
def test_temperature_outside_range_is_refused_with_the_message_and_nothing_stored(
    staff, people, morning, temperature
):
    response = staff.post(CHECKIN, form(temperature=temperature))

    assert response.status_code == 200
    message = zh("%(t)s °C is outside 34.0–42.5 °C; please measure again.", t=temperature)
    assert response.context["form"].errors == {"temperature": [message]}
    assert f'data-testid="error-temperature">{message}</div>' in response.content.decode()
    assert CheckIn.objects.count() == 0
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"temperature": ""}, "temperature", "Enter the temperature as a number, e.g. 36.5."),
        ({"temperature": "abc"}, "temperature", "Enter the temperature as a number, e.g. 36.5."),
        ({"left_city": "on"}, "travel_to", "Say where you went."),
        (
            {"left_city": "on", "travel_to": "武汉", "returned_on": "2026-02-04"},
            "returned_on",
            "The date must be within the last 30 days.",
        ),
        (
            {"contact_confirmed": "on", "last_contact_on": "2025-12-01"},
            "last_contact_on",
            "The date must be within the last 30 days.",
        ),
        ({"slot": "pm"}, "slot", "This slot is not open at the current response level."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_stored(
    staff, people, morning, overrides, field, message
):
    response = staff.post(CHECKIN, form(**overrides))

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [zh(message)]}
    assert CheckIn.objects.count() == 0


def test_travel_details_under_a_switch_turned_off_are_not_stored(staff, people, morning):
    response = staff.post(
        CHECKIN, form(travel_to="武汉", returned_on="2026-02-01", last_contact_on="2026-02-02")
    )

    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.left_city, checkin.travel_to, checkin.returned_on) == (False, "", None)
    assert checkin.last_contact_on is None


def test_travel_and_contact_details_are_stored_when_switched_on(staff, people, morning):
    staff.post(
        CHECKIN,
        form(
            left_city="on",
            travel_to="上海",
            returned_on="2026-02-01",
            contact_risk_area="on",
            last_contact_on="2026-02-02",
        ),
    )

    checkin = CheckIn.objects.get()
    assert (checkin.left_city, checkin.travel_to, checkin.returned_on) == (
        True,
        "上海",
        dt.date(2026, 2, 1),
    )
    assert (checkin.contact_risk_area, checkin.last_contact_on) == (True, dt.date(2026, 2, 2))
    assert checkin.is_abnormal is True


def test_unknown_choice_is_refused_by_the_form(staff, people, morning):
    response = staff.post(CHECKIN, form(whereabouts="moon"))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["whereabouts"]
    assert CheckIn.objects.count() == 0


def test_correction_before_the_window_closes_updates_the_row_and_is_audited(
    staff, staff_user, people, morning
):
    staff.post(CHECKIN, form(key="first"))
    morning.move_to(at(FEB3, 15))
    page = staff.get(CHECKIN)
    assert 'data-testid="already"' in page.content.decode()
    key = page.context["form"].initial["key"]

    response = staff.post(CHECKIN, form(key=key, temperature="37.8", symptoms=["cough"]))

    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.temperature, checkin.symptoms, checkin.is_abnormal) == (
        Decimal("37.8"),
        ["cough"],
        True,
    )
    assert (checkin.submitted_at, checkin.updated_at) == (at(FEB3, 9), at(FEB3, 15))
    update = LogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(CheckIn),
        object_pk=str(checkin.pk),
        action=LogEntry.Action.UPDATE,
    )
    assert update.actor == staff_user
    assert update.changes_dict["temperature"] == ["36.5", "37.8"]
    assert FollowUp.objects.filter(checkin=checkin).count() == 1


def test_a_checkin_in_a_closed_slot_is_refused_and_the_next_try_goes_to_the_open_slot(
    staff, org, people, morning
):
    ResponseLevelChange.objects.create(organization=org, level=ResponseLevel.LEVEL_1, reason="x")
    opened = staff.get(CHECKIN)
    assert opened.context["slot_label"] == zh("Morning")
    morning.move_to(at(FEB3, 12, 5))  # the morning window closed at 12:00

    response = staff.post(CHECKIN, form(key=opened.context["form"].initial["key"]))

    assert response.status_code == 200
    assert response.context["form"].errors == {"slot": [zh("This check-in window has closed.")]}
    assert response.context["form"]["slot"].value() == "pm"
    assert response.context["slot_label"] == zh("Afternoon")
    assert CheckIn.objects.count() == 0


def test_fever_checkin_shows_a_yellow_code_with_the_reason_and_green_date(staff, people, morning):
    staff.post(CHECKIN, form(temperature="37.6"))

    page = staff.get(CHECKIN)

    code = HealthCode.objects.get(person=people["operator"], is_current=True)
    assert (code.colour, code.rule_name, code.green_on) == (
        "yellow",
        "发热",
        dt.date(2026, 2, 11),
    )
    html = page.content.decode()
    assert 'data-testid="code-card" data-colour="yellow"' in html
    assert "text-bg-warning" in html
    assert f'data-testid="code-reason">{code.reason}</div>' in html
    assert "2026-02-11" in html


def test_a_cough_without_fever_shows_a_yellow_code_and_what_to_do(
    staff, people, morning, unit_head_user, org
):
    from headwater.core.models import LevelSettingValue

    LevelSettingValue.objects.create(
        organization=org, key="health.office_phone", level=org.response_level, value="0731-12345"
    )
    staff.post(CHECKIN, form(symptoms=["cough"]))

    page = staff.get(ME)

    html = page.content.decode()
    assert 'data-testid="code-card" data-colour="yellow"' in html
    assert page.context["code"].reason == "呼吸道症状；连续 7 天打卡正常后转绿码"
    assert page.context["help"].steps == [
        zh(
            "Go to a fever clinic wearing a mask, without public transport, and stay at home "
            "until your code is green."
        ),
        zh("Check in every day: a day without a normal check-in starts the count again."),
    ]
    assert page.context["help"].unit_head == people["head"]
    assert "本单位负责人 王厂长（第一水厂）" in html
    assert '<a href="tel:0731-12345" data-testid="office-phone">0731-12345</a>' in html
    assert "2026-02-11，前提是此前每天打卡正常" in html


def test_a_status_code_says_it_waits_for_the_office(staff, people, morning, office_user):
    from headwater.health import services

    services.set_status(people["operator"], "close_contact", FEB3, by=office_user)

    page = staff.get(CHECKIN)

    html = page.content.decode()
    assert 'data-testid="code-card" data-colour="red"' in html
    assert page.context["code"].green_on is None
    assert "待防疫办解除状态后转绿码" in html
    assert "待防疫办解除你的状态后转绿码" in html
    assert zh("Stay at home in isolation and do not come to work until your code is green.") in (
        html
    )


def test_a_green_code_shows_no_next_steps(staff, people, morning):
    staff.post(CHECKIN, form())

    page = staff.get(ME)

    assert page.context["help"] is None
    assert 'data-testid="code-next-steps"' not in page.content.decode()


def test_checkin_needs_a_login_and_a_person(client, org, people):
    assert client.get(CHECKIN).status_code == 302
    client.force_login(make_user("robot", organization=org, roles=[("office", None)]))

    assert client.get(CHECKIN).status_code == 403
    assert client.post(CHECKIN, form()).status_code == 403
    assert CheckIn.objects.count() == 0


def test_timeline_lists_checkins_and_code_changes_newest_first(staff, people, morning):
    staff.post(CHECKIN, form(key="day-1"))
    morning.move_to(at(FEB3 + dt.timedelta(days=1), 8))
    staff.post(CHECKIN, form(key="day-2", temperature="37.6"))

    response = staff.get(ME)

    assert response.status_code == 200
    events = response.context["events"]
    assert [(e.at, "code" if e.code else "checkin") for e in events] == [
        (at(FEB3 + dt.timedelta(days=1), 8), "code"),
        (at(FEB3 + dt.timedelta(days=1), 8), "checkin"),
        (at(FEB3, 9), "code"),
        (at(FEB3, 9), "checkin"),
    ]
    assert [e.code.colour for e in events if e.code] == ["yellow", "green"]
    html = response.content.decode()
    assert re.findall(r'data-testid="timeline-(code|checkin)"', html) == [
        "code",
        "checkin",
        "code",
        "checkin",
    ]
    assert "发热；" in html
    assert "37.6 °C" in html


def test_outsider_sees_nothing_of_ours_on_the_staff_pages(client, outsider, staff, people, morning):
    staff.post(CHECKIN, form(temperature="37.9", location_note="一号泵房"))
    client.force_login(outsider)

    for url in (CHECKIN, ME):
        html = client.get(url).content.decode()
        assert "李操作" not in html
        assert "37.9" not in html
        assert "一号泵房" not in html
    assert not any(e.checkin for e in client.get(ME).context["events"])


def test_whom_to_call_is_the_nearest_unit_head_above_never_oneself(people, tree, unit_head_user):
    from headwater.health.pages_support import unit_head_of

    make_user("top", person=people["clerk"], roles=[("unit_head", tree["company"])])

    assert unit_head_of(people["operator"]) == people["head"]  # shift A → plant 1's head
    assert unit_head_of(people["head"]) == people["clerk"]  # not themselves: the company's
    assert unit_head_of(people["other_plant"]) == people["clerk"]
