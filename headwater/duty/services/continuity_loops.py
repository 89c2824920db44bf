"""Closed-loop operation (封闭运行): groups of operators living on site for a rotation, the
next group in reserve. The group's health is watched as one (any member with a code that is
not green or away flags the whole group), and the rotation hand-over is refused unless every
member of the incoming group holds a green code, naming those who do not."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from headwater.core import audit, clock, codes, locks
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import Person
from headwater.core.querysets import reaches
from headwater.core.writes import Written
from headwater.duty import rules
from headwater.duty.choices import LoopState
from headwater.duty.errors import DutyError
from headwater.duty.models import LoopGroup, Post
from headwater.duty.permissions import MANAGE_ROSTERS


@dataclass(frozen=True)
class MemberHealth:
    person: Person
    colour: str  # green / yellow / red / "" (no code yet)
    code_label: str
    away: str  # the absence's reason today, or ""

    @property
    def ok(self) -> bool:
        return self.colour == "green" and not self.away


@dataclass(frozen=True)
class GroupHealth:
    group: LoopGroup
    members: list[MemberHealth]

    @property
    def ok(self) -> bool:
        return all(m.ok for m in self.members)

    @property
    def problems(self) -> list[MemberHealth]:
        return [m for m in self.members if not m.ok]


def health(groups, day: dt.date | None = None) -> list[GroupHealth]:
    """Each group's members with their code and absence today (a few queries in all)."""
    day = day or clock.today()
    groups = list(groups.prefetch_related("members__unit").select_related("post"))
    ids = {p.pk for g in groups for p in g.members.all()}
    views = codes.current_many(ids) if ids else {}
    facts = rules.load_facts(groups[0].organization, ids, day, day) if ids else rules.Facts()
    out = []
    for group in groups:
        members = []
        for person in sorted(group.members.all(), key=lambda p: p.name):
            view = views.get(person.pk)
            away = facts.away_on(person.pk, day)
            members.append(
                MemberHealth(
                    person,
                    view.colour if view else "",
                    view.label if view else _("No code yet"),
                    away.reason if away else "",
                )
            )
        out.append(GroupHealth(group, members))
    return out


def _check(by, post) -> None:
    if not by.has_perm(MANAGE_ROSTERS) or not reaches(by, MANAGE_ROSTERS, post.unit):
        raise NotAllowed(_("Your role may not manage the closed-loop groups of this post."))


def create_group(post: Post, data, *, by) -> Written[LoopGroup]:
    """A new group (planned) of people of the post's team or reserve pool."""
    _check(by, post)
    eligible = set(post.eligible.values_list("person_id", flat=True))
    strangers = [pid for pid in data.member_ids if pid not in eligible]
    if strangers:
        message = _("Every member must be on the post's team or in its reserve pool.")
        raise DomainError(message, fields={"members": message})
    with transaction.atomic(), audit.acting_as(by):
        group = LoopGroup.objects.create(
            organization=post.organization,
            post=post,
            name=data.name,
            starts_on=data.starts_on,
            ends_on=data.ends_on,
        )
        group.members.set(data.member_ids)
    return group, True


def hand_over(incoming: LoopGroup, *, by, outgoing_to: str = LoopState.ENDED) -> Written[LoopGroup]:
    """The rotation hand-over: `incoming` goes on site; the group on site for the same post
    ends its rotation (or goes into reserve). Refused, changing nothing, unless every
    incoming member holds a green code."""
    _check(by, incoming.post)
    if outgoing_to not in (LoopState.ENDED, LoopState.RESERVE):
        message = _("The group leaving goes into reserve or ends its rotation.")
        raise DomainError(message, fields={"outgoing_to": message})
    with transaction.atomic(), audit.acting_as(by):
        group = locks.lock_one(LoopGroup, incoming.pk)
        if group.state == LoopState.ON_SITE:
            return group, False
        if group.state not in (LoopState.PLANNED, LoopState.RESERVE):
            message = _("Only a planned group or one in reserve can take over.")
            raise DomainError(message, code=DutyError.WRONG_STATE)
        members = list(group.members.order_by("name"))
        if not members:
            message = _("The incoming group has no members.")
            raise DomainError(message, code=DutyError.WRONG_STATE)
        views = codes.current_many([m.pk for m in members])
        not_green = [m for m in members if not (views.get(m.pk) and views[m.pk].is_green)]
        if not_green:
            names = "、".join(
                f"{m.name}（{views[m.pk].label if m.pk in views else _('No code yet')}）"
                for m in not_green
            )
            message = _("The hand-over needs a green code for every incoming member: %(names)s.")
            message %= {"names": names}
            raise DomainError(message, code=DutyError.UNAVAILABLE, fields={"members": message})
        leaving = locks.lock(
            LoopGroup.objects.filter(post_id=group.post_id, state=LoopState.ON_SITE)
        )
        for old in leaving:
            old.state = outgoing_to
            old.save(update_fields=["state"])
        group.state = LoopState.ON_SITE
        group.save(update_fields=["state"])
    return group, True
