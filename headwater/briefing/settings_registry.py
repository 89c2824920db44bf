"""The briefing app's per-response-level settings (core.levels)."""

from django.utils.translation import gettext_lazy as _

from headwater.core import levels

GENERATE_AT = "briefing.generate_at"
ISSUER = "briefing.issuer"
RECIPIENTS = "briefing.daily.recipients"

levels.register(
    GENERATE_AT,
    _("Daily briefing: generated at"),
    kind=str,
    format=levels.TIME,
    default="08:30",
    help_text=_("Each day at this time the previous day's briefing is generated and sent."),
)
levels.register(
    ISSUER,
    _("Daily briefing: issued by"),
    kind=str,
    max_length=50,
    default="疫情防控办公室",
    help_text=_("The issuing office named under the briefing's title."),
)
levels.register(
    RECIPIENTS,
    _("Daily briefing: e-mail recipients"),
    kind=list,
    max_length=50,
    default=[],
    help_text=_("E-mail addresses, separated by commas, that receive the briefing as a PDF."),
)
