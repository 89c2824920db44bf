"""DingTalk sign-in (ADR 0012) through a local double of DingTalk's OAuth endpoints: the
DingTalk account is matched to a person by the roster's mobile number or by an earlier link,
never by name; none, several, a leaver or a disabled login are refused in words and nothing is
stored."""

import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from headwater.core.choices import EmploymentStatus
from headwater.core.tests import dingtalk_double
from headwater.core.tests.dingtalk_double import DingTalkUser
from headwater.core.tests.factories import make_user
from headwater.core.tests.test_production import production_env, run

LOGIN = "/login/"
START = "/dingtalk/login/"

NOBODY = (
    "此钉钉账号的手机号与花名册上任何有账号的人员都不匹配。请联系防控办核对您在花名册上的手机号。"
)
SEVERAL = (
    "此钉钉账号的手机号在花名册上属于不止一人，无法确定您是谁。请用工号登录，或请防控办更正花名册。"
)
DISABLED = "与此钉钉账号关联的账号已停用（人员已离职或账号已关闭）。请联系防控办。"
NO_MOBILE = "钉钉未提供您账号的中国大陆手机号，无法与花名册上的人员匹配。请改用工号或手机号登录。"
FAILED = "钉钉登录未成功（已取消，或钉钉没有响应）。请重试，或用工号或手机号登录。"


@pytest.fixture
def dingtalk(settings, monkeypatch):
    settings.SOCIALACCOUNT_PROVIDERS = dingtalk_double.provider_settings()
    return dingtalk_double.install(monkeypatch)


def sign_in_with_dingtalk(client, dingtalk, user: DingTalkUser, *, follow=False):
    """The whole round trip: our start page → DingTalk's authorize page (the double) → our
    callback with the code → token and user info from the double."""
    response = client.post(START, {"process": "login"})
    assert response.status_code == 302
    assert response["Location"].startswith(dingtalk_double.AUTHORIZE_URL + "?")
    return client.get(dingtalk.approve(response["Location"], user), follow=follow)


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def page_text(response) -> str:
    return response.content.decode()


def refused_with(client, response, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    page = client.get(LOGIN)
    assert message in page_text(page)
    assert not signed_in_user(client).is_authenticated


def test_dingtalk_account_is_matched_by_roster_mobile_and_linked(client, dingtalk, staff_user):
    response = sign_in_with_dingtalk(
        client, dingtalk, DingTalkUser("open-li", mobile="13912345678", nick="别人的昵称")
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(client) == staff_user
    account = SocialAccount.objects.get()
    assert (account.user, account.provider, account.uid) == (staff_user, "dingtalk", "open-li")
    # the double saw exactly one token exchange and one user-info call, nothing else
    assert dingtalk.calls == [
        ("POST", dingtalk_double.TOKEN_URL),
        ("GET", dingtalk_double.ME_URL),
    ]
    # the link is audited on the login
    entry = LogEntry.objects.get_for_object(staff_user).get(changes__icontains="provider_linked")
    assert entry.changes["provider_linked"] == [None, "dingtalk:open-li"]
    # a staff phone stays signed in as long as a password sign-in would
    assert client.session.get_expiry_age() == 30 * 86400


def test_second_sign_in_follows_the_link_even_after_the_roster_number_changed(
    client, dingtalk, staff_user, people
):
    assert sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    client.post("/logout/")
    # the roster now gives the operator a new number and the old one to the plant head
    people["operator"].phone = "13800000001"
    people["operator"].save()
    people["head"].phone = "13912345678"
    people["head"].save()
    make_user("head", person=people["head"])

    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(client) == staff_user
    assert SocialAccount.objects.count() == 1


def test_mobile_with_country_code_and_spaces_still_matches(client, dingtalk, staff_user):
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", mobile="+86 139-1234-5678"))
    assert signed_in_user(client) == staff_user


def test_dingtalk_account_matching_nobody_is_refused_and_nothing_created(
    client, dingtalk, staff_user
):
    users_before = get_user_model().objects.count()
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-x", "13700000000"))
    refused_with(client, response, NOBODY)
    assert get_user_model().objects.count() == users_before
    assert SocialAccount.objects.count() == 0


def test_name_alone_never_matches(client, dingtalk, staff_user):
    # the nickname is the operator's name and the username is the staff number: still nobody
    response = sign_in_with_dingtalk(
        client, dingtalk, DingTalkUser("open-x", "13700000000", nick="operator")
    )
    refused_with(client, response, NOBODY)
    assert SocialAccount.objects.count() == 0


def test_mobile_shared_by_two_people_is_refused(client, dingtalk, staff_user, people):
    people["head"].phone = "13912345678"
    people["head"].save()
    make_user("head", person=people["head"])
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, SEVERAL)
    assert SocialAccount.objects.count() == 0


def test_a_leaver_is_refused(client, dingtalk, staff_user, people):
    people["operator"].employment_status = EmploymentStatus.LEFT
    people["operator"].save()
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, NOBODY)
    assert SocialAccount.objects.count() == 0


def test_linked_account_whose_person_left_is_refused(client, dingtalk, staff_user, people):
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    client.post("/logout/")
    people["operator"].employment_status = EmploymentStatus.LEFT
    people["operator"].save()

    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, DISABLED)
    assert SocialAccount.objects.count() == 1  # the link stays, unused


def test_linked_account_of_a_login_switched_off_is_refused(client, dingtalk, staff_user):
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    client.post("/logout/")
    staff_user.is_active = False
    staff_user.save()
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, DISABLED)


def test_app_without_the_mobile_permission_is_refused_in_words(client, dingtalk, staff_user):
    dingtalk.mobile_granted = False
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, NO_MOBILE)
    assert SocialAccount.objects.count() == 0


def test_number_outside_the_mainland_is_not_matched(client, dingtalk, staff_user):
    response = sign_in_with_dingtalk(
        client, dingtalk, DingTalkUser("open-li", "13912345678", state_code="852")
    )
    refused_with(client, response, NO_MOBILE)


def test_second_dingtalk_account_for_a_linked_login_is_refused(client, dingtalk, staff_user):
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    client.post("/logout/")
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-other", "13912345678"))
    refused_with(client, response, "您的账号已关联另一个钉钉账号。请联系防控办先解除旧的关联。")
    assert list(SocialAccount.objects.values_list("uid", flat=True)) == ["open-li"]


def test_cancelled_at_dingtalk_returns_to_sign_in_page(client, dingtalk, staff_user):
    response = client.post(START, {"process": "login"})
    response = client.get(dingtalk.cancel(response["Location"]))
    refused_with(client, response, FAILED)
    assert dingtalk.calls == []


def test_dingtalk_outage_is_explained_not_a_server_error(client, dingtalk, staff_user):
    dingtalk.down = True
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-li", "13912345678"))
    refused_with(client, response, FAILED)
    assert SocialAccount.objects.count() == 0


def test_forged_state_is_refused(client, dingtalk, staff_user):
    response = client.post(START, {"process": "login"})
    callback = dingtalk.approve(response["Location"], DingTalkUser("open-li", "13912345678"))
    forged = callback.split("&state=")[0] + "&state=forged"
    refused_with(client, client.get(forged), FAILED)
    assert SocialAccount.objects.count() == 0


def test_connecting_to_a_signed_in_login_is_refused(client, dingtalk, staff_user, people):
    # someone signed in as the plant head tries to attach the operator's DingTalk account
    head = make_user("head", person=people["head"])
    client.force_login(head)
    response = client.post(START, {"process": "connect"})
    callback = dingtalk.approve(response["Location"], DingTalkUser("open-li", "13912345678"))
    response = client.get(callback)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SocialAccount.objects.count() == 0


def test_login_page_offers_dingtalk_when_configured(client, dingtalk, db):
    page = page_text(client.get(LOGIN))
    assert 'data-testid="provider-login-dingtalk"' in page
    assert f'action="{START}?process=login"' in page
    assert "钉钉登录" in page


def test_without_configuration_there_is_no_dingtalk(client, settings, db):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "provider-login-dingtalk" not in page_text(client.get(LOGIN))
    assert client.post(START).status_code == 404
    assert client.get("/dingtalk/login/callback/?authCode=x&state=y").status_code == 404


def test_office_signed_in_by_dingtalk_gets_the_short_office_session(
    client, dingtalk, office_user, people
):
    people["clerk"].phone = "13600000002"
    people["clerk"].save()
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-clerk", "13600000002"))
    assert signed_in_user(client) == office_user
    assert client.session.get_expiry_age() == 12 * 3600


def test_office_without_second_factor_is_sent_to_set_it_up_when_required(
    client, dingtalk, office_user, people, settings
):
    settings.HEADWATER_REQUIRE_MFA = True
    people["clerk"].phone = "13600000002"
    people["clerk"].save()
    sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-clerk", "13600000002"))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/2fa/totp/activate/"


def test_dingtalk_does_not_skip_an_existing_second_factor(client, dingtalk, office_user, people):
    Authenticator.objects.create(user=office_user, type=Authenticator.Type.TOTP, data={})
    people["clerk"].phone = "13600000002"
    people["clerk"].save()
    response = sign_in_with_dingtalk(client, dingtalk, DingTalkUser("open-clerk", "13600000002"))
    assert response.status_code == 302
    assert response["Location"] == "/2fa/authenticate/"
    assert not signed_in_user(client).is_authenticated


def test_provider_apps_come_from_settings_only(client, dingtalk, db, django_assert_num_queries):
    # a SocialApp row in the database is not a way in; the settings (environment) are
    SocialApp.objects.create(provider="dingtalk", name="db", client_id="db-id", secret="s")
    with django_assert_num_queries(0):
        page = page_text(client.get(LOGIN))
    assert page.count('data-testid="provider-login-dingtalk"') == 1


SETTINGS_OF = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.SOCIALACCOUNT_PROVIDERS, "
    "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
)


def test_dingtalk_is_configured_from_the_environment(tmp_path):
    env = production_env(
        tmp_path,
        HEADWATER_DINGTALK_CLIENT_ID="ding-app-key",
        HEADWATER_DINGTALK_CLIENT_SECRET="ding-app-secret",
    )
    result = run(["-c", SETTINGS_OF], env)
    assert result.returncode == 0, result.stderr
    providers, form_action = json.loads(result.stdout)
    assert providers == {
        "dingtalk": {
            "APPS": [{"client_id": "ding-app-key", "secret": "ding-app-secret"}],
            "SCOPE": ["openid", "corpid"],
        }
    }
    # the sign-in form's redirect to DingTalk's authorize page is allowed, nothing else
    assert form_action == ["'self'", "https://login.dingtalk.com"]


def test_without_the_environment_there_is_no_provider(tmp_path):
    result = run(["-c", SETTINGS_OF], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{}, ["'self'"]]
