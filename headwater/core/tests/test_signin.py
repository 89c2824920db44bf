"""Signing in (ADR 0012): password with the staff number or the phone number, a one-time SMS
code, throttling with a lock-out the office lifts, session lifetimes by role, the second factor
required of the office in the production profile, and a leaver's sessions ended."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.urls import reverse

from headwater.core import sms
from headwater.core.choices import EmploymentStatus
from headwater.core.tests.factories import PASSWORD, make_user

LOGIN = "/login/"


@pytest.fixture
def outbox(settings):
    settings.HEADWATER_SMS_SENDER = "headwater.core.sms.MemorySender"
    sms.OUTBOX.clear()
    yield sms.OUTBOX
    sms.OUTBOX.clear()


def sign_in(client, login, password=PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


def code_from(message: sms.Sms) -> str:
    return re.search(r"\b(\d{6})\b", message.text).group(1)


def test_staff_signs_in_with_staff_number_and_password(client, staff_user):
    response = sign_in(client, "operator")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == staff_user


def test_staff_signs_in_with_phone_number_and_password(client, staff_user):
    response = sign_in(client, "139 1234 5678")  # as typed on a phone, with spaces
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == staff_user
    # the session says which backend: a RoleBackend (get_user with person, org and unit)
    assert client.session["_auth_user_backend"] == "headwater.core.accounts.AccountBackend"


def test_phone_number_with_country_code_signs_in(client, staff_user):
    assert sign_in(client, "+8613912345678").status_code == 302


def test_wrong_password_is_refused_in_chinese(client, staff_user):
    response = sign_in(client, "operator", "not-the-password")
    assert response.status_code == 200
    assert "工号（或手机号）与密码不匹配。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_shared_phone_number_does_not_sign_in(client, staff_user, people):
    people["head"].phone = "13912345678"
    people["head"].save()
    make_user("head", person=people["head"])
    assert sign_in(client, "13912345678").status_code == 200
    assert "_auth_user_id" not in client.session


def test_sms_code_signs_in_end_to_end(client, staff_user, outbox):
    response = client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
    assert [m.phone for m in outbox] == ["13912345678"]
    assert "登录验证码" in outbox[0].text
    code = code_from(outbox[0])

    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == staff_user


def test_used_sms_code_is_refused_with_a_clear_message(client, staff_user, outbox):
    client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    code = code_from(outbox[0])
    client.post(reverse("account_confirm_login_code"), {"code": code})
    client.post(reverse("logout"))

    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert "验证码已过期或已被使用，请重新获取。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_expired_sms_code_is_refused_with_a_clear_message(
    client, staff_user, outbox, settings, monkeypatch
):
    client.post(reverse("account_request_login_code"), {"phone": "13912345678"})
    code = code_from(outbox[0])
    later = time.time() + settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT + 1
    monkeypatch.setattr(time, "time", lambda: later)

    response = client.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)
    assert "验证码已过期或已被使用，请重新获取。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sms_codes_are_throttled_per_phone(client, staff_user, outbox):
    for _ in range(4):  # from four browsers: the limit is the phone's, not the session's
        client.__class__().post(reverse("account_request_login_code"), {"phone": "13912345678"})
    assert len(outbox) == 3  # settings: 3 codes per phone in 5 minutes


def test_failed_sign_ins_lock_the_account_then_the_office_lifts_the_lock(
    client, staff_user, office_user, people, settings
):
    for _ in range(settings.HEADWATER_LOGIN_FAILURES):
        sign_in(client, "operator", "wrong")
    # locked: even the right password, and by phone number too (one count per account)
    for login in ("operator", "13912345678"):
        response = sign_in(client, login)
        assert response.status_code == 200
        assert "登录失败次数过多" in response.content.decode()
    locked = LogEntry.objects.get_for_object(staff_user).filter(changes__icontains="signin_locked")
    assert locked.count() == 1  # audited once per lock-out

    office = client.__class__()
    office.force_login(office_user)
    response = office.post(
        f"/api/v1/people/{people['operator'].pk}/unlock-signin",
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"was_locked": True}
    assert (
        LogEntry.objects.get_for_object(staff_user)
        .filter(changes__icontains="signin_unlocked", actor=office_user)
        .exists()
    )

    assert sign_in(client, "operator").status_code == 302


def test_office_lifts_a_lock_from_the_person_page(client, staff_user, office_user, people):
    for _ in range(5):
        sign_in(client, "operator", "wrong")
    office = client.__class__()
    office.force_login(office_user)
    page = office.get(reverse("core:person", args=[people["operator"].pk])).content.decode()
    assert 'data-testid="unlock-signin"' in page
    response = office.post(reverse("core:unlock_signin", args=[people["operator"].pk]), follow=True)
    assert "登录锁定已解除。" in response.content.decode()
    assert sign_in(client, "operator").status_code == 302


def test_a_unit_head_may_not_lift_a_lock(client, staff_user, unit_head_user, people):
    client.force_login(unit_head_user)
    response = client.post(
        f"/api/v1/people/{people['operator'].pk}/unlock-signin",
        content_type="application/json",
    )
    assert response.status_code == 403


def test_staff_session_lasts_days_and_office_session_hours(client, staff_user, office_user):
    sign_in(client, "operator")
    assert client.session.get_expiry_age() == 30 * 86400
    office = client.__class__()
    sign_in(office, "office")
    assert office.session.get_expiry_age() == 12 * 3600


def test_office_must_set_up_a_second_factor_when_required(client, office_user, settings):
    settings.HEADWATER_REQUIRE_MFA = True  # what the production profile sets
    sign_in(client, "office")
    response = client.get("/core/people/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/api/v1/people").json()["error"]["code"] == "second_factor_required"

    Authenticator.objects.create(user=office_user, type=Authenticator.Type.TOTP, data={})
    assert client.get("/core/people/").status_code == 200


def test_staff_need_no_second_factor_even_when_required(client, staff_user, settings):
    settings.HEADWATER_REQUIRE_MFA = True
    sign_in(client, "operator")
    assert client.get("/").status_code == 200


def test_production_profile_requires_the_second_factor(tmp_path):
    from headwater.core.tests.test_production import production_env, run

    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.HEADWATER_REQUIRE_MFA)"
    )
    result = run(["-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_leaver_loses_every_session_at_once(client, staff_user, office_user, people):
    sign_in(client, "operator")
    phone = client.__class__()
    sign_in(phone, "13912345678")
    assert Session.objects.count() == 2

    from headwater.core import services

    person = people["operator"]
    person.employment_status = EmploymentStatus.LEFT
    services.save_person(person, by=office_user)

    assert Session.objects.count() == 0
    staff_user.refresh_from_db()
    assert staff_user.is_active is False
    assert client.get("/").status_code == 302  # sent to sign in
    response = sign_in(phone, "operator")
    assert response["Location"] == reverse("account_inactive")
    assert "_auth_user_id" not in phone.session


def test_a_new_password_must_pass_the_password_validators(client, staff_user):
    sign_in(client, "operator")
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "1234567890", "password2": "1234567890"},
    )
    assert response.status_code == 200
    assert "这个密码太常见了。" in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)
