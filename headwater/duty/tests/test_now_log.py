"""The duty log and handovers: entries by the people on the shift during it, the handover
note to the next shift, its acknowledgement by the incoming person only, and the flag for a
shift that ended without one (one alert per shift)."""

import pytest
import time_machine

from headwater.alerts.models import Alert, InboxItem
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import make_user
from headwater.duty.inputs_now import HandoverInput, LogInput
from headwater.duty.models import Handover, LogEntry
from headwater.duty.services import now_log
from headwater.duty.tasks_now import flag_missing_handovers
from headwater.duty.tests.now_helpers import D, at, day_and_night, roster


@pytest.fixture
def shifts(control_room, operators, tree):
    day, night = day_and_night(
        roster(tree["plant1"]), control_room, D, operators[:1], operators[1:2]
    )
    return day, night


@pytest.fixture
def incoming(operators):
    return make_user("incoming", person=operators[1], roles=[("staff", None)])


def test_the_person_on_the_shift_logs_a_call(shifts, staff_user):
    with time_machine.travel(at(D, 10), tick=False):
        entry, created = now_log.add_entry(
            shifts[0], LogInput("call", "管网科来电：东区压力低"), by=staff_user, key="x"
        )
    assert created and (entry.kind, entry.written_by_id) == ("call", staff_user.pk)


def test_somebody_not_on_the_shift_may_not_log(shifts, incoming):
    with time_machine.travel(at(D, 10), tick=False), pytest.raises(NotAllowed):
        now_log.add_entry(shifts[0], LogInput("event", "x"), by=incoming)
    assert LogEntry.objects.count() == 0


def test_the_log_is_closed_long_after_the_shift(shifts, staff_user):
    with time_machine.travel(at(D, 23), tick=False), pytest.raises(DomainError) as closed:
        now_log.add_entry(shifts[0], LogInput("event", "补记"), by=staff_user)
    assert closed.value.code == "duty_log_closed"
    assert LogEntry.objects.count() == 0


def test_a_bad_entry_names_its_fields():
    with pytest.raises(DomainError) as bad:
        LogInput.parse({"kind": "gossip", "text": " "})
    assert set(bad.value.fields) == {"kind", "text"}


def test_the_incoming_person_acknowledges_the_handover(shifts, staff_user, incoming):
    with time_machine.travel(at(D, 19, 50), tick=False):
        handover, created = now_log.write_handover(
            shifts[0], HandoverInput("2号泵检修中"), by=staff_user
        )
    assert created and handover.next_shift_id == shifts[1].pk
    with time_machine.travel(at(D, 20, 5), tick=False):
        handover, acked = now_log.acknowledge(handover, by=incoming)
        again, acked_again = now_log.acknowledge(handover, by=incoming)
    assert (acked, acked_again, handover.acknowledged_by_id) == (True, False, incoming.pk)


def test_a_handover_acknowledged_by_someone_not_on_the_next_shift_is_refused(
    shifts, staff_user, unit_head_user
):
    with time_machine.travel(at(D, 19, 50), tick=False):
        handover, _ = now_log.write_handover(shifts[0], HandoverInput("正常"), by=staff_user)
        for user in (staff_user, unit_head_user):
            with pytest.raises(DomainError) as refused:
                now_log.acknowledge(handover, by=user)
            assert refused.value.code == "not_on_next_shift"
    handover.refresh_from_db()
    assert (handover.acknowledged_by_id, handover.acknowledged_at) == (None, None)


def test_an_acknowledged_handover_can_no_longer_change(shifts, staff_user, incoming):
    with time_machine.travel(at(D, 19, 50), tick=False):
        handover, _ = now_log.write_handover(shifts[0], HandoverInput("正常"), by=staff_user)
        now_log.acknowledge(handover, by=incoming)
        with pytest.raises(DomainError):
            now_log.write_handover(shifts[0], HandoverInput("改"), by=staff_user)
    handover.refresh_from_db()
    assert handover.note == "正常"


def test_a_shift_ended_without_handover_alerts_the_unit_head_once(
    shifts, staff_user, unit_head_user, client
):
    with time_machine.travel(at(D, 20, 10), tick=False):
        assert flag_missing_handovers.call_local() == 0  # still in its grace period
    with time_machine.travel(at(D, 20, 40), tick=False):
        assert flag_missing_handovers.call_local() == 1
        assert flag_missing_handovers.call_local() == 0
        client.force_login(unit_head_user)
        page = client.get("/duty/handovers/missing/").content.decode()
        missing = client.get("/api/v1/duty/handovers/missing").json()
    alert = Alert.objects.get(kind="duty.no_handover")
    assert alert.dedup_key == f"duty.no_handover:{shifts[0].pk}"
    assert list(InboxItem.objects.filter(alert=alert).values_list("user_id", flat=True)) == [
        unit_head_user.pk
    ]
    assert page.count('data-testid="missing-row"') == 1
    assert [m["shift_id"] for m in missing] == [shifts[0].pk]


def test_a_shift_with_its_handover_is_not_flagged(shifts, staff_user):
    with time_machine.travel(at(D, 19, 50), tick=False):
        now_log.write_handover(shifts[0], HandoverInput("正常"), by=staff_user)
    with time_machine.travel(at(D, 21), tick=False):
        assert flag_missing_handovers.call_local() == 0
    assert Handover.objects.count() == 1


def test_the_api_writes_the_log_and_the_handover_and_acknowledges(
    client, shifts, staff_user, incoming
):
    day = shifts[0]
    client.force_login(staff_user)
    with time_machine.travel(at(D, 19, 30), tick=False):
        entry = client.post(
            f"/api/v1/duty/shifts/{day.pk}/log",
            {"kind": "instruction", "text": "调度令：东区减压"},
            content_type="application/json",
        )
        handover = client.post(
            f"/api/v1/duty/shifts/{day.pk}/handover",
            {"note": "减压中"},
            content_type="application/json",
        )
    assert (entry.status_code, handover.status_code) == (201, 201)
    assert [e["text"] for e in client.get(f"/api/v1/duty/shifts/{day.pk}/log").json()] == [
        "调度令：东区减压"
    ]
    hid = handover.json()["id"]
    assert client.post(f"/api/v1/duty/handovers/{hid}/acknowledge").status_code == 403
    client.force_login(incoming)
    with time_machine.travel(at(D, 20, 5), tick=False):
        ack = client.post(f"/api/v1/duty/handovers/{hid}/acknowledge")
    assert (ack.status_code, ack.json()["acknowledged_by"]) == (200, "操作员1")
