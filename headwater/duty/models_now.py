"""The "now" part's one table: each person's secret calendar feed (iCalendar), revoked by
regenerating its secret."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import Person
from headwater.core.owned import OrganizationOwned, PersonIs


def new_secret() -> str:
    return secrets.token_urlsafe(18)


class CalendarFeed(OrganizationOwned):
    """A person's calendar subscription: the feed URL carries a token signed over the person
    and this secret, so a calendar app fetches it without a session; regenerating the secret
    makes every earlier URL answer 404."""

    scope = PersonIs(("person_id",))

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    secret = models.CharField(_("secret"), max_length=40, default=new_secret)
    created_at = models.DateTimeField(_("created at"), default=clock.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
