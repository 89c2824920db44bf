"""Choices of the core app. Each carries a translated label and, where pages show it, a colour."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteKind(models.TextChoices):
    WATER_PLANT = "water_plant", _("Water plant")
    RESERVOIR = "reservoir", _("Reservoir")
    PUMPING_STATION = "pumping_station", _("Pumping station")
    SUPPLY_STATION = "supply_station", _("Supply station")
    OFFICE = "office", _("Office")
    LAB = "lab", _("Laboratory")
    CANTEEN = "canteen", _("Canteen")
    CHECKPOINT = "checkpoint", _("Checkpoint")
    WAREHOUSE = "warehouse", _("Warehouse")
    DISPATCH_CENTER = "dispatch_center", _("Dispatch center")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    SECONDED = "seconded", _("Seconded")
    LEFT = "left", _("Left")


class QualificationKind(models.TextChoices):
    PLANT_OPERATOR = "plant_operator", _("Licensed plant operator")
    LAB_TECHNICIAN = "lab_technician", _("Certified lab technician")
    ELECTRICIAN = "electrician", _("Electrician")
    CHLORINE_HANDLER = "chlorine_handler", _("Chlorine handler")
    PIPE_WELDER = "pipe_welder", _("Pipe welder")
    DRIVER = "driver", _("Driver")


class ResponseLevel(models.TextChoices):
    """Public-health emergency response levels; level 1 is the most severe."""

    LEVEL_1 = "level1", _("Level 1 response")
    LEVEL_2 = "level2", _("Level 2 response")
    LEVEL_3 = "level3", _("Level 3 response")
    NORMAL = "normal", _("Normal")

    @classmethod
    def colour(cls, value: str) -> str:
        return {"level1": "danger", "level2": "warning", "level3": "info"}.get(value, "success")


class Relation(models.TextChoices):
    """How a household member is related to the member of staff who registers them."""

    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    SIBLING = "sibling", _("Sibling")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other household member")
