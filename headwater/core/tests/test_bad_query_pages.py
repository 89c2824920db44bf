"""A list page given a query value it cannot use shows the page with a message, never a 500
(issue 9)."""

import pytest


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("unit", ["abc", "²", str(2**63)])
def test_people_page_with_a_bad_unit_shows_everyone_in_scope_and_says_why(
    client, office_user, people, unit
):
    client.force_login(office_user)
    response = client.get("/core/people/", {"unit": unit})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 4
    (message,) = messages_of(response)
    assert message.startswith("单位")


@pytest.mark.parametrize(
    "query", [{"date_from": "abc"}, {"date_to": "2026-02-30"}, {"date_from": "0001-01-01"}]
)
def test_audit_page_with_a_bad_date_shows_the_trail_and_says_why(client, office_user, query):
    client.force_login(office_user)
    response = client.get("/core/audit/", query)
    assert response.status_code == 200
    assert len(messages_of(response)) == 1


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2026-02-30"])
def test_overview_page_with_a_date_outside_the_records_shows_today(client, office_user, date):
    client.force_login(office_user)
    response = client.get("/health/overview/", {"date": date})
    assert response.status_code == 200
    assert messages_of(response) == ["请选择今天或之前的日期。"]
