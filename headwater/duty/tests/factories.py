"""Builders for duty tests: posts with the shifts of a pattern and their teams, written
directly (the services are tested on their own)."""

from headwater.core.models import Qualification
from headwater.duty.choices import PostKind, ShiftPattern
from headwater.duty.models import Eligibility, Post, ShiftDef
from headwater.duty.patterns import specs


def make_post(
    unit,
    name="第一水厂中控室",
    *,
    kind=PostKind.CONTROL_ROOM,
    pattern=ShiftPattern.DAY_NIGHT,
    min_people=1,
    qualification="",
    min_qualified=0,
    duty_phone="0571-88880001",
    critical=False,
    team=(),
) -> Post:
    post = Post.objects.create(
        organization=unit.organization,
        name=name,
        kind=kind,
        unit=unit,
        duty_phone=duty_phone,
        min_people=min_people,
        qualification=qualification,
        min_qualified=min_qualified,
        critical=critical,
    )
    for spec in specs(pattern):
        ShiftDef.objects.create(
            organization=unit.organization,
            post=post,
            label=spec.label,
            starts=spec.starts,
            hours=spec.hours,
            night=spec.night,
        )
    for person in team:
        Eligibility.objects.create(organization=unit.organization, post=post, person=person)
    return post


def qualify(person, kind="plant_operator") -> Qualification:
    return Qualification.objects.create(organization=person.organization, person=person, kind=kind)
