"""What the desk pages and endpoints read: the desks a user works, the roster found by a
search (masked), the site's batches and queue numbers for the caller. Every read goes through
`visible_to(user)`."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from headwater.core.privacy import mask_id_number, mask_phone
from headwater.testing.choices import CampaignState, EntryStatus
from headwater.testing.models import (
    Batch,
    Campaign,
    CampaignOperator,
    RosterEntry,
    SamplingSite,
    Ticket,
)
from headwater.testing.services.desk_common import may_work, runs_campaigns

SEARCH_LIMIT = 20
NEXT_NUMBERS = 10


def my_desks(user) -> list[Campaign]:
    """The open campaigns whose desks the user works (each with `desk_sites`): the ones they
    are listed for, or every open one for the office."""
    campaigns = Campaign.objects.visible_to(user).filter(state=CampaignState.OPEN)
    if not runs_campaigns(user):
        listed = CampaignOperator.objects.filter(person_id=user.person_id or 0)
        campaigns = campaigns.filter(pk__in=listed.values("campaign_id"))
    campaigns = list(campaigns.order_by("starts_on", "pk"))
    sites = SamplingSite.objects.filter(campaign__in=campaigns).order_by("pk")
    by_campaign: dict[int, list] = {}
    for s in sites:
        by_campaign.setdefault(s.campaign_id, []).append(s)
    for c in campaigns:
        c.desk_sites = by_campaign.get(c.pk, [])
    return campaigns


def desk_site(user, pk: int) -> SamplingSite:
    """The sampling site of a campaign whose desks the user works, with its campaign: 404 for
    anybody else (a unit head sees the campaign elsewhere, not its desks)."""
    site = get_object_or_404(
        SamplingSite.objects.visible_to(user).select_related("campaign"), pk=pk
    )
    if not may_work(user, site.campaign):
        raise Http404
    return site


@dataclass
class Found:
    """A roster entry as a desk shows it: masked phone and ID number."""

    id: int
    name: str
    kind: str  # "staff" or "outsider"
    employee_no: str
    unit_or_company: str
    phone: str
    id_number: str
    status: str
    status_label: str


def search(user, site: SamplingSite, q: str) -> list[Found]:
    """Entries of the site's campaign whose person has this staff number, phone or ID number,
    or whose name contains `q` (at most 20)."""
    q = q.strip()
    if not q:
        return []
    exact = Q(person__employee_no=q) | Q(person__phone=q) | Q(person__id_number=q.upper())
    exact |= Q(outsider__phone=q) | Q(outsider__id_number=q.upper())
    named = Q(person__name__contains=q) | Q(outsider__name__contains=q)
    rows = (
        RosterEntry.objects.visible_to(user)
        .filter(campaign_id=site.campaign_id)
        .filter(exact | named)
        .select_related("person__unit", "outsider")
        .order_by("pk")[:SEARCH_LIMIT]
    )
    return [_found(e) for e in rows]


def _found(e: RosterEntry) -> Found:
    who = e.person or e.outsider
    return Found(
        id=e.pk,
        name=who.name,
        kind="staff" if e.person_id else "outsider",
        employee_no=e.person.employee_no if e.person_id else "",
        unit_or_company=e.person.unit.name if e.person_id else e.outsider.company,
        phone=mask_phone(who.phone),
        id_number=mask_id_number(who.id_number),
        status=e.status,
        status_label=str(EntryStatus(e.status).label),
    )


@dataclass
class Calls:
    """The batch caller's view of one site."""

    batches: list = field(default_factory=list)
    next_numbers: list[int] = field(default_factory=list)
    last_called: int | None = None
    issued: int = 0


def calls(site: SamplingSite) -> Calls:
    """The site's batches with their window and how many are registered / still waiting (one
    grouped query), and the next queue numbers to call."""
    batches = list(
        Batch.objects.filter(site_id=site.pk)
        .select_related("unit")
        .annotate(
            waiting=Count("entries", filter=Q(entries__status=EntryStatus.PENDING)),
            registered=Count("entries", filter=~Q(entries__status=EntryStatus.PENDING)),
        )
        .order_by("starts_at", "pk")
    )
    tickets = Ticket.objects.filter(site_id=site.pk)
    waiting = tickets.filter(called_at=None).order_by("number")
    last = tickets.exclude(called_at=None).order_by("-number").values_list("number", flat=True)
    return Calls(
        batches=batches,
        next_numbers=list(waiting.values_list("number", flat=True)[:NEXT_NUMBERS]),
        last_called=last.first(),
        issued=site.next_number - 1,
    )
