"""The relatives' health lines (家属健康情况) of a check-in: written inside the check-in's own
transaction (so its idempotency key covers them), one row per relative and day, a later
check-in of the day overwriting the row. A check-in that sends no lines costs no statement."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from headwater.core.errors import invalid
from headwater.core.models import HouseholdMember, Person
from headwater.health.choices import Symptom
from headwater.health.inputs import RelativeLine
from headwater.health.models import CheckIn, HouseholdCheckIn

FIELDS = ("temperature", "symptoms", "travel", "note", "is_abnormal")


def save_lines(
    checkin: CheckIn,
    person: Person,
    lines: list[RelativeLine],
    fever_threshold: Decimal,
    now: dt.datetime,
) -> list[HouseholdCheckIn]:
    """Store the day's line of each relative in `lines`; return the abnormal ones (with their
    member). A line for somebody who is not one of the person's active relatives refuses the
    whole check-in (DomainError, rolled back with it)."""
    if not lines:
        return []
    ids = [line.member_id for line in lines]
    members = {
        m.pk: m
        for m in HouseholdMember.objects.filter(person=person, is_active=True, pk__in=ids).only(
            "id", "name", "relation", "person_id"
        )
    }
    unknown = [pk for pk in ids if pk not in members]
    if unknown:
        message = _("Not one of your household members.")
        raise invalid({f"relatives.{pk}": message for pk in unknown})
    existing = {
        row.member_id: row
        for row in HouseholdCheckIn.objects.select_for_update().filter(
            member_id__in=ids, date=checkin.date
        )
    }
    abnormal = []
    for line in lines:
        values = {
            "temperature": line.temperature,
            "symptoms": line.symptoms,
            "travel": line.travel,
            "note": line.note,
            "is_abnormal": line.is_abnormal(fever_threshold),
        }
        row = existing.get(line.member_id)
        if row is None:
            row = HouseholdCheckIn.objects.create(
                organization_id=checkin.organization_id,
                member=members[line.member_id],
                person=person,
                checkin=checkin,
                date=checkin.date,
                updated_at=now,
                **values,
            )
        else:
            for name, value in values.items():
                setattr(row, name, value)
            row.checkin, row.updated_at = checkin, now
            row.save(update_fields=[*FIELDS, "checkin", "updated_at"])
        row.member = members[line.member_id]
        if row.is_abnormal:
            abnormal.append(row)
    return abnormal


def describe_line(line: HouseholdCheckIn) -> str:
    """A relative's line in words, e.g. "配偶 王芳：38.2 °C, 咳嗽"."""
    parts = [f"{line.temperature} °C"]
    parts += [str(Symptom(s).label) for s in line.symptoms]
    if line.travel:
        parts.append(_("travel or contact: %(note)s") % {"note": line.note})
    return _("%(relation)s %(name)s: %(what)s") % {
        "relation": line.member.get_relation_display(),
        "name": line.member.name,
        "what": _(", ").join(parts),
    }
