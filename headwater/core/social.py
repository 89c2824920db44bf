"""DingTalk sign-in (ADR 0012, "DingTalk and WeCom sign-in"): allauth.socialaccount fitted to
our people.

A DingTalk account signs in as the login it was linked to earlier, or, the first time, as the
one active person whose roster mobile number is the one DingTalk reports (through
`AccountAdapter.get_user_by_phone`, the same rule as phone sign-in) — the link is then stored
(allauth's SocialAccount) and audited. Never by name. Nobody signs up through a provider: an
account matching no person or several, a leaver's, or a second DingTalk account for a login
already linked is refused on the sign-in page in words, and nothing is stored.
"""

import logging

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount import app_settings as allauth_settings
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount, SocialApp
from allauth.socialaccount.providers.base import AuthProcess
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext

from headwater.core import audit
from headwater.core.accounts import normalize_phone
from headwater.core.choices import EmploymentStatus

log = logging.getLogger(__name__)

# DingTalk's country code for a mainland number ("stateCode" in its user info).
_MAINLAND = "86"


def provider_mobile(sociallogin) -> str | None:
    """The mainland mobile number the provider reports for this account, normalised, or None.

    DingTalk's `contact/users/me` carries `mobile` (and `stateCode`) only when the app was
    granted the personal mobile-number permission (个人手机号信息)."""
    data = sociallogin.account.extra_data or {}
    state_code = str(data.get("stateCode") or _MAINLAND).lstrip("+")
    if state_code != _MAINLAND:
        return None
    return normalize_phone(str(data.get("mobile") or ""))


def _active_people_with(phone: str) -> int:
    """How many active logins have a person with this number (0, 1 or 2 = several)."""
    return (
        get_user_model()
        ._default_manager.filter(person__phone=phone, is_active=True)
        .exclude(person__employment_status=EmploymentStatus.LEFT)[:2]
        .count()
    )


def may_sign_in(user) -> bool:
    """An active login whose person (if any) has not left."""
    person = getattr(user, "person", None)
    return bool(
        user.is_active and (person is None or person.employment_status != EmploymentStatus.LEFT)
    )


def _provider_name(sociallogin) -> str:
    if sociallogin.account.provider == "dingtalk":
        return gettext("DingTalk")
    return sociallogin.account.provider


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Sign-in through DingTalk: match to an existing login, never create one."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # logins come from the roster (ADR 0012)

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return False

    def list_apps(self, request, provider=None, client_id=None) -> list:
        """The provider apps of settings.SOCIALACCOUNT_PROVIDERS (built from the environment,
        HEADWATER_DINGTALK_CLIENT_ID/_SECRET) only: no database rows, so the sign-in page
        asks the database nothing to know whether to offer DingTalk."""
        apps = []
        for name, config in allauth_settings.PROVIDERS.items():
            for app_config in config.get("APPS") or []:
                app = SocialApp(provider=name, name=app_config.get("name", name))
                for attr in ("provider_id", "client_id", "secret", "key", "settings"):
                    if attr in app_config:
                        setattr(app, attr, app_config[attr])
                if client_id and app.client_id != client_id:
                    continue
                if provider and provider not in (app.provider, app.provider_id):
                    continue
                apps.append(app)
        return apps

    def get_app(self, request, provider, client_id=None):
        # A provider whose app is not configured is not there: 404, not a 500.
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404 from None

    def pre_social_login(self, request, sociallogin) -> None:
        """Decide whose login this is, before allauth signs anyone in (or up)."""
        name = _provider_name(sociallogin)
        uid = sociallogin.account.uid
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            # Connecting an account to the signed-in login would skip the roster match.
            self._refuse(
                request,
                gettext("%(provider)s accounts are linked by signing in with them.")
                % {"provider": name},
                reason="process",
                uid=uid,
            )
        if sociallogin.is_existing:
            # Linked earlier: the link decides, whatever the roster's number is now.
            if not may_sign_in(sociallogin.user):
                self._refuse(
                    request,
                    gettext(
                        "The login linked to this %(provider)s account is disabled (the "
                        "person has left or the login was switched off). Ask the control "
                        "office."
                    )
                    % {"provider": name},
                    reason="linked login disabled",
                    uid=uid,
                )
            return
        phone = provider_mobile(sociallogin)
        if phone is None:
            self._refuse(
                request,
                gettext(
                    "%(provider)s did not give a mainland mobile number for your account, so "
                    "it cannot be matched to anyone on the roster. Sign in with your staff "
                    "number or phone number instead."
                )
                % {"provider": name},
                reason="no mobile",
                uid=uid,
            )
        user = get_account_adapter(request).get_user_by_phone(phone)
        if user is None:
            if _active_people_with(phone) > 1:
                message = gettext(
                    "The mobile number of this %(provider)s account belongs to more than one "
                    "person on the roster, so it cannot say who you are. Sign in with your "
                    "staff number, or ask the control office to correct the roster."
                )
            else:
                message = gettext(
                    "The mobile number of this %(provider)s account matches nobody with a "
                    "login on the roster. Ask the control office to check your mobile number "
                    "on the roster."
                )
            self._refuse(request, message % {"provider": name}, reason="no single match", uid=uid)
        if SocialAccount.objects.filter(user=user, provider=sociallogin.account.provider).exists():
            self._refuse(
                request,
                gettext(
                    "Your login is already linked to another %(provider)s account. Ask the "
                    "control office to remove the old link first."
                )
                % {"provider": name},
                reason="login linked to another account",
                uid=uid,
            )
        sociallogin.connect(request, user)
        audit.record(user, actor=user, provider_linked=f"{sociallogin.account.provider}:{uid}")
        log.info("%s account %s linked to %s by mobile number", name, uid, user.username)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        """Cancelled at the provider, a refused code, a provider outage: back to the sign-in
        page with a message (allauth's own error page otherwise)."""
        log.warning("%s sign-in failed: %s %r", provider.id, error, exception)
        name = gettext("DingTalk") if provider.id == "dingtalk" else provider.name
        messages.error(
            request,
            gettext(
                "Signing in with %(provider)s did not succeed (cancelled, or %(provider)s "
                "did not answer). Try again, or sign in with your staff number or phone number."
            )
            % {"provider": name},
        )
        raise ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))

    def _refuse(self, request, message: str, *, reason: str, uid: str):
        log.warning("provider sign-in refused (%s): uid=%s", reason, uid)
        messages.error(request, message)
        raise ImmediateHttpResponse(HttpResponseRedirect(reverse("login")))
