"""Sign-in (ADR 0012): django-allauth's flows, fitted to our people.

- Staff sign in with their username (the staff number) or the phone number on their Person,
  and a password, or with a one-time code sent by SMS (core.sms) to that phone.
- Failed sign-ins are rate-limited per account (whatever the person typed: staff number or
  phone) and per address; the first refused attempt of a lock-out is audited, and the office
  lifts a lock-out with `unlock_signin()`.
- The session lasts HEADWATER_SESSION_DAYS_STAFF for staff, HEADWATER_SESSION_HOURS_OFFICE for
  office and admin accounts (`apply_session_lifetime`).
- With HEADWATER_REQUIRE_MFA (on in the production profile) office and admin accounts must set
  up a TOTP second factor before anything else (`RequireSecondFactorMiddleware`).
- A leaver's login is deactivated and every session of it ended (`end_leaver_sessions`).
"""

import logging
import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from headwater.core import audit
from headwater.core.backends import RoleBackend
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.roles import UNLOCK_SIGNIN, Role

log = logging.getLogger(__name__)

# A mainland mobile number, typed with or without +86, spaces or dashes.
_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def normalize_phone(value: str) -> str | None:
    """The 11 digits of a mainland mobile number as the roster stores them, or None."""
    match = _MOBILE.match(re.sub(r"[\s-]", "", value or ""))
    return match.group(1) if match else None


class PhoneField(forms.CharField):
    """A mobile number as on the roster (13912345678); +86, spaces and dashes are dropped."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        phone = normalize_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Enter the 11-digit mobile number, e.g. 13912345678."), code="invalid_phone"
            )
        return phone


def _lockout_minutes() -> int:
    return settings.HEADWATER_LOGIN_LOCKOUT_MINUTES


class AccountAdapter(DefaultAccountAdapter):
    """allauth's adapter: phone numbers live on core.Person; nobody signs up by themselves."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _(
            "The staff number (or phone number) and password do not match."
        ),
        "phone_password_mismatch": _(
            "The staff number (or phone number) and password do not match."
        ),
        "too_many_login_attempts": _(
            "Too many failed sign-ins: this account (or your network address) is locked for "
            "a while. Try again later, sign in with an SMS code, or ask the control office "
            "to lift the lock."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        return False  # logins come from the roster (ADR 0012)

    # --- phone numbers: Person.phone -------------------------------------------------------

    def phone_form_field(self, **kwargs):
        return PhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalize_phone(phone) or phone

    def get_phone(self, user):
        person = getattr(user, "person", None)
        phone = normalize_phone(person.phone) if person else None
        # The roster is kept by the office: its numbers count as verified.
        return (phone, True) if phone else None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        # Only the roster changes phone numbers (signup and phone change are off).
        raise NotAllowed(gettext("Phone numbers are changed on the roster by the office."))

    def set_phone_verified(self, user, phone: str) -> None:
        pass  # roster numbers are verified already

    def get_user_by_phone(self, phone: str):
        """The one active login whose person has this mobile number; None when nobody or
        several people have it (a shared number signs in by staff number only)."""
        phone = normalize_phone(phone)
        if not phone:
            return None
        users = list(
            get_user_model()
            ._default_manager.filter(person__phone=phone, is_active=True)
            .exclude(person__employment_status=EmploymentStatus.LEFT)
            .select_related("person")[:2]
        )
        return users[0] if len(users) == 1 else None

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        from headwater.core import sms

        minutes = max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60)
        try:
            sms.send(
                phone,
                gettext(
                    "[Headwater] Your sign-in code is %(code)s, valid for %(minutes)s minutes. "
                    "Never tell it to anyone."
                )
                % {"code": code, "minutes": minutes},
                template="code",
                params={"code": code},
            )
        except sms.SmsError as e:
            # The provider refused: the code page says so (and the person asks again or signs
            # in with the password) instead of a server error.
            if self.request is None:
                raise
            from django.contrib import messages

            messages.error(self.request, e.message)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in minutes ago counts as recent (allauth counts only an explicit
        re-authentication): the office sent to set up its second factor right after signing
        in is not asked for the password again."""
        import time

        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.core import context

        request = context.request
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            records = get_authentication_records(request, user)
            if (
                records
                and time.time() - records[-1]["at"] < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    # --- throttling -----------------------------------------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth keys failed sign-ins by what was typed; we key them by the account, so that
        # the staff number and the phone number share one count (and one lock).
        return lockout_key(credentials.get("username") or credentials.get("phone") or "")

    def pre_authenticate(self, request, **credentials) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            _record_lockout(request, credentials.get("username") or credentials.get("phone"))
            raise


def _account_for(login: str):
    """The login a sign-in attempt names: by username, else by phone number."""
    if not login:
        return None
    User = get_user_model()
    user = User._default_manager.filter(username=login).first()
    return user or AccountAdapter().get_user_by_phone(login)


def lockout_key(login: str) -> str:
    user = _account_for(login)
    return f"user:{user.pk}" if user else f"login:{login.strip().lower()}"


def _record_lockout(request, login: str | None) -> None:
    """Audit the first refused attempt of a lock-out (once per lock-out period)."""
    from allauth.core.internal.httpkit import get_client_ip

    user = _account_for(login or "")
    ip = get_client_ip(request) if request is not None else ""
    key = f"hw:lockout-audited:{lockout_key(login or '')}:{ip}"
    if not cache.add(key, True, timeout=_lockout_minutes() * 60):
        return
    log.warning("sign-in locked out: login=%r address=%s", login, ip)
    if user is not None:
        audit.record(user, actor=None, signin_locked=ip or "?")


def _login_failed_key_entries(user) -> list[str]:
    """The cache keys of allauth's per-account `login_failed` counts for `user`."""
    from allauth.core.internal import ratelimit as rl

    keys = []
    for rate in rl.get_rates(app="allauth.account", action="login_failed"):
        if rate.per == "key":
            keys.append(
                rl.get_cache_key(
                    None,
                    app="allauth.account",
                    action="login_failed",
                    rate=rate,
                    key=f"user:{user.pk}",
                )
            )
    return keys


def is_locked(user) -> bool:
    """Whether any failed sign-in is counted against `user` right now."""
    return any(cache.get(k) for k in _login_failed_key_entries(user))


def unlock_signin(user, *, by) -> bool:
    """Lift a lock-out on `user` (the office): forget the failed sign-ins counted against the
    account. A lock on a network address is left to expire. Audited; returns whether there was
    anything to lift."""
    if not by.has_perm(UNLOCK_SIGNIN) or (
        by.organization_id is not None and user.organization_id != by.organization_id
    ):
        raise NotAllowed(gettext("Your role may not lift a sign-in lock."))
    keys = _login_failed_key_entries(user)
    was_locked = any(cache.get(k) for k in keys)
    cache.delete_many(keys)
    audit.record(user, actor=by, signin_unlocked=str(user))
    return was_locked


def signin_user_of(person):
    """The login of a person, or a refusal in the one error shape."""
    user = get_user_model()._default_manager.filter(person=person).first()
    if user is None:
        raise DomainError(gettext("This person has no login."), code="not_found", status=404)
    return user


# --- session lifetime --------------------------------------------------------------------


def is_office_or_admin(user) -> bool:
    return bool(user.is_superuser or user.is_staff or Role.OFFICE in user.roles)


def session_seconds(user) -> int:
    if is_office_or_admin(user):
        return settings.HEADWATER_SESSION_HOURS_OFFICE * 3600
    return settings.HEADWATER_SESSION_DAYS_STAFF * 86400


def apply_session_lifetime(sender=None, request=None, user=None, **kwargs) -> None:
    """On every sign-in (a receiver of django's user_logged_in)."""
    session = getattr(request, "session", None)
    if session is not None and user is not None:
        session.set_expiry(session_seconds(user))


class AccountBackend(RoleBackend, AuthenticationBackend):
    """allauth's authentication (staff number or phone number, and password) with
    RoleBackend's `get_user` (person, organization and unit in one query) and permissions."""


class LoginForm(AllauthLoginForm):
    """allauth's login form; the session's lifetime follows the person's roles (allauth would
    otherwise set its own after the sign-in)."""

    def login(self, request, redirect_url=None):
        response = super().login(request, redirect_url)
        if request.user.is_authenticated:
            apply_session_lifetime(request=request, user=request.user)
        return response


# --- second factor required ----------------------------------------------------------------

_MFA_OK = "hw_mfa_ok"
_MFA_FREE_PATHS = ("/2fa/", "/logout/", "/login/", "/static/", "/i18n/", "/reauthenticate/")


def needs_second_factor(request) -> bool:
    """An office or admin account without TOTP, while HEADWATER_REQUIRE_MFA is on."""
    from allauth.mfa.models import Authenticator

    if request.session.get(_MFA_OK):
        return False
    user = request.user
    if (
        not is_office_or_admin(user)
        or Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        request.session[_MFA_OK] = True
        return False
    return True


class RequireSecondFactorMiddleware:
    """Sends office and admin accounts without a second factor to set one up first."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.HEADWATER_REQUIRE_MFA
            and not request.path.startswith(_MFA_FREE_PATHS)
            and request.user.is_authenticated
            and needs_second_factor(request)
        ):
            message = gettext(
                "Office and administrator accounts must set up a second factor (an "
                "authenticator app) before anything else."
            )
            if request.path.startswith("/api/"):
                from headwater.api import error_response

                return error_response(request, 403, "second_factor_required", message)
            messages.warning(request, message)
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


# --- leavers -------------------------------------------------------------------------------


def end_sessions(user) -> int:
    """End every session of `user` (those allauth.usersessions knows of)."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user=user):
        session.end()
        ended += 1
    return ended


def end_leaver_sessions(sender, instance, **kwargs) -> None:
    """A person marked as left loses their login and every session at once (post_save)."""
    if instance.employment_status != EmploymentStatus.LEFT:
        return
    user = get_user_model()._default_manager.filter(person=instance, is_active=True).first()
    if user is None:
        return
    user.is_active = False  # any session not tracked is refused by the backend's get_user
    user.save(update_fields=["is_active"])
    end_sessions(user)


def display_name(user) -> str:
    person = getattr(user, "person", None)
    return person.name if person else user.username
