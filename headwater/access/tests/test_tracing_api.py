"""POST /api/v1/access/tracing and /tracing/followups: the office's trace and follow-ups;
anybody else refused (403), another organization's person not found (404), nothing written."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from headwater.access.tests.factories_tracing import D, at, gate, passage
from headwater.health.models import StatusRecord

pytestmark = pytest.mark.django_db
URL = "/api/v1/access/tracing"


@pytest.fixture
def met(org, people):
    east = gate(org, "东门")
    passage(people["operator"], east, at(D, 8, 0))
    passage(people["head"], east, at(D, 8, 3))
    return people


def body(person, **extra):
    return {
        "person_id": person.pk,
        "start": at(D, 0).isoformat(),
        "end": at(D + dt.timedelta(days=1), 0).isoformat(),
        **extra,
    }


def test_the_office_traces_through_the_api(client, office_user, met):
    client.force_login(office_user)

    answer = client.post(URL, body(met["operator"]), content_type="application/json")

    assert answer.status_code == 200
    data = answer.json()
    assert [(c["name"], c["level"], c["score"]) for c in data["level1"]] == [("王厂长", 1, 1)]
    evidence = data["level1"][0]["evidence"][0]
    assert (evidence["kind"], evidence["at"], evidence["other_at"]) == (
        "gate",
        "2026-03-10T08:00:00+08:00",
        "2026-03-10T08:03:00+08:00",
    )
    assert (data["level2"], data["capped"], data["depth"]) == ([], False, 2)
    assert data["edges"] == [
        {"source": met["operator"].pk, "target": met["head"].pk, "level": 1, "score": 1}
    ]


def test_the_window_defaults_to_the_last_fourteen_days(client, office_user, met):
    client.force_login(office_user)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("headwater.core.clock.now", lambda: at(D, 20))
        only = {"person_id": met["operator"].pk}
        answer = client.post(URL, only, content_type="application/json")
    data = answer.json()
    assert (data["start"], data["end"]) == (
        at(D - dt.timedelta(days=14), 20).isoformat(),
        at(D, 20).isoformat(),
    )
    assert len(data["level1"]) == 1


def test_others_are_refused_and_nothing_is_recorded(client, staff_user, outsider, met):
    client.force_login(staff_user)
    refused = client.post(URL, body(met["operator"]), content_type="application/json")
    assert refused.status_code == 403
    client.force_login(outsider)
    answer = client.post(URL, body(met["operator"]), content_type="application/json")
    assert answer.status_code == 404
    assert not LogEntry.objects.filter(changes__icontains="trace").exists()


def test_a_bad_depth_is_refused_in_the_error_shape(client, office_user, met):
    client.force_login(office_user)
    answer = client.post(URL, body(met["operator"], depth=3), content_type="application/json")
    assert answer.status_code == 422
    assert "error" in answer.json()


def test_followups_open_once_through_the_api(client, office_user, staff_user, met):
    payload = {"person_ids": [met["head"].pk], "reason": "李操作的密接"}
    client.force_login(staff_user)
    refused = client.post(f"{URL}/followups", payload, content_type="application/json")
    client.force_login(office_user)
    first = client.post(f"{URL}/followups", payload, content_type="application/json")
    again = client.post(f"{URL}/followups", payload, content_type="application/json")

    assert refused.status_code == 403
    assert (first.status_code, first.json()) == (
        200,
        {"action": "followup", "opened": [met["head"].pk], "already": []},
    )
    assert again.json() == {"action": "followup", "opened": [], "already": [met["head"].pk]}
    assert StatusRecord.objects.filter(person=met["head"]).count() == 1
