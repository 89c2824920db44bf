"""Telling people before the day (提前告知): one notice per batch to the batch's unit through
core.announcements (the notices capability carries it: inbox and read receipts), with the
site, the window and what to bring; once per batch unless the office sends it again. Outside
people have no inbox: a printable list per company (PDF, Excel) carries the same."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from headwater.core import announcements, privacy
from headwater.core.audit import acting_as
from headwater.testing.models import Batch, BatchNotice, Campaign, RosterEntry
from headwater.testing.services.setup import locked_campaign, require_manager

KIND = "testing.campaign"


def window(batch: Batch) -> str:
    starts = timezone.localtime(batch.starts_at)
    ends = timezone.localtime(batch.ends_at)
    return f"{starts:%Y-%m-%d %H:%M}–{ends:%H:%M}"


def where(batch: Batch) -> str:
    site = batch.site
    return f"{site.name}（{site.address}）" if site.address else site.name


def notice_text(campaign: Campaign, batch: Batch) -> tuple[str, str]:
    """The title and body of a batch's notice, in the organization's language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(campaign)s: %(batch)s, %(window)s") % {
            "campaign": campaign.name,
            "batch": batch.label,
            "window": window(batch),
        }
        body = _(
            "Nucleic acid test %(campaign)s. %(batch)s: please come to %(site)s between "
            "%(window)s. Please bring: %(bring)s."
        ) % {
            "campaign": campaign.name,
            "batch": batch.label,
            "site": where(batch),
            "window": window(batch),
            "bring": campaign.bring or _("nothing in particular"),
        }
    return title, body


def send_notices(campaign: Campaign, *, by, resend: bool = False) -> tuple[int, bool]:
    """Publish the notice of every unit batch not yet told (or of every unit batch when
    `resend`); each sending is kept as a BatchNotice. Returns how many were sent."""
    require_manager(by, campaign.organization_id)
    with transaction.atomic(), acting_as(by):
        locked = locked_campaign(campaign)
        batches = Batch.objects.filter(campaign=locked, unit__isnull=False).select_related(
            "unit", "site"
        )
        if not resend:
            batches = batches.filter(notices__isnull=True)
        sent = 0
        for batch in batches.order_by("starts_at", "pk"):
            title, body = notice_text(locked, batch)
            notice = announcements.publish(
                locked.organization, title, body, kind=KIND, by=by, units=[batch.unit]
            )
            BatchNotice.objects.create(
                organization_id=locked.organization_id,
                batch=batch,
                notice_id=getattr(notice, "pk", None),
                sent_by=by if getattr(by, "pk", None) else None,
            )
            sent += 1
    return sent, bool(sent)


def outsider_rows(campaign: Campaign, company: str = "") -> list[dict]:
    """The printable list of outside people (per company, or all): name, masked phone,
    company, site, window, what to bring."""
    entries = (
        RosterEntry.objects.filter(campaign=campaign, outsider__isnull=False)
        .select_related("outsider", "site", "batch__site")
        .order_by("company", "outsider__name", "pk")
    )
    if company:
        entries = entries.filter(company=company)
    return [
        {
            "name": e.outsider.name,
            "phone": privacy.mask_phone(e.outsider.phone),
            "company": e.company,
            "site": where(e.batch) if e.batch else (e.site.name if e.site else ""),
            "window": window(e.batch) if e.batch else "",
            "bring": campaign.bring,
        }
        for e in entries
    ]


def companies(campaign: Campaign) -> list[str]:
    return sorted(
        set(
            RosterEntry.objects.filter(campaign=campaign, outsider__isnull=False).values_list(
                "company", flat=True
            )
        )
    )
