"""Logins from the roster, and their activation with one-time codes (issue 11, ADR 0012).

- `create_logins(organization, unit, by=…)`: a login for every person of a unit subtree (or of
  the whole organization) who has none: the username is the staff number, no usable password,
  the staff role. Idempotent: people who already have a login are counted, not touched.
- `issue_codes(users, by=…)`: a fresh single-use code per login (older unused codes of the same
  people stop working). The code opens `/activate/<code>/` (`activation_url`), which signs the
  person in through allauth and sends them to choose a password (core.views.logins).
- `activation_sheet(unit, by=…)`: the rows of a unit's activation sheet (a PDF of slips with a QR
  code each), issuing the codes; `send_codes_by_sms(…)` sends them through core.sms.
- `consume(raw)`: the login a code activates, marking it used; refuses a used, expired or
  unknown code in words and changes nothing.

Who may: the office anywhere in its organization, a unit head in their unit subtree
(permission MANAGE_LOGINS, scoped like every other grant).
"""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.core import audit, clock
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import ActivationCode, Organization, Person, RoleGrant, Unit, User
from headwater.core.querysets import reaches, unit_scope
from headwater.core.roles import Role, grant

MANAGE_LOGINS = "core.manage_logins"  # create logins, issue activation codes (office, unit head)
BATCH = 5_000


def register() -> None:
    """Called from CoreConfig.ready(): the permission, and the menu entry."""
    from django.utils.translation import gettext_lazy

    from headwater.core import navigation

    grant(Role.OFFICE, MANAGE_LOGINS)
    grant(Role.UNIT_HEAD, MANAGE_LOGINS)
    navigation.add(
        navigation.MenuItem(
            gettext_lazy("Logins"), "core:logins", MANAGE_LOGINS, 14, group="organization"
        )
    )


def activation_days() -> int:
    return settings.HEADWATER_ACTIVATION_DAYS


# --- scope -----------------------------------------------------------------------------------


def units_for(user):
    """The units whose logins `user` may manage."""
    if user.is_superuser:
        return Unit.objects.all()
    scope = unit_scope(user, MANAGE_LOGINS)
    return Unit.objects.filter(scope) if scope is not None else Unit.objects.none()


def check_unit(user, unit: Unit | None) -> None:
    """Refuse a user whose grants do not reach `unit` (None: the whole organization)."""
    if not user.has_perm(MANAGE_LOGINS):
        raise NotAllowed(_("Your role may not manage logins."))
    if unit is None:
        if not user.is_superuser and not unit_scope_org_wide(user):
            raise NotAllowed(_("Only the control office manages the logins of everyone."))
    elif not reaches(user, MANAGE_LOGINS, unit):
        raise NotAllowed(_("This unit is outside your scope."))


def unit_scope_org_wide(user) -> bool:
    from headwater.core.querysets import grants_for

    return grants_for(user, MANAGE_LOGINS)[0]


def people_of(organization: Organization, unit: Unit | None):
    qs = Person.objects.filter(organization=organization)
    return qs.filter(unit__path__startswith=unit.path) if unit is not None else qs


def users_in_scope(by):
    """Logins of people `by` may manage logins for."""
    if by.is_superuser:
        return User.objects.filter(person__isnull=False)
    scope = unit_scope(by, MANAGE_LOGINS, prefix="person__unit__")
    return User.objects.filter(scope) if scope is not None else User.objects.none()


# --- bulk creation ---------------------------------------------------------------------------


@dataclass
class Skipped:
    employee_no: str
    name: str
    reason: str


@dataclass
class LoginReport:
    created: int = 0
    already: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "already": self.already,
            "skipped": [s.__dict__ for s in self.skipped],
        }


def create_logins(organization: Organization, unit: Unit | None, *, by) -> LoginReport:
    """A login for every person of `unit`'s subtree (None: the whole organization) who has none:
    username = staff number, no usable password, the staff role over the organization. People
    who already have a login are counted and left alone; a leaver, a person without a staff
    number and a staff number already used as another login's username are skipped with the
    reason. One audit record on the unit (or the organization) says how many were created."""
    check_unit(by, unit)
    if unit is not None and unit.organization_id != organization.pk:
        raise NotAllowed(_("This unit is outside your scope."))
    report = LoginReport()
    people = people_of(organization, unit)
    has_login = User.objects.filter(person=OuterRef("pk"))
    rows = list(
        people.annotate(has_login=Exists(has_login))
        .order_by("employee_no")
        .values_list("pk", "employee_no", "name", "employment_status", "has_login")
    )
    wanted: dict[str, int] = {}
    for pk, no, name, status, has in rows:
        no = (no or "").strip()
        if has:
            report.already += 1
        elif status == EmploymentStatus.LEFT:
            report.skipped.append(Skipped(no, name, _("Has left")))
        elif not no:
            report.skipped.append(Skipped(no, name, _("No staff number")))
        elif no in wanted:
            report.skipped.append(Skipped(no, name, _("Staff number used twice")))
        else:
            wanted[no] = pk
    names = {pk: name for pk, _no, name, _s, _h in rows}
    taken = _taken_usernames(list(wanted))
    for no in sorted(taken):
        pk = wanted.pop(no)
        report.skipped.append(
            Skipped(no, names[pk], _("The staff number is already another login's username"))
        )
    unusable = make_password(None)  # "!…": nobody can sign in with it; one value is enough
    with transaction.atomic():
        items = list(wanted.items())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            users = User.objects.bulk_create(
                [
                    User(
                        username=no,
                        password=unusable,
                        person_id=pk,
                        organization=organization,
                    )
                    for no, pk in chunk
                ],
                batch_size=BATCH,
            )
            if users and users[0].pk is None:  # a backend that returns no ids (not ours)
                users = list(User.objects.filter(username__in=[no for no, _pk in chunk]))
            RoleGrant.objects.bulk_create(
                [RoleGrant(user_id=u.pk, role=Role.STAFF, unit=None) for u in users],
                batch_size=BATCH,
            )
        report.created = len(items)
        if report.created:
            audit.record(
                unit if unit is not None else organization,
                actor=by,
                logins_created=report.created,
            )
    return report


def _taken_usernames(numbers: list[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(numbers), BATCH):
        chunk = numbers[start : start + BATCH]
        taken.update(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    return taken


# --- activation codes ------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.strip().encode()).hexdigest()


def activation_path(raw: str) -> str:
    return reverse("activate", args=[raw])


def activation_url(raw: str) -> str:
    return settings.HEADWATER_BASE_URL.rstrip("/") + activation_path(raw)


def not_activated(users):
    """Of `users`: the active logins that have never been used (no usable password, no code
    used)."""
    used = ActivationCode.objects.filter(user=OuterRef("pk"), used_at__isnull=False)
    return (
        users.filter(is_active=True, password__startswith="!", last_login__isnull=True)
        .exclude(person__employment_status=EmploymentStatus.LEFT)
        .exclude(Exists(used))
    )


@dataclass
class IssuedCode:
    user: User
    code: str
    url: str
    expires_at: object


def issue_codes(users: list[User], *, by, audit_each: bool = False) -> list[IssuedCode]:
    """A fresh code for each login; older unused codes of the same logins stop working now."""
    now = clock.now()
    expires = now + timedelta(days=activation_days())
    issued, rows = [], []
    for user in users:
        raw = secrets.token_urlsafe(12)  # 16 characters, 96 bits
        rows.append(
            ActivationCode(
                user=user,
                token_hash=_hash(raw),
                created_at=now,
                expires_at=expires,
                issued_by=by if by and by.is_authenticated else None,
            )
        )
        issued.append(IssuedCode(user, raw, activation_url(raw), expires))
    with transaction.atomic():
        ActivationCode.objects.filter(
            user__in=[u.pk for u in users], used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        ActivationCode.objects.bulk_create(rows, batch_size=BATCH)
        if audit_each:
            for user in users:
                audit.record(user, actor=by, activation_code_issued=str(user))
    return issued


def _managed_user(person: Person, *, by) -> User:
    if not by.has_perm(MANAGE_LOGINS) or not reaches(by, MANAGE_LOGINS, person.unit):
        raise NotAllowed(_("This person is outside your scope."))
    user = User.objects.filter(person=person).select_related("person").first()
    if user is None:
        raise DomainError(
            _("This person has no login yet: create the logins of their unit first."),
            code="not_found",
            status=404,
        )
    if not user.is_active or person.employment_status == EmploymentStatus.LEFT:
        raise DomainError(_("This login is disabled (the person has left)."), code="wrong_state")
    return user


def reissue(person: Person, *, by) -> IssuedCode:
    """A unit head (or the office) issues a new code for one member; audited on the login."""
    user = _managed_user(person, by=by)
    return issue_codes([user], by=by, audit_each=True)[0]


@dataclass
class SheetRow:
    unit: str
    name: str
    employee_no: str
    code: str
    url: str


def activation_sheet(unit: Unit, *, by) -> tuple[list[SheetRow], object]:
    """The rows of `unit`'s activation sheet: each person of its subtree with a login not yet
    activated, with a fresh code (older unused codes stop working). Audited on the unit."""
    check_unit(by, unit)
    users = list(
        not_activated(User.objects.filter(person__unit__path__startswith=unit.path))
        .select_related("person__unit")
        .order_by("person__unit__path", "username")
    )
    issued = issue_codes(users, by=by)
    if issued:
        audit.record(unit, actor=by, activation_sheet=len(issued))
    rows = [
        SheetRow(i.user.person.unit.name, i.user.person.name, i.user.username, i.code, i.url)
        for i in issued
    ]
    return rows, (issued[0].expires_at if issued else None)


def sms_text(issued: IssuedCode) -> str:
    return _(
        "[Headwater] %(name)s, your login is ready: open %(url)s to activate it and choose a "
        "password (valid for %(days)s days, single use)."
    ) % {"name": issued.user.person.name, "url": issued.url, "days": activation_days()}


@dataclass
class SmsReport:
    sent: int = 0
    no_phone: list[str] = field(default_factory=list)


def send_codes_by_sms(*, by, person: Person | None = None, unit: Unit | None = None) -> SmsReport:
    """Send a fresh code by SMS to one person, or to everyone of a unit not yet activated."""
    from headwater.core import sms
    from headwater.core.accounts import normalize_phone

    if person is not None:
        users = [_managed_user(person, by=by)]
        audit_each = True
    else:
        check_unit(by, unit)
        users = list(
            not_activated(User.objects.filter(person__unit__path__startswith=unit.path))
            .select_related("person")
            .order_by("username")
        )
        audit_each = False
    report = SmsReport()
    reachable = [u for u in users if normalize_phone(u.person.phone)]
    report.no_phone = [u.person.name for u in users if not normalize_phone(u.person.phone)]
    if person is not None and not reachable:
        message = _("This person has no mobile number on the roster.")
        raise DomainError(message, fields={"phone": message})
    for issued in issue_codes(reachable, by=by, audit_each=audit_each):
        sms.send(
            normalize_phone(issued.user.person.phone),
            sms_text(issued),
            template="activation",
            params={
                "name": issued.user.person.name,
                "url": issued.url,
                "days": str(activation_days()),
            },
        )
        report.sent += 1
    if unit is not None and person is None and report.sent:
        audit.record(unit, actor=by, activation_sms=report.sent)
    return report


def find(raw: str) -> ActivationCode | None:
    return (
        ActivationCode.objects.filter(token_hash=_hash(raw or ""))
        .select_related("user__person")
        .first()
    )


def refusal(code: ActivationCode | None) -> str | None:
    """Why a code cannot activate (in words), or None when it can."""
    if code is None:
        return _("This activation code is not valid. Ask your unit head for a new one.")
    if code.used_at is not None:
        return _(
            "This activation code has already been used. Sign in with your password or an SMS "
            "code, or ask your unit head for a new one."
        )
    if code.expires_at <= clock.now():
        return _(
            "This activation code has expired or was replaced by a newer one. Ask your unit "
            "head for a new one."
        )
    user = code.user
    person = getattr(user, "person", None)
    if not user.is_active or (person and person.employment_status == EmploymentStatus.LEFT):
        return _("This login is disabled.")
    return None


@transaction.atomic
def consume(raw: str) -> User:
    """Mark the code used and return its login; a used, expired or unknown code is refused
    (DomainError) and nothing changes. Locks the row: two taps on one code, one sign-in."""
    code = (
        ActivationCode.objects.select_for_update(of=("self",))
        .filter(token_hash=_hash(raw or ""))
        .select_related("user__person")
        .first()
    )
    message = refusal(code)
    if message:
        raise DomainError(message, code="wrong_state", fields={"code": message})
    code.used_at = clock.now()
    code.save(update_fields=["used_at"])
    return code.user


def unit_counts(units, organization_id) -> dict[int, dict[str, int]]:
    """Per unit (its own people): active people, with a login, awaiting activation."""
    from django.db.models import Count

    unit_ids = [u.pk for u in units]
    active = Person.objects.filter(unit_id__in=unit_ids).exclude(
        employment_status=EmploymentStatus.LEFT
    )
    people = dict(active.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))
    logins = dict(
        User.objects.filter(person__in=active)
        .values_list("person__unit_id")
        .annotate(n=Count("id"))
        .values_list("person__unit_id", "n")
    )
    waiting = dict(
        not_activated(User.objects.filter(person__unit_id__in=unit_ids))
        .values_list("person__unit_id")
        .annotate(n=Count("id"))
        .values_list("person__unit_id", "n")
    )
    return {
        pk: {
            "people": people.get(pk, 0),
            "logins": logins.get(pk, 0),
            "waiting": waiting.get(pk, 0),
        }
        for pk in unit_ids
    }
