"""Choices of the notices app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeKind(models.TextChoices):
    LEVEL_CHANGE = "level_change", _("Response level change")
    RULES = "rules", pgettext_lazy("notice kind", "Rules")
    HANDBOOK = "handbook", _("Protection handbook")
    TRAINING = "training", _("Training item")
    OTHER = "other", _("Other")


class Requirement(models.TextChoices):
    """What a person does to be done with a notice."""

    READ = "read", _("Confirm reading")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    QUIZ = "quiz", _("Answer a question")
