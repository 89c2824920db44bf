"""Recording a supervision call from the checklist: each "no" opens exactly one correction
item, a retry writes nothing again; the head of the case's unit closes an item with a note,
nobody else; who sees calls and items."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headwater.alerts.models import Alert
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import make_user
from headwater.isolation.inputs_supervision import CallInput
from headwater.isolation.models_supervision import Correction, SupervisionCall
from headwater.isolation.services import supervision
from headwater.isolation.tests.conftest import at, open_case, setting

pytestmark = pytest.mark.django_db
API = "/api/v1/isolation/supervision"
ALL_YES = {f"{f}_ok": "yes" for f in ("temperature", "family", "supplies", "helpers")}


@pytest.fixture
def calls(org, office_user, people, monitor, time_machine):
    """Two cases drawn today: one in shift A (plant 1), one in plant 2."""
    time_machine.move_to(at(9))
    setting(org, "isolation.supervision_sample", 10)
    mine = open_case(org, office_user, people["operator"], monitor=monitor)
    other = open_case(org, office_user, people["other_plant"])
    supervision.draw_sample(org, by=office_user)
    return {
        "mine": SupervisionCall.objects.get(case=mine),
        "plant2": SupervisionCall.objects.get(case=other),
    }


def answers(**noes) -> CallInput:
    data = dict(ALL_YES)
    for finding, note in noes.items():
        data[f"{finding}_ok"] = "no"
        data[f"{finding}_note"] = note
    return CallInput.parse(data)


def test_each_no_opens_exactly_one_correction(calls, office_user):
    call, created = supervision.record_call(
        calls["mine"], answers(family="家属未分室", supplies="垃圾两天未收"), by=office_user
    )

    assert created is True
    assert call.called_at is not None and call.called_by == office_user
    assert (call.family_ok, call.supplies_ok, call.temperature_ok) == (False, False, True)
    rows = Correction.objects.order_by("finding").values_list("case_id", "finding", "detail")
    assert list(rows) == [
        (call.case_id, "family", "家属未分室"),
        (call.case_id, "supplies", "垃圾两天未收"),
    ]
    assert Alert.objects.filter(kind="isolation.correction").count() == 1


def test_all_yes_opens_no_correction(calls, office_user):
    supervision.record_call(calls["mine"], answers(), by=office_user)

    assert Correction.objects.count() == 0
    assert Alert.objects.filter(kind="isolation.correction").count() == 0


def test_an_unanswered_question_is_refused_and_nothing_is_recorded(calls, office_user):
    with pytest.raises(DomainError) as refused:
        CallInput.parse({"temperature_ok": "yes", "family_ok": "maybe"})

    assert set(refused.value.fields) == {"family_ok", "supplies_ok", "helpers_ok"}
    assert SupervisionCall.objects.filter(called_at__isnull=False).count() == 0


def test_a_retry_with_the_same_key_writes_nothing_again(calls, office_user):
    first, created = supervision.record_call(
        calls["mine"], answers(helpers="志愿者未上门"), by=office_user, key="k1"
    )
    again, created_again = supervision.record_call(
        calls["mine"], answers(helpers="志愿者未上门"), by=office_user, key="k1"
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Correction.objects.count() == 1


def test_recording_a_call_twice_is_refused_and_nothing_changes(calls, office_user):
    supervision.record_call(calls["mine"], answers(), by=office_user)

    with pytest.raises(DomainError) as refused:
        supervision.record_call(calls["mine"], answers(family="x"), by=office_user)

    assert refused.value.code == "supervision_call_recorded"
    assert Correction.objects.count() == 0
    assert SupervisionCall.objects.get(pk=calls["mine"].pk).family_ok is True


def test_a_unit_head_may_not_record_a_call(calls, unit_head_user):
    with pytest.raises(NotAllowed):
        supervision.record_call(calls["mine"], answers(family="x"), by=unit_head_user)

    assert SupervisionCall.objects.get(pk=calls["mine"].pk).called_at is None
    assert Correction.objects.count() == 0


@pytest.fixture
def correction(calls, office_user):
    supervision.record_call(calls["mine"], answers(family="家属未分室"), by=office_user)
    return Correction.objects.get()


def test_the_unit_head_closes_a_correction_with_a_note(correction, unit_head_user):
    item, created = supervision.close_correction(correction, "已督促分室居住", by=unit_head_user)

    assert created is True
    item.refresh_from_db()
    assert (item.note, item.closed_by) == ("已督促分室居住", unit_head_user)
    assert item.closed_at is not None
    again, created_again = supervision.close_correction(item, "再次", by=unit_head_user)
    assert created_again is False
    assert Correction.objects.get().note == "已督促分室居住"


def test_closing_without_a_note_is_refused_and_nothing_changes(correction, unit_head_user):
    with pytest.raises(DomainError) as refused:
        supervision.close_correction(correction, "  ", by=unit_head_user)

    assert "note" in refused.value.fields
    assert Correction.objects.get().closed_at is None


@pytest.mark.parametrize("who", ["office", "other_head", "outsider", "monitor"])
def test_anyone_but_the_head_of_the_unit_is_refused(
    who, correction, office_user, outsider, monitor, people, tree
):
    users = {
        "office": office_user,
        "outsider": outsider,
        "monitor": monitor,
        "other_head": make_user(
            "head2", person=people["other_plant"], roles=[("unit_head", tree["plant2"])]
        ),
    }

    with pytest.raises(NotAllowed):
        supervision.close_correction(correction, "已整改", by=users[who])

    assert Correction.objects.get().closed_at is None


def test_the_unit_head_sees_the_items_of_their_subtree_only(calls, office_user, unit_head_user):
    supervision.record_call(calls["mine"], answers(family="a"), by=office_user)
    supervision.record_call(calls["plant2"], answers(helpers="b"), by=office_user)

    assert [c.case_id for c in Correction.objects.visible_to(unit_head_user)] == [
        calls["mine"].case_id
    ]
    assert Correction.objects.visible_to(office_user).count() == 2


def test_an_outsider_and_a_monitor_see_no_call_and_no_item(calls, office_user, outsider, monitor):
    supervision.record_call(calls["mine"], answers(family="a"), by=office_user)

    for user in (outsider, monitor):
        assert SupervisionCall.objects.visible_to(user).count() == 0
        assert Correction.objects.visible_to(user).count() == 0


def test_the_api_records_a_call_and_the_unit_head_closes_its_item(
    client, calls, office_user, unit_head_user
):
    client.force_login(office_user)
    body = json.dumps(
        {
            "temperature_ok": True,
            "family_ok": True,
            "supplies_ok": False,
            "helpers_ok": True,
            "supplies_note": "垃圾未收",
        }
    )
    url = f"{API}/calls/{calls['mine'].pk}"
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="c1")
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="c1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Correction.objects.count() == 1

    client.force_login(unit_head_user)
    items = client.get(f"{API}/corrections").json()["items"]
    assert [(i["finding"], i["detail"]) for i in items] == [("supplies", "垃圾未收")]
    close = f"{API}/corrections/{items[0]['id']}/close"
    empty = client.post(close, json.dumps({"note": ""}), content_type="application/json")
    assert empty.status_code == 400
    assert Correction.objects.get().closed_at is None
    done = client.post(close, json.dumps({"note": "已清运"}), content_type="application/json")
    assert done.status_code == 200
    assert done.json()["note"] == "已清运"


def test_the_pages_show_the_calls_and_close_an_item(client, calls, office_user, unit_head_user):
    client.force_login(office_user)
    page = client.get(reverse("isolation:supervision"))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="todo-call"') == 2
    form = dict(ALL_YES, helpers_ok="no", helpers_note="盯控人未联系", key="p1")
    response = client.post(reverse("isolation:supervision_call", args=[calls["mine"].pk]), form)
    assert response.status_code == 302
    assert Correction.objects.get().finding == "helpers"

    client.force_login(unit_head_user)
    listing = client.get(reverse("isolation:corrections")).content.decode()
    assert "盯控人未联系" in listing and 'data-testid="close"' in listing
    client.post(reverse("isolation:corrections"), {"pk": Correction.objects.get().pk, "note": ""})
    assert Correction.objects.get().closed_at is None
    client.post(
        reverse("isolation:corrections"), {"pk": Correction.objects.get().pk, "note": "已联系"}
    )
    assert Correction.objects.get().note == "已联系"
    assert client.get(reverse("isolation:supervision")).status_code == 403


@pytest.mark.skipif(
    not connection.features.has_select_for_update_of, reason="row locks: PostgreSQL only"
)
def test_recording_locks_only_the_calls_row_not_its_case_or_unit(calls, office_user):
    with CaptureQueriesContext(connection) as ctx:
        supervision.record_call(calls["mine"], answers(), by=office_user)

    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].endswith('FOR UPDATE OF "isolation_supervisioncall"')
