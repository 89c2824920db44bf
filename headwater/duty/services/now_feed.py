"""Each person's calendar feed (iCalendar): a secret URL a calendar app fetches without a
session. The URL carries a token signed over the person and the feed's secret
(django.core.signing); regenerating the secret revokes every earlier URL."""

import datetime as dt

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from headwater.core import clock
from headwater.core.audit import acting_as
from headwater.core.errors import NotAllowed
from headwater.core.writes import Written
from headwater.duty.choices import RosterState
from headwater.duty.models import Assignment, CalendarFeed
from headwater.duty.models_now import new_secret

SALT = "duty.calendar"
PAST, AHEAD = dt.timedelta(days=31), dt.timedelta(days=120)


def feed_of(person) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(
        person=person, defaults={"organization_id": person.organization_id}
    )
    return feed


def token(feed: CalendarFeed) -> str:
    return signing.dumps({"p": feed.person_id, "s": feed.secret}, salt=SALT)


def path(feed: CalendarFeed) -> str:
    return reverse("duty:calendar_feed", args=[token(feed)])


def regenerate(person, *, by) -> Written[CalendarFeed]:
    """A new secret: the old URL answers 404 from now on. Only the person themselves."""
    if by.person_id != person.pk:
        raise NotAllowed(_("Only the person may renew their calendar link."))
    with transaction.atomic(), acting_as(by):
        feed = feed_of(person)
        feed.secret = new_secret()
        feed.save(update_fields=["secret"])
    return feed, False


def feed_for_token(raw: str) -> CalendarFeed | None:
    """The feed a token opens; None for a forged, damaged or revoked one."""
    try:
        value = signing.loads(raw[:300], salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("p"), int):
        return None
    return (
        CalendarFeed.objects.filter(person_id=value["p"], secret=str(value.get("s")))
        .select_related("person__organization")
        .first()
    )


def ics(feed: CalendarFeed) -> bytes:
    """The person's published shifts from a month ago to four months ahead."""
    moment = clock.now()
    rows = (
        Assignment.objects.filter(
            person_id=feed.person_id,
            shift__roster__state=RosterState.PUBLISHED,
            shift__ends_at__gt=moment - PAST,
            shift__starts_at__lt=moment + AHEAD,
        )
        .select_related("shift__post__site")
        .order_by("shift__starts_at")
    )
    cal = Calendar()
    cal.add("prodid", "-//Headwater//duty//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("My duty shifts"))
    cal.add("x-wr-timezone", timezone.get_current_timezone_name())
    for a in rows:
        shift, post = a.shift, a.shift.post
        event = Event()
        event.add("uid", f"duty-shift-{shift.pk}-{a.person_id}@headwater")
        event.add("dtstamp", moment)
        event.add("dtstart", timezone.localtime(shift.starts_at))
        event.add("dtend", timezone.localtime(shift.ends_at))
        event.add("summary", f"{post.name} · {shift.label}")
        if post.site:
            event.add("location", post.site.name)
        if post.duty_phone:
            event.add("description", _("Duty phone: %(phone)s") % {"phone": post.duty_phone})
        cal.add_component(event)
    return cal.to_ical()
