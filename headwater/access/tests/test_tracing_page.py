"""The tracing page /access/tracing/: the office finds a person, traces, opens follow-ups for
the chosen contacts; others get 403 and nothing."""

import pytest

from headwater.access.tests.factories_tracing import D, at, gate, passage
from headwater.health.models import StatusRecord

pytestmark = pytest.mark.django_db
URL = "/access/tracing/"


@pytest.fixture
def met(org, people):
    east = gate(org, "东门")
    passage(people["operator"], east, at(D, 8, 0))
    passage(people["head"], east, at(D, 8, 3))
    return people


def test_search_then_trace_shows_contacts_with_evidence_and_graph_data(client, office_user, met):
    client.force_login(office_user)

    found = client.get(URL, {"q": "李"})
    traced = client.get(
        URL, {"person_id": met["operator"].pk, "start": "2026-03-10", "end": "2026-03-10"}
    )

    assert found.status_code == 200
    assert f'<option value="{met["operator"].pk}">李操作' in found.content.decode()
    page = traced.content.decode()
    assert traced.status_code == 200
    assert page.count('data-testid="contact"') == 1
    assert "王厂长" in page and "同一卡点" in page and "东门 · 2026-03-10 08:00" in page
    assert 'id="trace-data"' in page


def test_a_bad_window_is_named_and_nothing_traced(client, office_user, met):
    client.force_login(office_user)
    answer = client.get(URL, {"person_id": met["operator"].pk, "start": "2026-13-40"})
    assert answer.status_code == 200
    assert 'data-testid="error"' in answer.content.decode()
    assert 'data-testid="contact"' not in answer.content.decode()


def test_follow_ups_for_the_chosen_contacts(client, office_user, met):
    client.force_login(office_user)
    data = {"person_ids": [met["head"].pk], "reason": "密接", "action": "followup", "back": "q=x"}

    answer = client.post(URL, data)
    again = client.post(URL, data, follow=True)

    assert (answer.status_code, answer["Location"]) == (302, f"{URL}?q=x")
    assert StatusRecord.objects.filter(person=met["head"]).count() == 1
    assert "已开启：0" in again.content.decode()


def test_only_the_office_sees_the_page(client, staff_user, unit_head_user, met):
    for user in (staff_user, unit_head_user):
        client.force_login(user)
        assert client.get(URL, {"person_id": met["operator"].pk}).status_code == 403
        assert client.post(URL, {"person_ids": [met["head"].pk], "reason": "x"}).status_code == 403
    assert StatusRecord.objects.count() == 0
