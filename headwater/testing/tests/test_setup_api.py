"""The setup API as office, unit head, desk operator and another organization: what each may
see and do; refusals in the one error shape with nothing changed."""

import datetime as dt
import json

from headwater.core import clock
from headwater.testing.models import Campaign, LabelSheet, RosterEntry, Tube

API = "/api/v1/testing"


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def test_the_office_creates_opens_and_closes_a_campaign(client, office_user):
    client.force_login(office_user)
    today = clock.today().isoformat()
    response = post(
        client,
        f"{API}/campaigns",
        {"name": "第2轮", "starts_on": today, "ends_on": today, "pool_size": 10},
    )
    assert response.status_code == 201
    cid = response.json()["id"]
    assert response.json()["state"] == "draft"
    refused = post(client, f"{API}/campaigns/{cid}/open")
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, "campaign_no_site")
    assert post(client, f"{API}/campaigns/{cid}/sites", {"name": "大院"}).status_code == 201
    assert post(client, f"{API}/campaigns/{cid}/open").json()["state"] == "open"
    closed = post(client, f"{API}/campaigns/{cid}/close")
    assert closed.json()["closed_at"] is not None
    twice = post(client, f"{API}/campaigns/{cid}/close")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "campaign_not_open")


def test_an_edit_with_the_end_before_the_start_is_refused(client, office_user, campaign):
    client.force_login(office_user)
    day = (campaign.starts_on - dt.timedelta(days=3)).isoformat()
    response = client.patch(
        f"{API}/campaigns/{campaign.pk}",
        json.dumps({"ends_on": day}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["ends_on"]
    campaign.refresh_from_db()
    assert campaign.ends_on > campaign.starts_on


def test_units_are_added_and_the_roster_is_masked(client, office_user, campaign, tree):
    client.force_login(office_user)
    url = f"{API}/campaigns/{campaign.pk}/roster"
    added = post(client, f"{url}/units", {"unit_ids": [tree["plant1"].pk]})
    assert added.json() == {"added": 2, "skipped": 0}
    rows = client.get(url, {"q": "李操作"}).json()
    assert rows["count"] == 1
    assert (rows["items"][0]["phone"], rows["items"][0]["id_number"]) == (
        "139****5678",
        "3307**********1231",
    )


def test_an_import_with_a_bad_row_answers_422_with_the_rows(client, office_user, campaign):
    client.force_login(office_user)
    data = "姓名,单位/公司,手机号,身份证号\n周民工,江河建设,123,330784198505051232\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        f"{API}/campaigns/{campaign.pk}/roster/import",
        {"file": SimpleUploadedFile("名单.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 422
    assert response.json()["error"]["rows"] == [{"row": 2, "errors": ["手机号码格式不正确：123"]}]
    assert RosterEntry.objects.count() == 0


def test_labels_once_per_key_and_the_pdf(client, office_user, campaign):
    client.force_login(office_user)
    url = f"{API}/campaigns/{campaign.pk}/labels"
    first = post(client, url, {"count": 3}, HTTP_IDEMPOTENCY_KEY="abc")
    again = post(client, url, {"count": 3}, HTTP_IDEMPOTENCY_KEY="abc")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["barcodes"] == again.json()["barcodes"]
    assert Tube.objects.count() == 3
    pdf = client.get(first.json()["pdf"])
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_a_unit_head_sees_but_cannot_manage(client, unit_head_user, campaign, roster, tree):
    client.force_login(unit_head_user)
    assert client.get(f"{API}/campaigns/{campaign.pk}").status_code == 200
    assert client.get(f"{API}/campaigns/{campaign.pk}/roster").json()["count"] == 2
    refused = post(client, f"{API}/campaigns/{campaign.pk}/labels", {"count": 2})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    refused = post(client, f"{API}/campaigns/{campaign.pk}/close")
    assert refused.status_code == 403
    assert post(client, f"{API}/campaigns/{campaign.pk}/notices").status_code == 403
    assert (Tube.objects.count(), Campaign.objects.get().state) == (0, "open")


def test_a_desk_operator_sees_their_campaign_and_cannot_manage_it(
    client, desk_user, campaign, roster, org
):
    from headwater.testing.tests.factories import make_campaign

    other = make_campaign(org, name="别的")
    client.force_login(desk_user)
    listed = client.get(f"{API}/campaigns").json()
    assert [c["id"] for c in listed["items"]] == [campaign.pk]
    assert client.get(f"{API}/campaigns/{other.pk}").status_code == 404
    entry = roster[0]
    assert client.delete(f"{API}/roster/{entry.pk}").status_code == 403
    assert post(client, f"{API}/campaigns/{campaign.pk}/labels", {"count": 1}).status_code == 403
    assert RosterEntry.objects.filter(pk=entry.pk).exists()
    assert LabelSheet.objects.count() == 0


def test_another_organization_sees_nothing(client, outsider, campaign):
    client.force_login(outsider)
    assert client.get(f"{API}/campaigns/{campaign.pk}").status_code == 404
    assert client.get(f"{API}/campaigns").json()["count"] == 0
    assert post(client, f"{API}/campaigns/{campaign.pk}/close").status_code == 404
