"""Rows of a campaign's preparation (the setup part): the label sheets printed for it and the
notices sent to its batches. Imported by models.py so Django knows them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.owned import OrganizationOwned
from headwater.testing.models import Batch, Campaign, CampaignScope


class LabelSheet(OrganizationOwned):
    """One printing of tube labels: `count` new tubes numbered from `first` in the campaign's
    sequence (barcodes `LabelSheet.barcode(campaign, n)`), so the same sheet can be printed
    again and a retried request prints nothing new."""

    scope = CampaignScope("campaign__")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="label_sheets", verbose_name=_("campaign")
    )
    first = models.PositiveIntegerField(_("first number"))
    count = models.PositiveIntegerField(_("labels"))
    printed_at = models.DateTimeField(_("printed at"), default=clock.now)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("printed by"),
    )

    class Meta:
        verbose_name = _("label sheet")
        verbose_name_plural = _("label sheets")
        ordering = ["campaign", "first"]

    @staticmethod
    def barcode(campaign_id: int, number: int) -> str:
        """`C` + the campaign's number + a five-digit sequence: unique in the organization (a
        campaign's number is), printable as Code 128 and QR, easy to type."""
        return f"C{campaign_id:04d}{number:05d}"

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def barcodes(self) -> list[str]:
        return [self.barcode(self.campaign_id, n) for n in range(self.first, self.last + 1)]

    def __str__(self) -> str:
        first, last = (self.barcode(self.campaign_id, n) for n in (self.first, self.last))
        return f"{first}–{last}"


class BatchNotice(OrganizationOwned):
    """A notice sent to a batch's unit before the day (site, window, what to bring): sent
    once per batch unless the office sends it again, each sending kept."""

    scope = CampaignScope("batch__campaign__")

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="notices", verbose_name=_("batch")
    )
    notice_id = models.PositiveBigIntegerField(_("notice"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        verbose_name = _("batch notice")
        verbose_name_plural = _("batch notices")
        ordering = ["batch", "sent_at"]
