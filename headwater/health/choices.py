"""Choices of the health app, with translated labels and the colours pages show."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Slot(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class Symptom(models.TextChoices):
    FEVER = "fever", _("Fever")
    COUGH = "cough", _("Cough")
    SORE_THROAT = "sore_throat", _("Sore throat")
    FATIGUE = "fatigue", _("Fatigue")
    TASTE_SMELL = "taste_smell", _("Loss of taste or smell")
    DIARRHOEA = "diarrhoea", _("Diarrhoea")


# The respiratory symptoms of the code rules (2020 practice: cough, sore throat, loss of taste
# or smell).
RESPIRATORY = {Symptom.COUGH, Symptom.SORE_THROAT, Symptom.TASTE_SMELL}


class Whereabouts(models.TextChoices):
    AT_WORK = "at_work", _("At work")
    AT_HOME = "at_home", _("Working from home")
    IN_CITY = "in_city", _("Elsewhere in the city")
    AWAY = "away", _("Out of the city")


class Household(models.TextChoices):
    WELL = "well", _("All well")
    UNWELL = "unwell", _("Someone unwell")
    ISOLATED = "isolated", _("Someone isolated or under observation")


class CodeColour(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")

    @property
    def severity(self) -> int:
        return {"green": 0, "yellow": 1, "red": 2}[self.value]

    @property
    def css(self) -> str:
        return {"green": "success", "yellow": "warning", "red": "danger"}[self.value]


class EpiStatus(models.TextChoices):
    """A person's epidemiological status, recorded by the office or the isolation capability."""

    CONFIRMED = "confirmed", _("Confirmed case")
    SUSPECTED = "suspected", _("Suspected case")
    CLOSE_CONTACT = "close_contact", _("Close contact")
    CENTRALIZED = "centralized", _("Centralized isolation")
    HOME_ISOLATION = "home_isolation", _("Home isolation")
    OBSERVATION = "observation", _("Medical observation")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High risk")
    MEDIUM = "medium", _("Medium risk")
    LOW = "low", _("Low risk")


class Recovery(models.TextChoices):
    """How a non-green code turns green again."""

    NORMAL_DAYS = "normal_days", _("After N consecutive days of normal check-ins")
    SINCE_EXPOSURE = "since_exposure", _("N days after the last exposure")
    RELEASE_AND_NORMAL_DAYS = "release_normal", _("After release and N days of normal check-ins")


class ReportStatus(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")

    @property
    def css(self) -> str:
        return {"on_time": "success", "late": "warning", "missing": "danger"}[self.value]


class ScreeningStatus(models.TextChoices):
    """A household member's line of a day in the grid screening (网格化筛查)."""

    ABNORMAL = "abnormal", _("Abnormal")
    NOT_REPORTED = "not_reported", _("Not reported")
    NORMAL = "normal", pgettext_lazy("health line", "Normal")

    @property
    def css(self) -> str:
        return {"abnormal": "danger", "not_reported": "warning", "normal": "success"}[self.value]
