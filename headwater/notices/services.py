"""Write use-cases of the notices app: publish (the audience fixed in one INSERT … SELECT),
read, confirm / acknowledge / answer, remind the people who have not read.

Receipts are not audited row by row (a notice to 100,000 people would write 100,000 audit
entries): the receipt itself records who read and answered when; the notice and each
reminder are audited.
"""

import datetime as dt
from functools import partial, reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from headwater.alerts.choices import Severity
from headwater.alerts.services import raise_alert
from headwater.core import clock, locks
from headwater.core.audit import acting_as
from headwater.core.choices import EmploymentStatus
from headwater.core.errors import DomainError, NotAllowed, invalid, require
from headwater.core.models import Organization, Person, Unit
from headwater.core.querysets import grants_for
from headwater.core.writes import Written, idempotent
from headwater.notices.choices import NoticeKind, Requirement
from headwater.notices.errors import NoticeError
from headwater.notices.inputs import PublishInput
from headwater.notices.models import Notice, Receipt, Reminder
from headwater.notices.permissions import PUBLISH, VIEW_RECEIPTS

# A second "remind" by the same sender within this time sends nothing again.
REMIND_WINDOW = dt.timedelta(minutes=30)
EXCERPT = 300  # characters of the body in a robot's message


def publish(org: Organization, data: PublishInput, *, by, key: str = "") -> Written[Notice]:
    """Publish a notice to the organization or to units (and their subtrees): one receipt for
    each active person of the audience, a message to the group robots. The office publishes
    anywhere; a unit head only to units within their grants (refused: nothing is written)."""
    require(by, PUBLISH)
    return idempotent(
        "notices.publish",
        by=by,
        key=key,
        model=Notice,
        write=lambda: (_publish(org, data, by=by, checked=True), True),
    )


def publish_announcement(org, title: str, body: str, *, kind: str, by, units=None) -> Notice:
    """core.announcements' publisher (the level switch): to everybody (or `units`), to be
    confirmed as read; the caller has already checked its own permission."""
    data = PublishInput(
        kind=kind if kind in NoticeKind.values else NoticeKind.OTHER,
        title=title[:200],
        body=body[:10000],
        unit_ids=[u.pk for u in units or []],
    )
    # An organization with nobody on the roster yet still switches: the robots are told.
    return _publish(org, data, by=by, checked=False, audience_required=False)


def _publish(
    org: Organization, data: PublishInput, *, by, checked: bool, audience_required: bool = True
) -> Notice:
    with transaction.atomic():
        units = list(Unit.objects.filter(organization=org, pk__in=data.unit_ids))
        if len(units) != len(data.unit_ids):
            raise invalid({"unit_ids": _("Unknown unit.")})
        if checked:
            _check_reach(by, units)
        with acting_as(by):
            notice = Notice.objects.create(
                organization=org,
                kind=data.kind,
                title=data.title,
                body=data.body,
                requirement=data.requirement,
                statement=data.statement,
                question=data.question,
                options=data.options,
                answer=data.answer,
                published_by=by if getattr(by, "pk", None) else None,
                published_at=clock.now(),
            )
            notice.units.set(units)
        notice.audience = _create_receipts(notice, units)
        if notice.audience == 0 and audience_required:
            raise DomainError(
                _("Nobody is in the chosen units."),
                code=NoticeError.NO_AUDIENCE,
                fields={"unit_ids": _("Nobody is in the chosen units.")},
            )
        Notice.objects.filter(pk=notice.pk).update(audience=notice.audience)
        raise_alert(
            org,
            kind="notices.published",
            title=notice.title,
            body=excerpt(notice.body),
            severity=Severity.INFO,
            link=reverse("notices:open", args=[notice.pk]),
            dedup_key=f"notice:{notice.pk}",
        )
    return notice


def _check_reach(by, units: list[Unit]) -> None:
    org_wide, paths = grants_for(by, PUBLISH)
    if org_wide or by.is_superuser:
        return
    if not units:
        raise NotAllowed(_("Only the control office publishes to the whole organization."))
    outside = [u for u in units if not any(u.path.startswith(p) for p in paths)]
    if outside:
        raise DomainError(
            _("You may publish only to your own units: %(units)s is not one of them.")
            % {"units": "、".join(u.name for u in outside)},
            code=NoticeError.OUTSIDE_UNITS,
            status=403,
            fields={"unit_ids": _("Choose only your own units.")},
        )


def _create_receipts(notice: Notice, units: list[Unit]) -> int:
    """One receipt per active person of the audience, in one INSERT … SELECT (no rows pass
    through Python: 100,000 people take about a second)."""
    people = Person.objects.filter(organization_id=notice.organization_id).exclude(
        employment_status=EmploymentStatus.LEFT
    )
    if units:
        people = people.filter(reduce(or_, (Q(unit__path__startswith=u.path) for u in units)))
    columns = people.order_by().values(pid=F("pk"), uid=F("unit_id"))
    select, params = columns.query.sql_with_params()
    table = connection.ops.quote_name(Receipt._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organization_id, notice_id, attempts, person_id, unit_id) "
            f"SELECT %s, %s, 0, a.pid, a.uid FROM ({select}) a",
            (notice.organization_id, notice.pk, *params),
        )
        return cursor.rowcount


def excerpt(body: str) -> str:
    """The body's start for a robot's markdown message: plain lines, markdown marks escaped."""
    text = body if len(body) <= EXCERPT else body[:EXCERPT].rstrip() + "…"
    for mark in ("\\", "*", "_", "#", "[", "]", "`", ">"):
        text = text.replace(mark, "\\" + mark)
    return text


def mark_read(receipt: Receipt, *, by) -> tuple[Receipt, bool]:
    """The person opened the notice: read now (once; opening again changes nothing)."""
    _own(receipt, by)
    now = clock.now()
    changed = bool(Receipt.objects.filter(pk=receipt.pk, read_at__isnull=True).update(read_at=now))
    if changed:
        receipt.read_at = now
    return receipt, changed


def confirm(receipt: Receipt, *, by, answer=None, key: str = "") -> Written[Receipt]:
    """Confirm reading, accept the statement, or answer the question. A wrong answer is
    recorded (answer, correct=False, attempts) and the person may try again; once done,
    confirming again changes nothing."""
    _own(receipt, by)
    return idempotent(
        "notices.confirm", by=by, key=key, model=Receipt, write=lambda: _confirm(receipt, answer)
    )


def _confirm(receipt: Receipt, answer) -> Written[Receipt]:
    (fresh,) = locks.lock(Receipt.objects.filter(pk=receipt.pk).select_related("notice"))
    if fresh.acknowledged_at is not None:
        return fresh, False
    notice, now = fresh.notice, clock.now()
    fresh.read_at = fresh.read_at or now
    if notice.requirement == Requirement.QUIZ:
        choice = _choice(answer, len(notice.options))
        fresh.answer, fresh.attempts = choice, fresh.attempts + 1
        fresh.correct = choice == notice.answer
    if notice.requirement != Requirement.QUIZ or fresh.correct:
        fresh.acknowledged_at = now
    fresh.save(update_fields=["read_at", "acknowledged_at", "answer", "correct", "attempts"])
    return fresh, True


def _choice(answer, count: int) -> int:
    try:
        choice = int(answer)
    except (TypeError, ValueError):
        choice = -1
    if isinstance(answer, bool) or not 0 <= choice < count:
        raise invalid({"answer": _("Choose one of the options.")})
    return choice


def _own(receipt: Receipt, by) -> None:
    if receipt.person_id is None or receipt.person_id != getattr(by, "person_id", None):
        raise NotAllowed(_("This is somebody else's notice."))


def remind(notice: Notice, *, by) -> tuple[Reminder, bool]:
    """Remind everybody within the sender's reach who has not read the notice, through their
    inbox. The tap records the reminder (how many it reaches now) and answers at once; the
    inbox items are written by the task queue after the commit (`deliver_reminder`), for the
    people still unread then. The same sender reminding again within 30 minutes sends nothing:
    (that reminder, False)."""
    require(by, VIEW_RECEIPTS)
    with transaction.atomic():
        locks.lock(Notice.objects.filter(pk=notice.pk))
        now = clock.now()
        last = Reminder.objects.filter(notice=notice, sent_by=by).order_by("-sent_at").first()
        if last is not None and now - last.sent_at < REMIND_WINDOW:
            return last, False
        round_ = Reminder.objects.filter(notice=notice).count() + 1
        with acting_as(by):
            reminder = Reminder.objects.create(
                organization_id=notice.organization_id,
                notice=notice,
                sent_by=by,
                sent_at=now,
                round=round_,
                recipients=_unread_users(notice, by).count(),
            )
        Notice.objects.filter(pk=notice.pk).update(reminders=F("reminders") + 1, reminded_at=now)
        transaction.on_commit(partial(send_reminder, reminder.pk))
    return reminder, True


def _unread_users(notice: Notice, by):
    unread = Receipt.objects.visible_to(by).filter(notice=notice).unread()
    return get_user_model().objects.filter(is_active=True, person_id__in=unread.values("person_id"))


def deliver_reminder(reminder_id: int) -> int:
    """The inbox items of one reminder, for the people within its sender's reach who have not
    read by now; once (the alert's dedup key is the notice and the round). Returns how many."""
    reminder = Reminder.objects.select_related("notice__organization", "sent_by").get(
        pk=reminder_id
    )
    if reminder.delivered_at is not None:
        return 0
    notice = reminder.notice
    users = list(_unread_users(notice, reminder.sent_by).values_list("pk", flat=True))
    with transaction.atomic():
        if users:
            raise_alert(
                notice.organization,
                kind="notices.reminder",
                title=_("Please read: %(title)s") % {"title": notice.title},
                severity=Severity.INFO,
                link=reverse("notices:open", args=[notice.pk]),
                to_users=users,
                dedup_key=f"notice:{notice.pk}:remind:{reminder.round}",
                robots=False,
            )
        Reminder.objects.filter(pk=reminder.pk).update(delivered_at=clock.now())
    return len(users)


@db_task(retries=5, retry_delay=60)
def send_reminder(reminder_id: int) -> int:
    return deliver_reminder(reminder_id)
