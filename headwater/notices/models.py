"""Notices with read receipts: what the office or a unit head publishes, and one receipt per
person of the audience, fixed when the notice is published."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.owned import OrganizationOwned, OrganizationWide, Scope, ThroughUnit
from headwater.core.querysets import grants_for
from headwater.notices.choices import NoticeKind, Requirement
from headwater.notices.permissions import VIEW_RECEIPTS
from headwater.notices.querysets import NoticeQuerySet, ReceiptQuerySet


class Reaching(Scope):
    """A notice is seen by its sender, by holders of `VIEW_RECEIPTS` over the whole
    organization, and by holders over a unit when somebody of that unit's subtree is in the
    notice's audience (the receipts carry the unit)."""

    def q(self, user) -> Q:
        org_wide, paths = grants_for(user, VIEW_RECEIPTS)
        if org_wide:
            return Q()
        q = Q(published_by=user)
        for path in paths:
            q |= Exists(Receipt.objects.filter(notice=OuterRef("pk"), unit__path__startswith=path))
        return q


class Notice(OrganizationOwned):
    """A notice to the whole organization (no units) or to units and their subtrees."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=10000)
    requirement = models.CharField(
        _("requirement"), max_length=20, choices=Requirement.choices, default=Requirement.READ
    )
    statement = models.CharField(_("acknowledgement"), max_length=200, blank=True)
    question = models.CharField(_("question"), max_length=300, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)
    answer = models.PositiveSmallIntegerField(_("correct option"), null=True, blank=True)
    units = models.ManyToManyField("core.Unit", verbose_name=_("units"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), default=clock.now)
    audience = models.PositiveIntegerField(_("audience"), default=0)
    reminders = models.PositiveIntegerField(_("reminders sent"), default=0)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    scope = Reaching()
    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Receipt(OrganizationOwned):
    """One person's receipt of a notice: opened (read), done (acknowledged: confirmed, the
    statement accepted or the question answered right), their last answer."""

    # Receipts are written 100,000 at a time by one INSERT … SELECT from core_person, so the
    # person, unit and organization keys come from existing rows: their foreign-key checks
    # (PostgreSQL checks each row at commit) and single-column indexes would cost four times
    # the insert itself and guard nothing (ADR 0016). The composite indexes below serve the
    # reads; the notice keeps its constraint.
    organization = models.ForeignKey(
        "core.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    notice = models.ForeignKey(
        Notice,
        verbose_name=_("notice"),
        on_delete=models.CASCADE,
        related_name="receipts",
        db_index=False,  # the unique (notice, person) index serves it
    )
    person = models.ForeignKey(
        "core.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the (person, acknowledged_at) index serves it
    )
    # The person's unit when the notice was published: counts by unit and scope follow it.
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    answer = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    correct = models.BooleanField(_("correct"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    scope = ThroughUnit("unit", VIEW_RECEIPTS)
    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [models.UniqueConstraint(fields=["notice", "person"], name="receipt_unique")]
        indexes = [
            models.Index(fields=["person", "acknowledged_at"]),
            models.Index(fields=["notice", "unit"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.notice_id}"

    @property
    def answer_text(self) -> str:
        options = self.notice.options
        return (
            options[self.answer] if self.answer is not None and self.answer < len(options) else ""
        )


class Reminder(OrganizationOwned):
    """One "remind all who have not read" by one sender: when, how many it reached."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="reminder_rows"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), default=clock.now)
    round = models.PositiveIntegerField(_("round"))
    recipients = models.PositiveIntegerField(_("recipients"))  # unread within reach at the tap
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    # Holds no personal data (a count): read only beside a notice the user sees.
    scope = OrganizationWide(VIEW_RECEIPTS)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.notice_id} #{self.round}"
