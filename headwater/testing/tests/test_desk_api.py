"""The desk API and pages: registration with its key (201, then 200 for the retry), refusals
in the one error shape, the roster search masked, queue numbers, people added at the desk,
the batch caller; and scope: a desk operator of another campaign gets 404."""

import datetime as dt

import pytest

from headwater.core import clock
from headwater.core.tests.factories import PersonFactory, make_user
from headwater.testing.choices import EntrySource
from headwater.testing.models import Batch, RosterEntry, Sample, Ticket
from headwater.testing.tests.factories import add_operator, make_campaign

API = "/api/v1/testing/desk"


@pytest.fixture
def site(campaign):
    return campaign.sites.get()


@pytest.fixture
def desk(client, desk_user):
    client.force_login(desk_user)
    return client


@pytest.fixture
def stranger(org, tree):
    """A desk operator of another campaign."""
    other = make_campaign(org, name="第2轮")
    person = PersonFactory(unit=tree["plant2"], name="郑别轮", employee_no="D2")
    add_operator(other, person)
    return make_user("stranger", person=person, roles=[("staff", None)])


def post(client, url, body=None, key=""):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, body or {}, content_type="application/json", **headers)


def test_registering_answers_201_then_200_for_the_same_key(desk, site, roster, tubes):
    body = {"barcode": tubes[0].barcode, "entry_id": roster[1].pk, "proxy_name": "老伴"}
    first = post(desk, f"{API}/sites/{site.pk}/samples", body, key="abc")
    again = post(desk, f"{API}/sites/{site.pk}/samples", body, key="abc")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tube"] == again.json()["tube"]
    assert first.json()["tube"]["places_left"] == 4
    assert (first.json()["name"], first.json()["proxy_name"]) == ("王厂长", "老伴")
    assert Sample.objects.count() == 1


def test_a_refusal_is_the_error_shape_and_changes_nothing(desk, site, roster):
    r = post(desk, f"{API}/sites/{site.pk}/samples", {"barcode": "NOPE", "entry_id": roster[0].pk})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "unknown_tube"
    assert Sample.objects.count() == 0


def test_an_offline_replay_carries_its_time(desk, site, roster, tubes):
    taken = (clock.now() - dt.timedelta(minutes=10)).isoformat()
    body = {"barcode": tubes[0].barcode, "entry_id": roster[0].pk, "offline": True}
    r = post(desk, f"{API}/sites/{site.pk}/samples", body | {"taken_at": taken}, key="o1")
    assert r.status_code == 201
    assert (r.json()["offline"], r.json()["conflict"]) == (True, False)


def test_the_search_finds_by_staff_number_and_masks_the_phone(desk, site, roster):
    r = desk.get(f"{API}/sites/{site.pk}/roster", {"q": "E2"})
    assert r.status_code == 200
    (found,) = r.json()
    assert (found["name"], found["phone"], found["id_number"]) == (
        "李操作",
        "139****5678",
        "3307**********1231",
    )
    assert desk.get(f"{API}/sites/{site.pk}/roster", {"q": "李"}).json()[0]["name"] == "李操作"


def test_queue_numbers_follow_each_other_and_a_retry_keeps_its_number(desk, site):
    numbers = [post(desk, f"{API}/sites/{site.pk}/tickets", key=k).json()["number"] for k in "aab"]
    assert numbers == [1, 1, 2]
    assert Ticket.objects.count() == 2


def test_a_person_is_added_at_the_desk_with_a_reason(desk, site, roster, desk_user):
    body = {"reason": "临时进场", "name": "周民工", "company": "江河建设", "phone": "13700001111"}
    r = post(desk, f"{API}/sites/{site.pk}/roster", body, key="add-1")
    assert r.status_code == 201
    entry = RosterEntry.objects.get(pk=r.json()["id"])
    assert (entry.source, entry.added_reason, entry.added_by, entry.outsider.company) == (
        EntrySource.DESK,
        "临时进场",
        desk_user,
        "江河建设",
    )
    again = post(desk, f"{API}/sites/{site.pk}/roster", {"reason": "x", "employee_no": "E1"})
    assert again.json()["error"]["code"] == "already_on_roster"


def test_the_caller_calls_numbers_and_batches(desk, site, campaign, roster):
    for k in "abc":
        post(desk, f"{API}/sites/{site.pk}/tickets", key=k)
    now = clock.now()
    batch = Batch.objects.create(
        organization=campaign.organization,
        campaign=campaign,
        site=site,
        label="一厂第一批",
        starts_at=now,
        ends_at=now + dt.timedelta(hours=1),
    )
    RosterEntry.objects.filter(pk__in=[e.pk for e in roster[:2]]).update(batch=batch)

    called = post(desk, f"{API}/sites/{site.pk}/calls", {"count": 2}).json()
    assert [t["number"] for t in called] == [1, 2]
    assert post(desk, f"{API}/batches/{batch.pk}/call").status_code == 200
    view = desk.get(f"{API}/sites/{site.pk}/calls").json()
    assert (view["next_numbers"], view["last_called"], view["issued"]) == ([3], 2, 3)
    assert [
        (b["registered"], b["waiting"], b["called_at"] is not None) for b in view["batches"]
    ] == [(0, 2, True)]
    page = desk.get(f"/testing/desk/{site.pk}/calls/")
    assert page.status_code == 200 and "一厂第一批" in page.content.decode()


def test_a_desk_operator_of_another_campaign_gets_404(client, stranger, site, roster, tubes):
    client.force_login(stranger)
    body = {"barcode": tubes[0].barcode, "entry_id": roster[0].pk}
    assert post(client, f"{API}/sites/{site.pk}/samples", body).status_code == 404
    assert client.get(f"{API}/sites/{site.pk}/roster", {"q": "E2"}).status_code == 404
    assert post(client, f"{API}/sites/{site.pk}/tickets").status_code == 404
    assert post(client, f"{API}/tubes/{tubes[0].pk}/close").status_code == 404
    assert client.get(f"/testing/desk/{site.pk}/").status_code == 404
    assert client.get(f"/testing/desk/{site.pk}/calls/").status_code == 404
    assert [c["name"] for c in client.get(API).json()] == ["第2轮"]
    assert Sample.objects.count() == Ticket.objects.count() == 0


def test_a_unit_head_who_works_no_desk_gets_404(client, unit_head_user, site, roster, tubes):
    client.force_login(unit_head_user)
    body = {"barcode": tubes[0].barcode, "entry_id": roster[0].pk}
    assert post(client, f"{API}/sites/{site.pk}/samples", body).status_code == 404
    assert client.get(f"/testing/desk/{site.pk}/calls/").status_code == 404
    assert Sample.objects.count() == 0


def test_my_desks_lists_the_operators_campaign_and_every_open_one_for_the_office(
    client, desk_user, office_user, campaign, org
):
    make_campaign(org, name="第2轮")
    client.force_login(desk_user)
    assert [c["name"] for c in client.get(API).json()] == [campaign.name]
    client.force_login(office_user)
    assert sorted(c["name"] for c in client.get(API).json()) == sorted([campaign.name, "第2轮"])
    assert "第2轮" in client.get("/testing/desk/").content.decode()


def test_closing_a_tube_by_hand(desk, site, roster, tubes):
    post(
        desk,
        f"{API}/sites/{site.pk}/samples",
        {"barcode": tubes[0].barcode, "entry_id": roster[0].pk},
    )
    r = post(desk, f"{API}/tubes/{tubes[0].pk}/close", key="c1")
    assert (r.status_code, r.json()["state"], r.json()["members"]) == (200, "closed", 1)
    empty = post(desk, f"{API}/tubes/{tubes[1].pk}/close")
    assert empty.json()["error"]["code"] == "no_open_tube"
