"""Kinds and states of the network app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NodeKind(models.TextChoices):
    JUNCTION = "junction", _("Junction")
    TANK = "tank", _("Tank")
    RESERVOIR = "reservoir", _("Reservoir")


class LinkKind(models.TextChoices):
    PIPE = "pipe", _("Pipe")
    PUMP = "pump", _("Pump")
    VALVE = "valve", pgettext_lazy("network link", "Control valve")


class LinkStatus(models.TextChoices):
    """A link's initial status in the model (EPANET's [PIPES]/[STATUS])."""

    OPEN = "open", pgettext_lazy("link status", "Open")
    CLOSED = "closed", pgettext_lazy("link status", "Closed")
    CV = "cv", _("Check valve")


class ValveSource(models.TextChoices):
    """Where an isolation valve of the layer came from."""

    IMPORTED = "imported", _("Imported")
    STRATEGIC = "strategic", _("Generated (strategic N-k)")
    RANDOM = "random", _("Generated (random)")


class CustomerKind(models.TextChoices):
    DESIGNATED_HOSPITAL = "designated_hospital", _("Designated hospital")
    FEVER_CLINIC = "fever_clinic", _("Fever clinic")
    HOSPITAL = "hospital", _("Hospital")
    CDC = "cdc", _("Center for disease control")
    QUARANTINE_HOTEL = "quarantine_hotel", _("Quarantine hotel")
    TESTING_SITE = "testing_site", _("Testing site")
    SEALED_COMMUNITY = "sealed_community", _("Sealed community")
    DISINFECTANT_MAKER = "disinfectant_maker", _("Disinfectant maker")
    PPE_MAKER = "ppe_maker", _("Protective equipment maker")
    TELECOM = "telecom", _("Telecom")
    BROADCASTING = "broadcasting", _("Broadcasting")
    COMMAND_CENTER = "command_center", _("Emergency command center")
    LOGISTICS = "logistics", _("Supplies and logistics")
    OTHER = "other", pgettext_lazy("critical customer kind", "Other")


class SupplyState(models.TextChoices):
    """A critical customer's state on the board."""

    FED = "fed", _("Fed")
    AT_RISK = "at_risk", _("At risk")
    CUT = "cut", _("Cut off")


class PointKind(models.TextChoices):
    PRESSURE = "pressure", _("Pressure")
    FLOW = "flow", _("Flow")


class WorkOrderKind(models.TextChoices):
    BURST = "burst", _("Burst")
    PRESSURE = "pressure", _("Pressure alarm")
    CHECK = "check", _("Hidden-risk check")
    OTHER = "other", pgettext_lazy("work order kind", "Other")


class WorkOrderState(models.TextChoices):
    OPEN = "open", pgettext_lazy("work order state", "Open")
    ISOLATED = "isolated", _("Isolated")
    REPAIRED = "repaired", _("Repaired")
    CLOSED = "closed", pgettext_lazy("work order state", "Closed")

    @classmethod
    def active(cls) -> tuple[str, ...]:
        return (cls.OPEN, cls.ISOLATED, cls.REPAIRED)
