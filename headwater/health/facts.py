"""Gathers the facts the rules look at, for one person on one day: health's own from the
database, and those other capabilities provide through core.codes."""

import datetime as dt

from headwater.core import codes
from headwater.core.models import Person
from headwater.health.choices import RESPIRATORY, EpiStatus, Household, RiskLevel, Symptom
from headwater.health.models import CheckIn, RiskArea, StatusRecord
from headwater.health.rules import ISOLATING, Facts

LOOKBACK_DAYS = 30


def risk_areas_on(organization_id: int, day: dt.date) -> list[RiskArea]:
    """Areas rated at some time in the look-back window: a trip counts by the area's rating
    on the day the person came back, even if the rating has ended since."""
    return list(
        RiskArea.objects.of(organization_id)
        .filter(valid_from__lte=day)
        .exclude(valid_to__lt=day - dt.timedelta(days=LOOKBACK_DAYS))
        .only("name", "level", "valid_from", "valid_to")
    )


def _days_since_area(
    checkins: list[CheckIn], areas: list[RiskArea], level: str, today: dt.date
) -> int | None:
    """Days since the person came back from an area of `level` (rated so on the return day)."""
    best = None
    for c in checkins:
        if not (c.left_city and c.travel_to):
            continue
        back = c.returned_on or c.date
        for a in areas:
            if (
                a.level == level
                and a.name in c.travel_to
                and a.valid_from <= back
                and (a.valid_to is None or back <= a.valid_to)
            ):
                days = (today - back).days
                best = days if best is None else min(best, days)
    return best


def gather(
    person: Person,
    today: dt.date,
    fever_threshold: float,
    tracking_since: dt.date,
    areas: list[RiskArea] | None = None,
) -> Facts:
    """`tracking_since`: when check-ins began (the first rule set), so that nobody counts as
    missing check-ins from before the organization asked for them."""
    since = today - dt.timedelta(days=LOOKBACK_DAYS)
    checkins = list(
        CheckIn.objects.filter(person=person, date__gte=since, date__lte=today).order_by(
            "-date", "-slot"
        )
    )
    statuses = list(StatusRecord.objects.filter(person=person).exclude(ended_on__lt=since))
    if areas is None:
        areas = risk_areas_on(person.organization_id, today)
    facts = Facts(today=today)
    facts.statuses = {s.kind for s in statuses if s.ended_on is None or s.ended_on >= today}
    ended = [
        s.ended_on for s in statuses if s.ended_on and s.ended_on < today and s.kind in ISOLATING
    ]
    facts.released_on = max(ended) if ended else None
    for s in statuses:
        start = s.exposure_on or s.started_on
        if start > facts.status_started.get(s.kind, dt.date.min):
            facts.status_started[s.kind] = start
    for c in checkins:
        facts.normal_days[c.date] = facts.normal_days.get(c.date, True) and not c.is_abnormal
    if checkins:
        latest = checkins[0]
        symptoms = set(latest.symptoms)
        facts.temperature = float(latest.temperature)
        facts.fever = float(latest.temperature) >= fever_threshold or Symptom.FEVER in symptoms
        facts.respiratory_symptom = bool(symptoms & RESPIRATORY)
        facts.other_symptom = bool(symptoms - {Symptom.FEVER})
        facts.household_unwell = latest.household != Household.WELL
        facts.days_without_checkin = (today - latest.date).days
    else:
        facts.days_without_checkin = max(0, (today - max(since, tracking_since)).days)
    contacts = [
        c.last_contact_on or c.date for c in checkins if c.contact_confirmed or c.contact_suspected
    ]
    if contacts:
        facts.days_since_confirmed_contact = (today - max(contacts)).days
    facts.days_since_high_risk_area = _days_since_area(checkins, areas, RiskLevel.HIGH, today)
    facts.days_since_medium_risk_area = _days_since_area(checkins, areas, RiskLevel.MEDIUM, today)
    exposures = [
        s.exposure_on or s.started_on for s in statuses if s.kind == EpiStatus.CLOSE_CONTACT
    ] + contacts
    if facts.days_since_high_risk_area is not None:
        exposures.append(today - dt.timedelta(days=facts.days_since_high_risk_area))
    facts.last_exposure_on = max(exposures) if exposures else None
    facts.extra = codes.provided_facts([person.pk], today).get(person.pk, {})
    return facts
