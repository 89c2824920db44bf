"""The passes pages: my pass (name, unit, code colour, today's meal slot, the QR code), the
office's printed cards (filter, issue, revoke, print) and signing keys (rotate, retire); who
may open them, and refusals that change nothing."""

import datetime as dt

import pytest

from headwater.access import signing
from headwater.access.models import DiningGroup, MealSlot, PassCard, SigningKey
from headwater.access.tests.factories_passes import PassCardFactory, set_code
from headwater.core import clock
from headwater.core.tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def test_my_pass_shows_who_the_code_the_slot_and_the_qr(client, staff_user, people, tree, org):
    set_code(people["operator"], "yellow")
    canteen = SiteFactory(organization=org, unit=tree["company"], name="职工食堂", kind="canteen")
    slot = MealSlot.objects.create(
        organization=org,
        canteen=canteen,
        name="第二时段",
        starts=dt.time(11, 25),
        minutes=15,
        capacity=80,
        position=0,
    )
    DiningGroup.objects.create(
        organization=org, canteen=canteen, unit=tree["plant1"], position=0, starts_on=clock.today()
    )
    client.force_login(staff_user)
    page = client.get("/access/pass/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "李操作" in html and "运行甲班" in html
    assert 'data-colour="yellow"' in html and "text-bg-warning" in html
    assert f"职工食堂 · {slot.name} 11:25" in html
    assert 'src="data:image/svg+xml;base64,' in html
    data = page.context["pass_data"]
    assert (data["url"], data["seconds"]) == ("/api/v1/access/pass", 60)
    assert signing.verify(page.context["answer"]["token"], org).subject_id == people["operator"].pk


def test_without_a_code_the_pass_is_grey_and_says_so(client, staff_user):
    client.force_login(staff_user)
    html = client.get("/access/pass/").content.decode()
    assert 'data-colour="none"' in html and "text-bg-secondary" in html
    assert "无健康码" in html
    assert "今日无就餐时段" in html


def test_the_menu_leads_staff_to_their_pass_and_the_office_to_cards_and_keys(
    client, staff_user, office_user
):
    client.force_login(staff_user)
    html = client.get("/").content.decode()
    assert 'href="/access/pass/"' in html and 'href="/access/cards/"' not in html
    client.force_login(office_user)
    html = client.get("/").content.decode()
    assert 'href="/access/cards/"' in html and 'href="/access/keys/"' in html


def test_the_office_issues_filters_and_revokes_cards_on_the_page(client, office_user, people):
    client.force_login(office_user)
    issued = client.post(
        "/access/cards/", {"action": "issue", "employee_no": "E2", "key": "k1"}, follow=True
    )
    assert issued.status_code == 200
    card = PassCard.objects.get()
    assert card.person == people["operator"]
    page = client.get("/access/cards/", {"q": "E2", "state": "active"})
    assert [r["card"].pk for r in page.context["rows"]] == [card.pk]
    refused = client.post(
        "/access/cards/", {"action": "revoke", "card": card.pk, "reason": ""}, follow=True
    )
    assert "请说明吊销原因" in refused.content.decode()
    card.refresh_from_db()
    assert card.revoked_at is None
    client.post("/access/cards/", {"action": "revoke", "card": card.pk, "reason": "遗失"})
    card.refresh_from_db()
    assert card.revoke_reason == "遗失"
    assert client.get("/access/cards/", {"state": "active"}).context["rows"] == []


def test_an_unknown_staff_number_is_refused_with_nothing_written(client, office_user):
    client.force_login(office_user)
    page = client.post("/access/cards/", {"action": "issue", "employee_no": "NOPE"}, follow=True)
    assert "没有这个工号的员工" in page.content.decode()
    assert PassCard.objects.count() == 0


def test_cards_print_one_or_many_as_pdf_and_skip_revoked_ones(client, office_user, people):
    cards = [PassCardFactory(person=p) for p in (people["operator"], people["head"])]
    revoked = PassCardFactory(person=people["clerk"], revoked_at=clock.now(), revoke_reason="x")
    client.force_login(office_user)
    one = client.get(f"/access/cards/{cards[0].pk}/card.pdf")
    assert (one.status_code, one.content[:4]) == (200, b"%PDF")
    assert "attachment" in one["Content-Disposition"]
    many = client.get("/access/cards/print.pdf", {"card": [c.pk for c in cards] + [revoked.pk]})
    assert (many.status_code, many.content[:4]) == (200, b"%PDF")
    none = client.get("/access/cards/print.pdf", {"card": [revoked.pk]})
    assert (none.status_code, none["Location"]) == (302, "/access/cards/")


def test_the_card_pdf_holds_name_unit_masked_id_serial_and_end(office_user, people, org):
    from headwater.access import printing_passes

    card = PassCardFactory(person=people["operator"], expires_on=dt.date(2027, 1, 31))
    html = printing_passes.render_to_string(
        "access/passes_cards_pdf.html",
        {"pages": [[printing_passes.card_row(card)]], "organization": org},
    )
    for shown in ("李操作", "运行甲班", "3307**********1231", card.serial, "2027-01-31"):
        assert shown in html
    assert "330784199001011231" not in html


def test_the_office_rotates_and_retires_keys_on_the_page(client, office_user, org):
    old = signing.ensure_key(org)
    client.force_login(office_user)
    client.post("/access/keys/", {"action": "rotate"})
    new = signing.active_key(org)
    assert new.pk != old.pk
    client.post("/access/keys/", {"action": "retire", "key": old.pk})
    last = client.post("/access/keys/", {"action": "retire", "key": new.pk}, follow=True)
    assert "请先生成新密钥" in last.content.decode()
    assert list(SigningKey.objects.filter(retired_at=None)) == [new]
    page = client.get("/access/keys/")
    assert [k.key_id for k in page.context["rows"]] == [new.key_id, old.key_id]


def test_staff_and_unit_heads_cannot_open_the_office_pages(client, staff_user, unit_head_user):
    for user in (staff_user, unit_head_user):
        client.force_login(user)
        for url in ("/access/cards/", "/access/keys/", "/access/cards/print.pdf"):
            assert client.get(url).status_code == 403
        assert client.post("/access/keys/", {"action": "rotate"}).status_code == 403
    assert SigningKey.objects.count() == 0


def test_another_organization_gets_404_for_our_card_and_key(client, outsider, people, org):
    card = PassCardFactory(person=people["operator"])
    key = signing.ensure_key(org)
    client.force_login(outsider)
    assert client.get(f"/access/cards/{card.pk}/card.pdf").status_code == 404
    revoke = client.post("/access/cards/", {"action": "revoke", "card": card.pk, "reason": "x"})
    retire = client.post("/access/keys/", {"action": "retire", "key": key.pk})
    assert (revoke.status_code, retire.status_code) == (404, 404)
    assert client.get("/access/cards/").context["rows"] == []
    card.refresh_from_db()
    key.refresh_from_db()
    assert (card.revoked_at, key.retired_at) == (None, None)


def test_a_double_submit_of_the_issue_form_issues_one_card(client, office_user, people):
    client.force_login(office_user)
    key = client.get("/access/cards/").context["issue_key"]
    assert key != client.get("/access/cards/").context["issue_key"]
    for _ in range(2):
        client.post("/access/cards/", {"action": "issue", "employee_no": "E2", "key": key})
    assert PassCard.objects.filter(person=people["operator"]).count() == 1
