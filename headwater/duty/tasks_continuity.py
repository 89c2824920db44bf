"""Continuity's jobs (imported by the app's ready()): the sweep of flags every few minutes
(a catch-up for any change no signal reported), the sweep of a few people right after their
code, status or leave changed, and the staffing-margin alert every six hours."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from headwater.core.models import Organization, Person
from headwater.duty.choices import RosterState
from headwater.duty.models import Post, Roster
from headwater.duty.services import continuity, continuity_margin


@db_task()
def sweep_people(person_ids: list[int]) -> int:
    """Flag (or clear) the upcoming shifts of these people; returns the flags raised."""
    by_org: dict[int, list[int]] = {}
    for pid, org_id in Person.objects.filter(pk__in=person_ids).values_list(
        "pk", "organization_id"
    ):
        by_org.setdefault(org_id, []).append(pid)
    raised = 0
    for org in Organization.objects.filter(pk__in=list(by_org)):
        raised += continuity.sweep_people(org, by_org[org.pk])[0]
    return raised


@db_periodic_task(crontab(minute="*/5"))
def sweep_flags() -> int:
    raised = 0
    published = Roster.objects.filter(state=RosterState.PUBLISHED).values("organization_id")
    for org in Organization.objects.filter(pk__in=published):
        raised += continuity.sweep(org)[0]
    return raised


@db_periodic_task(crontab(minute="15", hour="*/6"))
def alert_staffing_margins() -> int:
    raised = 0
    critical = Post.objects.filter(critical=True, active=True).values("organization_id")
    for org in Organization.objects.filter(pk__in=critical):
        raised += continuity_margin.alert_shortfalls(org)
    return raised
