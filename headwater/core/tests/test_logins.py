"""Logins from the roster and their activation (core.logins, ADR 0012): bulk creation
idempotent and scoped, one-time activation codes (single use, expiry, replaced by a newer one),
the activation sheet, codes by SMS, a re-issue audited."""

import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.hashers import is_password_usable
from django.urls import reverse

from headwater.core import clock, logins, sms
from headwater.core.choices import EmploymentStatus
from headwater.core.downloads import qr_data_uri
from headwater.core.errors import NotAllowed
from headwater.core.models import ActivationCode, RoleGrant, User
from headwater.core.tests.browser.harness import SCREENSHOTS
from headwater.core.tests.factories import PersonFactory
from headwater.core.views.logins import sheet_html

API = "/api/v1"


@pytest.fixture
def outbox(settings):
    settings.HEADWATER_SMS_SENDER = "headwater.core.sms.MemorySender"
    sms.OUTBOX.clear()
    yield sms.OUTBOX
    sms.OUTBOX.clear()


def usernames():
    return set(User.objects.values_list("username", flat=True))


def test_office_creates_a_login_for_everyone_without_one(office_user, org, people):
    report = logins.create_logins(org, None, by=office_user)
    assert (report.created, report.already, report.skipped) == (3, 1, [])
    user = User.objects.get(username="E2")
    assert user.person == people["operator"]
    assert user.organization == org
    assert not is_password_usable(user.password)
    assert list(RoleGrant.objects.filter(user=user).values_list("role", "unit")) == [
        ("staff", None)
    ]
    assert LogEntry.objects.filter(changes__icontains="logins_created").count() == 1


def test_creating_logins_again_changes_nothing(office_user, org, people):
    logins.create_logins(org, None, by=office_user)
    before = list(User.objects.order_by("pk").values_list("pk", "username", "password"))
    report = logins.create_logins(org, None, by=office_user)
    assert (report.created, report.already, report.skipped) == (0, 4, [])
    assert list(User.objects.order_by("pk").values_list("pk", "username", "password")) == before
    assert RoleGrant.objects.filter(role="staff").count() == 3


def test_leavers_and_people_without_a_staff_number_are_skipped_with_the_reason(
    office_user, org, tree, people
):
    PersonFactory(unit=tree["plant2"], name="离职者", employee_no="E9", employment_status="left")
    PersonFactory(unit=tree["plant2"], name="无工号", employee_no="")
    report = logins.create_logins(org, tree["plant2"], by=office_user)
    assert report.created == 1
    assert sorted((s.name, s.reason) for s in report.skipped) == [
        ("无工号", "无工号"),
        ("离职者", "已离职"),
    ]
    assert "E9" not in usernames()


def test_a_staff_number_taken_as_another_username_is_skipped(office_user, org, tree, people):
    User.objects.create_user("E3", password="x")  # another organization's login, say
    report = logins.create_logins(org, tree["plant2"], by=office_user)
    assert report.created == 0
    assert [(s.employee_no, s.reason) for s in report.skipped] == [
        ("E3", "该工号已被其他账号用作用户名")
    ]


def test_unit_head_creates_logins_of_their_subtree_only(unit_head_user, org, tree, people):
    report = logins.create_logins(org, tree["plant1"], by=unit_head_user)
    assert (report.created, report.already) == (1, 1)  # the operator; the head has one
    assert "E2" in usernames()
    with pytest.raises(NotAllowed):
        logins.create_logins(org, tree["plant2"], by=unit_head_user)
    with pytest.raises(NotAllowed):
        logins.create_logins(org, None, by=unit_head_user)
    assert "E3" not in usernames() and "E4" not in usernames()


def test_unit_head_page_refuses_a_unit_outside_the_subtree(client, unit_head_user, tree, people):
    client.force_login(unit_head_user)
    response = client.post(reverse("core:logins_create"), {"unit": tree["plant2"].pk})
    assert response.status_code == 404
    response = client.post(reverse("core:logins_create"), {"unit": ""})
    assert response.status_code == 302
    assert "E3" not in usernames() and "E4" not in usernames()


def test_staff_cannot_open_the_logins_page(client, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("core:logins")).status_code == 403


def test_logins_page_creates_and_reports(client, office_user, tree, people):
    client.force_login(office_user)
    assert client.get(reverse("core:logins")).status_code == 200
    response = client.post(reverse("core:logins_create"), {"unit": tree["plant1"].pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="created">2<' in body
    assert 'data-testid="already">0<' in body
    again = client.post(reverse("core:logins_create"), {"unit": tree["plant1"].pk})
    assert 'data-testid="created">0<' in again.content.decode()
    assert 'data-testid="already">2<' in again.content.decode()


def test_api_creates_logins_idempotently_and_scoped(client, unit_head_user, tree, people):
    client.force_login(unit_head_user)
    url = f"{API}/logins"
    body = client.post(url, {"unit_id": tree["plant1"].pk}, content_type="application/json")
    assert body.json() == {"created": 1, "already": 1, "skipped": []}
    again = client.post(url, {"unit_id": tree["plant1"].pk}, content_type="application/json")
    assert again.json() == {"created": 0, "already": 2, "skipped": []}
    outside = client.post(url, {"unit_id": tree["plant2"].pk}, content_type="application/json")
    assert outside.status_code == 404
    assert outside.json()["error"]["code"] == "not_found"
    everyone = client.post(url, {}, content_type="application/json")
    assert everyone.status_code == 403
    assert everyone.json()["error"]["code"] == "forbidden"


# --- activation ------------------------------------------------------------------------------


@pytest.fixture
def new_login(office_user, org, people):
    logins.create_logins(org, None, by=office_user)
    return User.objects.get(username="E2")


def issue(user, by):
    return logins.issue_codes([user], by=by)[0]


def test_activation_signs_in_and_asks_for_a_password(client, new_login, office_user):
    code = issue(new_login, office_user)
    page = client.get(f"/activate/{code.code}/")
    assert page.status_code == 200
    assert "李操作" in page.content.decode()
    assert ActivationCode.objects.get().used_at is None  # a look (link preview) uses nothing

    response = client.post(f"/activate/{code.code}/")
    assert response.status_code == 302
    assert response["Location"] == "/password/set/?next=/"
    assert client.get("/").wsgi_request.user == new_login

    response = client.post(
        "/password/set/?next=/",
        {"password1": "Qingshui-river-2026", "password2": "Qingshui-river-2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    new_login.refresh_from_db()
    assert new_login.check_password("Qingshui-river-2026")


def test_an_activation_code_works_once(client, new_login, office_user):
    code = issue(new_login, office_user)
    assert client.post(f"/activate/{code.code}/").status_code == 302
    client.logout()
    used = ActivationCode.objects.get().used_at
    response = client.post(f"/activate/{code.code}/")
    assert response.status_code == 410
    assert "此激活码已使用过" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert ActivationCode.objects.get().used_at == used


def test_an_expired_activation_code_is_refused_and_changes_nothing(
    client, new_login, office_user, time_machine
):
    time_machine.move_to(clock.now(), tick=False)
    code = issue(new_login, office_user)
    time_machine.move_to(clock.now() + timedelta(days=14, seconds=1), tick=False)
    response = client.post(f"/activate/{code.code}/")
    assert response.status_code == 410
    assert "此激活码已过期" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert ActivationCode.objects.get().used_at is None


def test_a_new_code_replaces_the_older_one(client, new_login, office_user):
    old = issue(new_login, office_user)
    new = issue(new_login, office_user)
    assert client.post(f"/activate/{old.code}/").status_code == 410
    assert client.post(f"/activate/{new.code}/").status_code == 302


def test_an_unknown_code_is_refused_in_words(client, db):
    response = client.get("/activate/nonsense/")
    assert response.status_code == 410
    assert "此激活码无效" in response.content.decode()
    assert client.get("/activate/?code=a%2Fb").status_code == 410


def test_a_leavers_code_is_refused(client, new_login, office_user, people):
    code = issue(new_login, office_user)
    people["operator"].employment_status = EmploymentStatus.LEFT
    people["operator"].save()
    assert client.post(f"/activate/{code.code}/").status_code == 410
    assert "_auth_user_id" not in client.session


def test_api_activates_with_a_password_once(client, new_login, office_user):
    code = issue(new_login, office_user)
    weak = client.post(
        f"{API}/activate", {"code": code.code, "password": "123"}, content_type="application/json"
    )
    assert weak.status_code == 400
    assert "password" in weak.json()["error"]["fields"]
    assert ActivationCode.objects.get().used_at is None
    body = {"code": code.code, "password": "Qingshui-river-2026"}
    ok = client.post(f"{API}/activate", body, content_type="application/json")
    assert ok.json() == {"username": "E2"}
    again = client.post(f"{API}/activate", body, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["error"]["code"] == "wrong_state"


# --- the sheet, SMS, re-issue -----------------------------------------------------------------


def test_sheet_lists_everyone_awaiting_activation_with_a_working_qr_link(
    client, office_user, org, tree, people
):
    logins.create_logins(org, None, by=office_user)
    rows, expires = logins.activation_sheet(tree["plant1"], by=office_user)
    # the head (E1) and the operator (E2); the office's own login (used) is not in plant 1
    assert [(r.name, r.employee_no) for r in rows] == [("王厂长", "E1"), ("李操作", "E2")]
    html = sheet_html(tree["plant1"], rows, expires)
    for row in rows:
        assert row.name in html and row.url in html
        assert row.qr == qr_data_uri(row.url)  # the image is the QR code of the link
        assert row.url.startswith("http://")
        assert row.url.endswith(f"/activate/{row.code}/")
    path = re.sub(r"^https?://[^/]+", "", rows[1].url)
    assert client.post(path).status_code == 302
    assert client.get("/").wsgi_request.user.username == "E2"


def test_sheet_download_is_a_pdf_with_a_chinese_name(client, office_user, org, tree, people):
    logins.create_logins(org, None, by=office_user)
    client.force_login(office_user)
    response = client.post(reverse("core:logins_sheet", args=[tree["plant1"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="activation-sheet-P1-')
    assert "filename*=UTF-8''%E6%BF%80%E6%B4%BB%E5%8D%95" in disposition  # 激活单
    assert ActivationCode.objects.filter(used_at__isnull=True).count() == 2
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "activation-sheet.pdf").write_bytes(response.content)  # to look at
    if shutil.which("pdftotext"):  # poppler-utils: the names are text in the PDF
        text = subprocess.run(
            ["pdftotext", str(SCREENSHOTS / "activation-sheet.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "王厂长" in text and "李操作" in text
        assert text.count("/activate/") == 2


def test_a_new_sheet_invalidates_older_codes(client, office_user, org, tree, people):
    logins.create_logins(org, None, by=office_user)
    first, _e = logins.activation_sheet(tree["plant1"], by=office_user)
    second, _e = logins.activation_sheet(tree["plant1"], by=office_user)
    assert client.post(f"/activate/{first[1].code}/").status_code == 410
    assert client.post(f"/activate/{second[1].code}/").status_code == 302


def test_unit_head_reissues_a_code_for_a_member_and_it_is_audited(
    client, unit_head_user, org, tree, people
):
    logins.create_logins(org, tree["plant1"], by=unit_head_user)
    operator = User.objects.get(username="E2")
    old = issue(operator, unit_head_user)
    client.force_login(unit_head_user)
    response = client.post(reverse("core:logins_person_code", args=[people["operator"].pk]))
    assert response.status_code == 200
    new_code = re.search(r'data-testid="code">([^<]+)<', response.content.decode()).group(1)
    entry = LogEntry.objects.get_for_object(operator).get(changes__icontains="activation_code")
    assert entry.actor == unit_head_user
    client.logout()
    assert client.post(f"/activate/{old.code}/").status_code == 410
    assert client.post(f"/activate/{new_code}/").status_code == 302


def test_unit_head_cannot_reissue_outside_the_subtree(
    client, unit_head_user, office_user, org, people
):
    logins.create_logins(org, None, by=office_user)
    client.force_login(unit_head_user)
    response = client.post(reverse("core:logins_person_code", args=[people["other_plant"].pk]))
    assert response.status_code == 404
    assert not ActivationCode.objects.exists()


def test_codes_go_by_sms_to_a_unit_and_work(client, office_user, org, tree, people, outbox):
    logins.create_logins(org, None, by=office_user)
    people["head"].phone = ""
    people["head"].save()
    report = logins.send_codes_by_sms(by=office_user, unit=tree["plant1"])
    assert (report.sent, report.no_phone) == (1, ["王厂长"])
    assert [m.phone for m in outbox] == ["13912345678"]
    path = re.search(r"https?://[^/\s]+(/activate/[\w-]+/)", outbox[0].text).group(1)
    assert client.post(path).status_code == 302


def test_sms_to_a_person_without_a_phone_is_refused(client, office_user, org, people, outbox):
    logins.create_logins(org, None, by=office_user)
    people["head"].phone = ""
    people["head"].save()
    client.force_login(office_user)
    response = client.post(
        f"{API}/logins/activation-sms",
        {"person_id": people["head"].pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert outbox == []
    assert not ActivationCode.objects.exists()


def test_after_a_roster_import_the_office_can_create_the_logins(client, org, tree, office_user):
    from headwater.core.tests.test_roster_import import GOOD_ROWS, upload, xlsx

    client.force_login(office_user)
    response = client.post(reverse("core:roster_import"), {"file": upload(xlsx(GOOD_ROWS))})
    assert 'data-testid="create-logins-after-import"' in response.content.decode()
    from headwater.core.models import Person

    without = Person.objects.filter(organization=org, user__isnull=True).count()
    assert without == len(GOOD_ROWS) + 3  # the imported, and three of the fixture's people
    created = client.post(reverse("core:logins_create"), {"unit": ""})
    assert f'data-testid="created">{without}<' in created.content.decode()
    assert {row[0] for row in GOOD_ROWS} <= usernames()


def test_activation_gives_a_staff_session_its_long_lifetime(client, new_login, office_user):
    code = issue(new_login, office_user)
    client.post(f"/activate/{code.code}/")
    assert client.session.get_expiry_age() == 30 * 86400  # HEADWATER_SESSION_DAYS_STAFF


def test_a_code_typed_by_hand_leads_to_its_activation_page(client, new_login, office_user):
    code = issue(new_login, office_user)
    assert client.get("/activate/").status_code == 200
    response = client.get("/activate/", {"code": f" {code.code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/activate/{code.code}/"
