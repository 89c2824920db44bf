"""Typed inputs of the setup use-cases (campaigns, sites, operators, batches, labels): the page
forms and the API schemas hand their data to `parse`, the one place each rule is written; a
refusal names every bad field at once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from headwater.core import inputs
from headwater.core.errors import invalid
from headwater.core.inputs import date_field
from headwater.core.models import Person, Site
from headwater.testing.choices import PoolSize

MAX_LABELS = 1300  # twenty A4 sheets of 65
MAX_DESKS = 50


text = inputs.text_field  # the one text reader (core.inputs)


def day(data: Mapping, name: str, errors: dict) -> dt.date | None:
    return date_field(data, name, errors, required=True)


def number(raw: Any) -> int | None:
    try:
        value = int(getattr(raw, "pk", raw))
    except (TypeError, ValueError):
        return None
    return value if 0 < value < 2**31 else None


def clock_time(data: Mapping, name: str, default: str, errors: dict) -> dt.time | None:
    raw = data.get(name) or default
    try:
        return raw if isinstance(raw, dt.time) else dt.time.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a time such as 08:30.")
        return None


@dataclass
class CampaignInput:
    """A campaign's name, dates, pooling size, what to bring and notes."""

    name: str
    starts_on: dt.date
    ends_on: dt.date
    pool_size: int
    bring: str = ""
    notes: str = ""

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "CampaignInput":
        errors: dict[str, str] = {}
        name = text(data, "name", 100, errors, required=True)
        starts_on = day(data, "starts_on", errors)
        ends_on = day(data, "ends_on", errors)
        if starts_on and ends_on and ends_on < starts_on:
            errors["ends_on"] = _("The last day is before the first day.")
        pool_size = number(data.get("pool_size"))
        if pool_size not in PoolSize.values:
            errors["pool_size"] = _("Choose a pooling size of 1, 5, 10 or 20.")
        bring = text(data, "bring", 300, errors)
        notes = text(data, "notes", 2000, errors)
        if errors:
            raise invalid(errors)
        return cls(name, starts_on, ends_on, pool_size, bring, notes)


@dataclass
class SiteInput:
    """A sampling site: name, address, optionally a site of the organization, its desks."""

    name: str
    address: str = ""
    site: Site | None = None
    desks: int = 1

    @classmethod
    def parse(cls, data: Mapping[str, Any], organization) -> "SiteInput":
        errors: dict[str, str] = {}
        name = text(data, "name", 100, errors, required=True)
        address = text(data, "address", 200, errors)
        site = None
        if data.get("site_id") not in (None, ""):
            site = Site.objects.filter(
                organization=organization, pk=number(data["site_id"])
            ).first()
            if site is None:
                errors["site_id"] = _("No such site.")
        desks = number(data.get("desks") if data.get("desks") not in (None, "") else 1)
        if desks is None or desks > MAX_DESKS:
            errors["desks"] = _("Enter a number of desks from 1 to %(n)s.") % {"n": MAX_DESKS}
        if errors:
            raise invalid(errors)
        return cls(name, address, site, desks)


@dataclass
class OperatorInput:
    """A person of the organization working a desk, at one of the campaign's sites."""

    person: Person
    site_id: int | None = None

    @classmethod
    def parse(cls, data: Mapping[str, Any], campaign) -> "OperatorInput":
        errors: dict[str, str] = {}
        person = (
            Person.objects.active()
            .filter(organization_id=campaign.organization_id, pk=number(data.get("person_id")))
            .first()
        )
        if person is None:
            errors["person_id"] = _("Choose a member of staff.")
        site_id = None
        if data.get("site_id") not in (None, ""):
            site_id = number(data["site_id"])
            if not campaign.sites.filter(pk=site_id).exists():
                errors["site_id"] = _("Not a sampling site of this campaign.")
        if errors:
            raise invalid(errors)
        return cls(person, site_id)


@dataclass
class BatchPlanInput:
    """How to lay out the batches: the first window's start each day, the window's length and
    the time by which the last window ends."""

    start: dt.time
    minutes: int
    day_end: dt.time

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "BatchPlanInput":
        errors: dict[str, str] = {}
        start = clock_time(data, "start", "08:00", errors)
        day_end = clock_time(data, "day_end", "18:00", errors)
        minutes = number(data.get("minutes") or 30)
        if minutes is None or not 5 <= minutes <= 600:
            errors["minutes"] = _("Enter a window of 5 to 600 minutes.")
        if start and day_end and day_end <= start:
            errors["day_end"] = _("The day must end after the first window starts.")
        if errors:
            raise invalid(errors)
        return cls(start, minutes, day_end)


@dataclass
class BatchInput:
    """An edited batch: its label, site and window."""

    label: str
    site_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime

    @classmethod
    def parse(cls, data: Mapping[str, Any], batch) -> "BatchInput":
        errors: dict[str, str] = {}
        label = text(data, "label", 100, errors, required=True)
        site_id = number(data.get("site_id") or batch.site_id)
        if not batch.campaign.sites.filter(pk=site_id).exists():
            errors["site_id"] = _("Not a sampling site of this campaign.")
        starts_at = _moment(data, "starts_at", errors)
        ends_at = _moment(data, "ends_at", errors)
        campaign = batch.campaign
        if (
            starts_at
            and not campaign.starts_on <= timezone.localdate(starts_at) <= campaign.ends_on
        ):
            errors["starts_at"] = _("The window is outside the campaign's days.")
        if starts_at and ends_at and ends_at <= starts_at:
            errors["ends_at"] = _("The window must end after it starts.")
        if errors:
            raise invalid(errors)
        return cls(label, site_id, starts_at, ends_at)


def _moment(data: Mapping, name: str, errors: dict) -> dt.datetime | None:
    raw = data.get(name)
    if raw in (None, ""):
        errors[name] = _("This field is required.")
        return None
    try:
        value = raw if isinstance(raw, dt.datetime) else dt.datetime.fromisoformat(str(raw))
    except ValueError:
        errors[name] = _("Enter a time such as 2020-02-01 08:30.")
        return None
    return value if timezone.is_aware(value) else timezone.make_aware(value)


@dataclass
class LabelsInput:
    """How many tube labels to print."""

    count: int

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> "LabelsInput":
        count = number(data.get("count"))
        if count is None or count > MAX_LABELS:
            raise invalid(
                {"count": _("Enter a number of labels from 1 to %(n)s.") % {"n": MAX_LABELS}}
            )
        return cls(count)
