"""Posts and what the solver reads of them: the post (office), its shifts (written from a
ready-made pattern, then editable), its team and reserve pool (the unit head of the post's
unit or the office), leave (the unit head for their people) and wishes (each person their
own). One transaction each, audited (the models are tracked), bad input named by field."""

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import locks
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, NotAllowed, require
from headwater.core.models import Person, Site, Unit
from headwater.core.querysets import reaches
from headwater.duty.inputs_rosters import LeaveInput, PostInput, ShiftDefInput, WishInput
from headwater.duty.models import Eligibility, Leave, Post, Preference, ShiftDef
from headwater.duty.patterns import specs
from headwater.duty.permissions import MANAGE_POSTS, MANAGE_ROSTERS


def _unit_and_site(data: PostInput, by) -> tuple[Unit, Site | None]:
    unit = Unit.objects.filter(pk=data.unit_id, organization_id=by.organization_id).first()
    if unit is None:
        raise DomainError(_("Choose a unit."), fields={"unit": _("Choose a unit.")})
    site = None
    if data.site_id:
        site = Site.objects.filter(pk=data.site_id, organization_id=by.organization_id).first()
        if site is None:
            raise DomainError(_("Choose a site."), fields={"site": _("Choose a site.")})
    return unit, site


def save_post(data: PostInput, *, by, post: Post | None = None):
    """Create a post with the shifts of its pattern, or change one (its shifts stay)."""
    require(by, MANAGE_POSTS)
    unit, site = _unit_and_site(data, by)
    fields = {
        "name": data.name,
        "kind": data.kind,
        "unit": unit,
        "site": site,
        "duty_phone": data.duty_phone,
        "min_people": data.min_people,
        "qualification": data.qualification,
        "min_qualified": data.min_qualified,
        "critical": data.critical,
        "active": data.active,
    }
    with transaction.atomic(), acting_as(by):
        if post is not None:
            post = locks.lock_one(Post, post.pk)
            for name, value in fields.items():
                setattr(post, name, value)
            post.save()
            return post, False
        post = Post.objects.create(organization_id=by.organization_id, **fields)
        ShiftDef.objects.bulk_create(
            ShiftDef(
                organization_id=post.organization_id,
                post=post,
                label=s.label,
                starts=s.starts,
                hours=s.hours,
                night=s.night,
            )
            for s in specs(data.pattern)
        )
    return post, True


def set_shifts(post: Post, shifts: list[ShiftDefInput], *, by):
    """Replace a post's shifts of the day (rosters already generated keep their shifts)."""
    require(by, MANAGE_POSTS)
    if not shifts:
        raise DomainError(_("A post needs at least one shift."), fields={"shifts": ""})
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Post, post.pk)
        ShiftDef.objects.filter(post=post).delete()
        ShiftDef.objects.bulk_create(
            ShiftDef(
                organization_id=post.organization_id,
                post=post,
                label=s.label,
                starts=s.starts,
                hours=s.hours,
                night=s.night,
            )
            for s in shifts
        )
    return post, False


def set_people(post: Post, person_ids, leader_ids=(), *, reserve: bool, by):
    """Set the team (people of the post's unit; leaders marked) or the reserve pool (people
    of other units) of a post. People left out are removed from that list."""
    if not reaches(by, MANAGE_ROSTERS, post.unit):
        raise NotAllowed(_("Only the head of this unit or the office may change its teams."))
    ids = set(person_ids)
    people = list(Person.objects.active().filter(pk__in=ids, organization_id=post.organization_id))
    inside = {p.pk for p in people if p.unit.path.startswith(post.unit.path)}
    wrong = ids - {p.pk for p in people} | (ids - inside if not reserve else ids & inside)
    if wrong:
        message = (
            _("The reserve pool takes people of other units only.")
            if reserve
            else _("The team takes active people of the post's unit only.")
        )
        raise DomainError(message, fields={"people": message})
    with transaction.atomic(), acting_as(by):
        locks.lock_one(Post, post.pk)
        current = Eligibility.objects.filter(post=post, reserve=reserve)
        current.exclude(person_id__in=ids).delete()
        Eligibility.objects.filter(post=post, person_id__in=ids).exclude(reserve=reserve).delete()
        existing = {e.person_id: e for e in current.filter(person_id__in=ids)}
        leaders = set(leader_ids) & ids
        for pid in sorted(ids):
            row = existing.get(pid)
            if row is None:
                Eligibility.objects.create(
                    organization_id=post.organization_id,
                    post=post,
                    person_id=pid,
                    reserve=reserve,
                    is_leader=pid in leaders,
                )
            elif row.is_leader != (pid in leaders):
                row.is_leader = pid in leaders
                row.save(update_fields=["is_leader"])
    return post, False


def record_leave(data: LeaveInput, *, by):
    """The unit head (or the office) records leave for one of their people."""
    person = Person.objects.visible_to(by).filter(pk=data.person_id).select_related("unit").first()
    if person is None or not reaches(by, MANAGE_ROSTERS, person.unit):
        raise DomainError(
            _("Choose one of your people."), fields={"person": _("Choose one of your people.")}
        )
    with transaction.atomic(), acting_as(by):
        leave = Leave.objects.create(
            organization_id=person.organization_id,
            person=person,
            kind=data.kind,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            note=data.note,
            recorded_by=by,
        )
    return leave, True


def remove_leave(leave: Leave, *, by):
    if not reaches(by, MANAGE_ROSTERS, leave.person.unit):
        raise NotAllowed(_("Only the head of this unit or the office may change its leave."))
    with transaction.atomic(), acting_as(by):
        Leave.objects.filter(pk=leave.pk).delete()
    return leave, True


def add_wish(data: WishInput, *, by):
    """A person's own wish (a day off, no night shift, a day to work); the same twice is one."""
    if not by.person_id:
        raise NotAllowed(_("Only staff with a roster entry may enter wishes."))
    with transaction.atomic(), acting_as(by):
        return Preference.objects.get_or_create(
            organization_id=by.organization_id,
            person_id=by.person_id,
            day=data.day,
            kind=data.kind,
        )


def remove_wish(wish: Preference, *, by):
    if wish.person_id != by.person_id:
        raise NotAllowed(_("You may remove only your own wishes."))
    with transaction.atomic(), acting_as(by):
        Preference.objects.filter(pk=wish.pk).delete()
    return wish, True
