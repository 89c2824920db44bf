"""The passes API as a member of staff, the office, a guard, a unit head and another
organization: one's own pass, cards (list, issue, revoke, print), keys (list, rotate, retire)
and what a scanner syncs; refusals in the one error shape with nothing changed."""

import json

from headwater.access import signing
from headwater.access.models import PassCard, SigningKey
from headwater.access.services import passes
from headwater.access.tests.factories_passes import PassCardFactory, make_guard

API = "/api/v1/access"


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


def cards():
    return list(PassCard.objects.order_by("pk").values_list("pk", "revoked_at", "revoke_reason"))


def test_staff_get_their_own_pass_with_its_qr(client, staff_user, org):
    client.force_login(staff_user)
    answer = client.get(f"{API}/pass")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["seconds"], body["seconds_left"]) == (60, 60)
    assert body["qr"].startswith("data:image/svg+xml;base64,")
    claims = signing.verify(body["token"], org)
    assert (claims.kind, claims.subject_id) == ("p", staff_user.person_id)


def test_a_login_without_a_person_has_no_pass(client, org):
    from headwater.core.tests.factories import make_user

    client.force_login(make_user("robot", organization=org, roles=[("office", None)]))
    assert client.get(f"{API}/pass").status_code == 404


def test_the_office_issues_lists_revokes_and_prints_a_card(client, office_user, people):
    client.force_login(office_user)
    person = people["operator"]
    first = post(client, f"{API}/cards", {"person_id": person.pk}, HTTP_IDEMPOTENCY_KEY="a1")
    again = post(client, f"{API}/cards", {"person_id": person.pk}, HTTP_IDEMPOTENCY_KEY="a1")
    assert (first.status_code, again.status_code) == (201, 200)
    card = first.json()
    assert again.json()["id"] == card["id"]
    shown = (card["person_name"], card["unit_name"], card["state"])
    assert shown == ("李操作", "运行甲班", "active")
    listed = client.get(f"{API}/cards", {"q": "李操作"}).json()
    assert (listed["count"], listed["items"][0]["serial"]) == (1, card["serial"])
    pdf = client.get(f"{API}/cards/{card['id']}/pdf")
    assert (pdf.status_code, pdf["Content-Type"], pdf.content[:4]) == (
        200,
        "application/pdf",
        b"%PDF",
    )
    many = post(client, f"{API}/cards/print", {"card_ids": [card["id"]]})
    assert many.status_code == 200 and many.content[:4] == b"%PDF"
    revoked = post(client, f"{API}/cards/{card['id']}/revoke", {"reason": "遗失"})
    assert (revoked.status_code, revoked.json()["state"]) == (200, "revoked")
    twice = post(client, f"{API}/cards/{card['id']}/revoke", {"reason": "别的"})
    assert (twice.status_code, twice.json()["revoke_reason"]) == (200, "遗失")
    assert client.get(f"{API}/cards", {"state": "revoked"}).json()["count"] == 1
    assert client.get(f"{API}/cards", {"state": "active"}).json()["count"] == 0


def test_an_issue_naming_nobody_is_refused_with_nothing_written(client, office_user, outsider):
    client.force_login(office_user)
    answer = post(client, f"{API}/cards", {"person_id": outsider.person_id})
    assert answer.status_code == 400
    assert list(answer.json()["error"]["fields"]) == ["employee_no"]
    assert PassCard.objects.count() == 0


def test_a_revocation_without_a_reason_is_refused(client, office_user, people):
    card = PassCardFactory(person=people["operator"])
    client.force_login(office_user)
    before = cards()
    answer = post(client, f"{API}/cards/{card.pk}/revoke", {"reason": " "})
    assert (answer.status_code, list(answer.json()["error"]["fields"])) == (400, ["reason"])
    assert cards() == before


def test_staff_see_their_own_card_only_and_cannot_act(client, staff_user, people):
    mine = PassCardFactory(person=people["operator"])
    theirs = PassCardFactory(person=people["head"])
    client.force_login(staff_user)
    listed = client.get(f"{API}/cards").json()
    assert [c["id"] for c in listed["items"]] == [mine.pk]
    assert client.get(f"{API}/cards/{theirs.pk}").status_code == 404
    assert client.get(f"{API}/cards/{theirs.pk}/pdf").status_code == 404
    before = cards()
    assert post(client, f"{API}/cards/{theirs.pk}/revoke", {"reason": "x"}).status_code == 404
    refused = post(client, f"{API}/cards/{mine.pk}/revoke", {"reason": "x"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "forbidden")
    assert post(client, f"{API}/cards", {"person_id": people["head"].pk}).status_code == 403
    assert client.get(f"{API}/cards/{mine.pk}/pdf").status_code == 403
    assert cards() == before


def test_another_organization_sees_none_of_our_cards_or_keys(client, outsider, people, org):
    card = PassCardFactory(person=people["operator"])
    key = signing.ensure_key(org)
    client.force_login(outsider)
    assert client.get(f"{API}/cards").json()["count"] == 0
    assert client.get(f"{API}/cards/{card.pk}").status_code == 404
    assert post(client, f"{API}/cards/{card.pk}/revoke", {"reason": "x"}).status_code == 404
    assert post(client, f"{API}/keys/{key.pk}/retire").status_code == 404
    assert key.key_id not in json.dumps(client.get(f"{API}/keys").json())
    synced = client.get(f"{API}/keys/public").json()
    assert key.key_id not in synced["keys"] and card.serial not in synced["revoked_serials"]
    assert cards() == [(card.pk, None, "")]


def test_the_office_rotates_and_retires_keys(client, office_user, org):
    old = signing.ensure_key(org)
    client.force_login(office_user)
    made = post(client, f"{API}/keys/rotate")
    assert made.status_code == 201
    listed = client.get(f"{API}/keys").json()
    assert [k["key_id"] for k in listed] == [made.json()["key_id"], old.key_id]
    assert "private_key" not in json.dumps(listed)
    retired = post(client, f"{API}/keys/{old.pk}/retire")
    assert retired.status_code == 200 and retired.json()["retired_at"]
    last = post(client, f"{API}/keys/{made.json()['id']}/retire")
    assert (last.status_code, last.json()["error"]["code"]) == (400, "no_signing_key")
    assert SigningKey.objects.filter(retired_at=None).count() == 1


def test_staff_and_unit_heads_cannot_see_or_change_keys(client, staff_user, unit_head_user, org):
    key = signing.ensure_key(org)
    for user in (staff_user, unit_head_user):
        client.force_login(user)
        assert client.get(f"{API}/keys").status_code == 403
        assert post(client, f"{API}/keys/rotate").status_code == 403
        assert post(client, f"{API}/keys/{key.pk}/retire").status_code == 404
        assert client.get(f"{API}/keys/public").status_code == 403
    assert list(SigningKey.objects.values_list("pk", "retired_at")) == [(key.pk, None)]


def test_a_guard_syncs_the_public_keys_and_the_revocation_list(client, office_user, people, org):
    card, _ = passes.issue_card(people["head"], by=office_user)
    passes.revoke_card(card, "离职", by=office_user)
    old = signing.ensure_key(org)
    new, _ = passes.rotate_key(org, by=office_user)
    client.force_login(make_guard(people["other_plant"]))
    synced = client.get(f"{API}/keys/public").json()
    assert synced["organization_id"] == org.pk
    assert synced["keys"] == {old.key_id: old.public_key, new.key_id: new.public_key}
    assert synced["revoked_serials"] == [card.serial]
    assert "private" not in json.dumps(synced)


def test_nobody_signed_in_gets_401(client, org):
    assert client.get(f"{API}/pass").status_code == 401
    assert client.get(f"{API}/keys/public").status_code == 401
