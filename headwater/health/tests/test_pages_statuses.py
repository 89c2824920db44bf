"""The office's epidemiological statuses page: find a person, record a status (the code
follows), end one; refused to the roles that may not use it.

Pages are asked for in English (the language cookie) so that messages are the msgids."""

import datetime as dt

from headwater.core import clock
from headwater.health import services
from headwater.health.models import StatusRecord
from headwater.health.tests.office_pages import DAY, STATUSES, at, check_in, current_code


def test_office_records_a_close_contact_and_the_code_turns_red_until_the_office_ends_it(
    office, people, time_machine
):
    time_machine.move_to(at(8))
    operator = people["operator"]
    check_in(operator)

    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": operator.pk,
            "kind": "close_contact",
            "started_on": "2026-02-10",
            "exposure_on": "2026-02-08",
            "note": "同车",
        },
    )

    assert response.status_code == 302
    record = StatusRecord.objects.get(person=operator)
    assert (record.kind, record.started_on, record.exposure_on, record.ended_on, record.note) == (
        "close_contact",
        DAY,
        dt.date(2026, 2, 8),
        None,
        "同车",
    )
    code = current_code(operator)
    assert (code.colour, code.rule_name, code.green_on) == ("red", "密切接触者", None)
    page = office.get(STATUSES)
    assert list(page.context["open"]) == [record]


def test_office_ends_an_open_status(office, office_user, people, time_machine):
    time_machine.move_to(at(8))
    record, _ = services.set_status(people["operator"], "home_isolation", DAY, by=office_user)

    response = office.post(
        STATUSES, {"action": "end", "record": record.pk, "ended_on": "2026-02-10"}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.ended_on == DAY
    time_machine.move_to(at(8, day=DAY + dt.timedelta(days=1)))
    assert list(office.get(STATUSES).context["open"]) == []


def test_a_status_that_ends_before_it_starts_is_refused(office, office_user, people):
    record, _ = services.set_status(
        people["operator"], "observation", clock.today(), by=office_user
    )

    response = office.post(
        STATUSES, {"action": "end", "record": record.pk, "ended_on": "2000-01-01"}, follow=True
    )

    record.refresh_from_db()
    assert record.ended_on is None
    assert "The end is before the start." in response.content.decode()


def test_status_search_finds_people_by_name_or_employee_number(office, people):
    by_name = office.get(STATUSES, {"q": "李操"})
    by_number = office.get(STATUSES, {"q": "e3"})

    assert list(by_name.context["found"]) == [people["operator"]]
    assert list(by_number.context["found"]) == [people["other_plant"]]


def test_recording_a_status_is_refused_to_a_unit_head(client, unit_head_user, people):
    client.force_login(unit_head_user)

    response = client.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "close_contact",
            "started_on": "2026-02-10",
        },
    )

    assert response.status_code == 403
    assert StatusRecord.objects.count() == 0
    assert client.get(STATUSES).status_code == 403


def test_a_status_form_with_bad_input_records_nothing(office, people, time_machine):
    time_machine.move_to(at(8))

    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "cured",
            "started_on": "2026-02-11",
        },
    )

    assert response.status_code == 200
    assert StatusRecord.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"kind"}
    response = office.post(
        STATUSES,
        {
            "action": "set",
            "person": people["operator"].pk,
            "kind": "observation",
            "started_on": "2026-02-11",
        },
    )
    assert response.context["form"].errors == {"started_on": ["The start cannot be in the future."]}
    assert StatusRecord.objects.count() == 0
