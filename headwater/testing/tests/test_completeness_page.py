"""The completeness page, its live part, its Excel export and its API, for the office, a
unit head, a desk operator and people who may not see the campaign."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from headwater.testing.tests.factories_completeness import gappy_campaign


@pytest.fixture
def gaps(campaign, people):
    return gappy_campaign(campaign, people)


def url(campaign, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("testing:completeness", args=[campaign.pk]) + (f"?{query}" if query else "")


def test_the_office_page_shows_the_gaps_and_the_first_gap_names(
    client, office_user, campaign, gaps
):
    client.force_login(office_user)
    response = client.get(url(campaign))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["gap"] == "not_sampled"
    assert [p.name for p in response.context["rows_of_gap"]] == ["王厂长", "孙监理"]
    assert [(k, n) for k, _label, n in response.context["gaps"]] == [
        ("not_sampled", 2),
        ("no_result", 3),
        ("tube_mismatch", 2),
        ("two_tubes", 2),
        ("orphan_results", 1),
        ("retests", 2),
    ]
    assert "137****2222" in page and "13700002222" not in page
    assert 'hx-trigger="every 20s"' in page


def test_a_gap_tab_lists_its_tubes(client, office_user, campaign, gaps):
    client.force_login(office_user)
    response = client.get(url(campaign, gap="orphan_results"))
    assert [t.barcode for t in response.context["rows_of_gap"]] == ["T4"]


def test_htmx_gets_the_live_part_alone(client, office_user, campaign, gaps):
    client.force_login(office_user)
    response = client.get(url(campaign, gap="retests"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates[:1]] == ["testing/completeness_live.html"]
    assert "<html" not in response.content.decode()


def test_a_unit_head_sees_their_people_and_no_outsiders(client, unit_head_user, campaign, gaps):
    client.force_login(unit_head_user)
    response = client.get(url(campaign))
    page = response.content.decode()
    assert response.context["totals"].roster == 2
    assert "孙监理" not in page and "宏远监理" not in page and "赵二厂" not in page
    assert "orphan_results" not in [g[0] for g in response.context["gaps"]]


def test_a_unit_head_asking_for_another_unit_or_a_company_gets_404(
    client, unit_head_user, campaign, gaps, tree
):
    client.force_login(unit_head_user)
    assert client.get(url(campaign, unit=tree["plant2"].pk)).status_code == 404
    assert client.get(url(campaign, company="宏远监理")).status_code == 404


def test_a_desk_operator_sees_their_campaign(client, desk_user, campaign, gaps):
    client.force_login(desk_user)
    response = client.get(url(campaign))
    assert response.context["totals"].roster == 7


def test_staff_and_other_organizations_get_404(client, staff_user, outsider, campaign, gaps):
    for user in (staff_user, outsider):
        client.force_login(user)
        assert client.get(url(campaign)).status_code == 404
        export = reverse("testing:completeness_export", args=[campaign.pk])
        assert client.get(export).status_code == 404


def test_the_current_page_leads_to_the_running_campaign(client, office_user, campaign, gaps):
    client.force_login(office_user)
    response = client.get(reverse("testing:completeness_current"))
    assert response.status_code == 302
    assert response["Location"] == url(campaign)


def test_without_a_campaign_the_current_page_says_so(client, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("testing:completeness_current"))
    assert response.status_code == 200
    assert "no-campaign" in response.content.decode()


def test_the_export_has_the_summary_and_one_sheet_per_gap(
    client, english, office_user, campaign, gaps
):
    client.force_login(office_user)
    response = client.get(reverse("testing:completeness_export", args=[campaign.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "By unit",
        "Not sampled",
        "Sampled, no result",
        "Tube count differs",
        "Sampled twice or in conflict",
        "Result for an unregistered tube",
        "Retests pending",
    ]
    rows = list(book["Not sampled"].iter_rows(values_only=True))
    assert rows[0] == ("Name", "Unit or company", "Phone", "Status", "Tubes", "Note")
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [
        ("王厂长", "第一水厂", "Not sampled"),
        ("孙监理", "宏远监理", "Not sampled"),
    ]
    assert rows[2][2] == "137****2222"
    summary = list(book["By unit"].iter_rows(values_only=True))
    assert summary[0][:5] == (
        "Unit or company",
        "On the roster",
        "Sampled",
        "Sampled (%)",
        "Not sampled",
    )
    assert summary[-1][:5] == ("Total", 7, 5, 71.4, 2)
    tubes = list(book["Tube count differs"].iter_rows(values_only=True))
    assert tubes[1:] == [
        ("T1", 1 + 1, None, 1, "Awaiting result", "李操作、郑监理"),
        ("T2", 2, 3, 5, "Negative", "李操作、赵二厂"),
    ]


def test_a_unit_heads_export_leaves_out_outsiders_and_unregistered_tubes(
    client, unit_head_user, campaign, gaps
):
    client.force_login(unit_head_user)
    response = client.get(reverse("testing:completeness_export", args=[campaign.pk]))
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 6
    text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "宏远监理" not in text and "孙监理" not in text and "T4" not in text


def test_the_api_answers_what_the_page_shows(client, office_user, campaign, gaps):
    client.force_login(office_user)
    body = client.get(f"/api/v1/testing/campaigns/{campaign.pk}/completeness").json()
    assert body["totals"]["roster"] == 7
    assert {g["key"]: g["count"] for g in body["gaps"]} == {
        "not_sampled": 2,
        "no_result": 3,
        "tube_mismatch": 2,
        "two_tubes": 2,
        "orphan_results": 1,
        "retests": 2,
    }
    assert body["rows"][0]["label"] == "宏远监理"
    names = client.get(
        f"/api/v1/testing/campaigns/{campaign.pk}/completeness/names?gap=two_tubes"
    ).json()
    assert names["count"] == 2
    assert [(i["name"], i["tubes"]) for i in names["items"]] == [
        ("李操作", ["T1", "T2"]),
        ("郑监理", ["T1"]),
    ]


def test_the_api_scopes_a_unit_head_and_refuses_others(
    client, unit_head_user, staff_user, campaign, gaps
):
    client.force_login(unit_head_user)
    body = client.get(f"/api/v1/testing/campaigns/{campaign.pk}/completeness").json()
    assert (body["totals"]["roster"], body["whole"]) == (2, False)
    orphans = client.get(
        f"/api/v1/testing/campaigns/{campaign.pk}/completeness/names?gap=orphan_results"
    ).json()
    assert orphans == {"items": [], "count": 0}
    client.force_login(staff_user)
    response = client.get(f"/api/v1/testing/campaigns/{campaign.pk}/completeness")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_an_unknown_gap_is_refused(client, office_user, campaign, gaps):
    client.force_login(office_user)
    response = client.get(f"/api/v1/testing/campaigns/{campaign.pk}/completeness/names?gap=x")
    assert response.status_code == 422
