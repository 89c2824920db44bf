"""Write use-cases of the briefing app: generate a day's briefing (a new version only when
something changed) and distribute a version to the group robots and by e-mail."""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from headwater.briefing import document
from headwater.briefing.choices import BriefingKind, Channel, DispatchStatus
from headwater.briefing.errors import BriefingError
from headwater.briefing.models import Briefing, Dispatch
from headwater.briefing.permissions import GENERATE_BRIEFING
from headwater.briefing.settings_registry import ISSUER, RECIPIENTS
from headwater.core import audit, clock, levels, locks, tiles
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Organization

log = logging.getLogger(__name__)
ONE_DAY = dt.timedelta(days=1)


def _require(by, organization) -> None:
    if by is None:
        return  # the task queue, acting for the organization
    if not by.has_perm(GENERATE_BRIEFING) or (
        not by.is_superuser and by.organization_id != organization.pk
    ):
        raise NotAllowed(_("Your role may not generate or send briefings."))


def generate(
    organization: Organization, day: dt.date, *, by=None, kind: str = BriefingKind.DAILY
) -> tuple[Briefing, bool]:
    """The briefing of `day` (the day reported) from every registered section, in Chinese and
    English: version 1, or the next version when the content differs from the latest (which
    stays, no longer latest); the latest itself, not created, when nothing changed. `by`:
    the office user asking, None for the task queue. Audited."""
    _require(by, organization)
    if day >= clock.today() + dt.timedelta(days=1):
        raise DomainError(
            _("A briefing can be generated only for a day that has begun."),
            code=BriefingError.FUTURE_DAY,
            fields={"day": _("Choose today or an earlier day.")},
        )
    with transaction.atomic(), audit.acting_as(by):
        # One generation at a time per organization: numbers and versions are read, then taken.
        locks.lock_one(Organization, organization.pk)
        return _generate(organization, day, by=by, kind=kind)


def _generate(organization, day, *, by, kind) -> tuple[Briefing, bool]:
    sections = tiles.briefing_for(organization, day + dt.timedelta(days=1))
    latest = Briefing.objects.of_day(organization, day, kind).filter(is_latest=True).first()
    number = latest.number if latest else _next_number(organization, kind, day.year)
    version = latest.version + 1 if latest else 1
    now = clock.now()
    issuer = levels.value(organization, ISSUER)
    content = {
        language: document.build(
            organization,
            day,
            sections,
            language,
            number=number,
            version=version,
            issued_at=now,
            issuer=issuer,
        )
        for language in tiles.LANGUAGES
    }
    content = document.json_ready(content)
    if latest is not None:
        if document.same(latest.content, content):
            return latest, False
        for language, doc in content.items():
            doc["changes"] = document.changes(latest.doc(language), doc, language)
        latest.is_latest = False
        latest.save(update_fields=["is_latest"])
    briefing = Briefing.objects.create(
        organization=organization,
        kind=kind,
        day=day,
        number=number,
        version=version,
        generated_at=now,
        generated_by=by,
        content=content,
        quiet=content["zh-hans"]["quiet"],
        flags=sum(len(s["flags"]) for s in content["zh-hans"]["sections"]),
    )
    link = document.absolute(reverse("briefing:detail", args=[briefing.pk]))
    for doc in content.values():
        doc["link"] = link
    Briefing.objects.filter(pk=briefing.pk).update(content=content)
    return briefing, True


def _next_number(organization, kind: str, year: int) -> int:
    """Issues are numbered in the order they are first generated within the year reported."""
    taken = Briefing.objects.of(organization).filter(kind=kind, day__year=year)
    return (taken.aggregate(n=Max("number"))["n"] or 0) + 1


# --- Distribution --------------------------------------------------------------------------


def distribute(briefing: Briefing, *, by=None) -> list[Dispatch]:
    """Send one version to the group robots (through alerts.raise_alert: each delivery
    recorded and retried) and by e-mail with the PDF attached to the kind's recipients.
    Once per version and channel: a channel already used for this version sends nothing
    again. Returns the dispatches made now."""
    _require(by, briefing.organization)
    # Each dispatch is audited as it is created (who sent which version where).
    with transaction.atomic(), audit.acting_as(by):
        return [d for d in (_to_robots(briefing, by), _by_email(briefing, by)) if d]


def _claim(briefing: Briefing, channel: str, by, **fields) -> Dispatch | None:
    dispatch, created = Dispatch.objects.get_or_create(
        briefing=briefing,
        channel=channel,
        defaults={
            "organization_id": briefing.organization_id,
            "created_at": clock.now(),
            "sent_by": by,
            **fields,
        },
    )
    return dispatch if created else None


def robot_message(briefing: Briefing) -> tuple[str, str]:
    """The title and markdown body the group robots get: the key points and the link (the
    group reads Chinese)."""
    doc = briefing.doc("zh-hans")
    title = f"{doc['title']}（{doc['number']}）"
    points = "\n".join(f"{i}. {p}" for i, p in enumerate(doc["key_points"], 1))
    body = f"**{doc['day_text']} · 今日要点**\n{points}"
    return title, body


def _to_robots(briefing: Briefing, by) -> Dispatch | None:
    from headwater.alerts.choices import Severity
    from headwater.alerts.services import raise_alert

    dispatch = _claim(briefing, Channel.ROBOTS, by)
    if dispatch is None:
        return None
    title, body = robot_message(briefing)
    alert = raise_alert(
        briefing.organization,
        kind=f"briefing.{briefing.kind}",
        title=title,
        body=body,
        severity=Severity.INFO,
        link=reverse("briefing:detail", args=[briefing.pk]),
        dedup_key=f"briefing:{briefing.pk}",
    )
    dispatch.recipients = alert.deliveries.count()
    dispatch.status, dispatch.sent_at = DispatchStatus.SENT, clock.now()
    dispatch.save(update_fields=["recipients", "status", "sent_at"])
    return dispatch


def recipients(briefing: Briefing) -> list[str]:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    found = []
    for address in levels.value(briefing.organization, RECIPIENTS):
        try:
            validate_email(address)
        except ValidationError:
            log.warning("briefing %s: not an e-mail address: %r", briefing.pk, address)
            continue
        found.append(address)
    return found


def _by_email(briefing: Briefing, by) -> Dispatch | None:
    to = recipients(briefing)
    if not to:
        return None
    dispatch = _claim(briefing, Channel.EMAIL, by, recipients=len(to))
    if dispatch is None:
        return None
    from headwater.briefing.mail import send_email

    transaction.on_commit(lambda: send_email(dispatch.pk))
    return dispatch
