"""Read logic of the health app: scope, completion and the overview figures."""

import datetime as dt

from django.db import models


class CheckInQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CheckInQuerySet":
        """Check-ins of the people the user may see (core scope)."""
        from headwater.core.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def on(self, date: dt.date) -> "CheckInQuerySet":
        return self.filter(date=date)

    def abnormal(self) -> "CheckInQuerySet":
        return self.filter(is_abnormal=True)


class HealthCodeQuerySet(models.QuerySet):
    def current(self) -> "HealthCodeQuerySet":
        return self.filter(is_current=True)

    def visible_to(self, user) -> "HealthCodeQuerySet":
        from headwater.core.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


# --- Figures for the pages, the tiles and the briefing --------------------------------------


def _checkin_counts(
    organization_id: int, day: dt.date, unit_ids=None
) -> dict[int, tuple[int, int]]:
    """unit id -> (people checked in, people abnormal) on `day`, from one grouped query."""
    from django.db.models import Count, Q

    from headwater.health.models import CheckIn

    qs = CheckIn.objects.filter(organization_id=organization_id, date=day)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    rows = qs.values("unit_id").annotate(
        done=Count("person_id", distinct=True),
        abnormal=Count("person_id", filter=Q(is_abnormal=True), distinct=True),
    )
    return {r["unit_id"]: (r["done"], r["abnormal"]) for r in rows}


def _staff_counts(people) -> dict[int, int]:
    from django.db.models import Count

    return dict(people.values_list("unit_id").annotate(n=Count("id")).values_list("unit_id", "n"))


def completion_for(user, day: dt.date) -> tuple[int, int, int]:
    """(checked in, staff, abnormal) among the active people the user may see."""
    from headwater.core.models import Person

    people = Person.objects.visible_to(user).active()
    staff = _staff_counts(people)
    counts = _checkin_counts(user.organization_id, day, unit_ids=list(staff))
    done = sum(min(counts.get(u, (0, 0))[0], n) for u, n in staff.items())
    abnormal = sum(counts.get(u, (0, 0))[1] for u in staff)
    return done, sum(staff.values()), abnormal


def organization_totals(organization, day: dt.date) -> dict:
    from django.db.models import Count

    from headwater.health.models import HealthCode

    staff = organization.people.active().count()
    counts = _checkin_counts(organization.pk, day)
    done = sum(d for d, _ in counts.values())
    codes = dict(
        HealthCode.objects.filter(organization=organization, is_current=True)
        .exclude(person__employment_status="left")
        .values_list("colour")
        .annotate(n=Count("id"))
        .values_list("colour", "n")
    )
    return {
        "done": done,
        "total": staff,
        "rate": round(100 * done / staff, 1) if staff else 0,
        "abnormal": sum(a for _, a in counts.values()),
        "green": codes.get("green", 0),
        "yellow": codes.get("yellow", 0),
        "red": codes.get("red", 0),
    }
