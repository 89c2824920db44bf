"""Critical customers and the pipe network (重点用户保水、爆管影响分析): versioned network
models (an EPANET .inp file with its nodes, links and isolation-valve layer), critical
customers fed from the model's nodes, pressure/flow points with their telemetry readings,
the network's work orders (bursts, pressure alarms, hidden-risk checks) and the pipe
criticality ranking.

Scope: the network is the organization's; everything is organization-wide to holders of
`network.view_network` (office, leaders, dispatchers, crews, quality); writes need
`network.manage_network` or `network.manage_work_orders`. A model version is immutable once
imported: a new file is a new version, and `current` marks the one in use (ADR 0026)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from headwater.core import clock
from headwater.core.models import DeviceToken
from headwater.core.owned import OrganizationOwned, OrganizationWide
from headwater.network.choices import (
    CustomerKind,
    LinkKind,
    LinkStatus,
    NodeKind,
    PointKind,
    ValveSource,
    WorkOrderKind,
    WorkOrderState,
)
from headwater.network.permissions import VIEW_NETWORK

USER = settings.AUTH_USER_MODEL
NETWORK = OrganizationWide(VIEW_NETWORK)


def _by(name):
    return models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=name
    )


class NetworkModel(OrganizationOwned):
    """One version of the organization's hydraulic model: the .inp text as uploaded and
    what was read from it. Versions are numbered per organization; exactly one is current
    once any exists (the import makes the new one current in the same transaction)."""

    scope = NETWORK

    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    inp = models.TextField(_("model file (.inp)"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    flow_units = models.CharField(_("flow units"), max_length=10, blank=True)
    node_count = models.PositiveIntegerField(_("nodes"), default=0)
    link_count = models.PositiveIntegerField(_("links"), default=0)
    # The isolation-valve layer in use for this version (ValveSource, blank = none yet).
    valve_layer = models.CharField(
        _("valve layer"), max_length=20, choices=ValveSource.choices, blank=True
    )
    valve_layer_note = models.CharField(_("valve layer note"), max_length=200, blank=True)
    current = models.BooleanField(_("current"), default=False)
    note = models.TextField(_("note"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=clock.now)
    uploaded_by = _by(_("uploaded by"))
    # The criticality ranking: asked for (model or registry changed) and last computed.
    ranking_wanted_at = models.DateTimeField(_("ranking asked for at"), null=True, blank=True)
    ranked_at = models.DateTimeField(_("ranked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("network model")
        verbose_name_plural = _("network models")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "version"], name="network_model_version_once"
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(current=True),
                name="network_model_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Node(OrganizationOwned):
    """A junction, tank or reservoir of a model version, with its coordinates (the model's
    own plane), elevation and base demand (L/s, summed over demand categories), and the
    customers and population it serves (imported, or estimated from the demand)."""

    scope = NETWORK

    model = models.ForeignKey(
        NetworkModel, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("model")
    )
    name = models.CharField(_("id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=NodeKind.choices)
    x = models.FloatField(_("x"), null=True, blank=True)
    y = models.FloatField(_("y"), null=True, blank=True)
    elevation = models.FloatField(_("elevation (m)"), default=0)
    demand = models.FloatField(_("base demand (L/s)"), default=0)
    customers = models.PositiveIntegerField(_("customers"), default=0)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("network node")
        verbose_name_plural = _("network nodes")
        constraints = [models.UniqueConstraint(fields=["model", "name"], name="network_node_once")]

    def __str__(self) -> str:
        return self.name


class Link(OrganizationOwned):
    """A pipe, pump or control valve of a model version between two nodes (by id), with
    the pipe's diameter (mm, the DN), length (m), material (blank when the model has none)
    and the bends to draw (`vertices`, [[x, y], ...])."""

    scope = NETWORK

    model = models.ForeignKey(
        NetworkModel, on_delete=models.CASCADE, related_name="links", verbose_name=_("model")
    )
    name = models.CharField(_("id"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=LinkKind.choices)
    start = models.CharField(_("start node"), max_length=64)
    end = models.CharField(_("end node"), max_length=64)
    diameter = models.FloatField(_("diameter (mm)"), default=0)
    length = models.FloatField(_("length (m)"), default=0)
    material = models.CharField(_("material"), max_length=40, blank=True)
    status = models.CharField(
        _("initial status"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.OPEN
    )
    vertices = models.JSONField(_("vertices"), default=list, blank=True)

    class Meta:
        verbose_name = _("network link")
        verbose_name_plural = _("network links")
        constraints = [models.UniqueConstraint(fields=["model", "name"], name="network_link_once")]

    def __str__(self) -> str:
        return self.name


class Valve(OrganizationOwned):
    """An isolation valve of a model version's valve layer: on `link`, next to `node` (the
    layer's convention, as WNTR's). Closing it separates the link from the node."""

    scope = NETWORK

    model = models.ForeignKey(
        NetworkModel, on_delete=models.CASCADE, related_name="valves", verbose_name=_("model")
    )
    name = models.CharField(_("id"), max_length=64)
    link = models.CharField(_("link"), max_length=64)
    node = models.CharField(_("node"), max_length=64)
    source = models.CharField(_("source"), max_length=20, choices=ValveSource.choices)

    class Meta:
        verbose_name = _("isolation valve")
        verbose_name_plural = _("isolation valves")
        constraints = [
            models.UniqueConstraint(fields=["model", "link", "node"], name="network_valve_once"),
        ]

    def __str__(self) -> str:
        return self.name


class PressurePoint(OrganizationOwned):
    """A metered point of the network (pressure in m, or flow in L/s) fed by a telemetry
    device, with the thresholds that raise an alert. The last reading is kept on the row
    for the board."""

    scope = NETWORK

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=10, choices=PointKind.choices, default=PointKind.PRESSURE
    )
    node = models.CharField(_("network model node"), max_length=64, blank=True)
    low = models.FloatField(_("low threshold"), null=True, blank=True)
    high = models.FloatField(_("high threshold"), null=True, blank=True)
    device = models.ForeignKey(
        DeviceToken,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("telemetry device"),
    )
    open_work_order = models.BooleanField(_("open a work order on an alarm"), default=False)
    active = models.BooleanField(_("active"), default=True)
    last_value = models.FloatField(_("last value"), null=True, blank=True)
    last_at = models.DateTimeField(_("last reading at"), null=True, blank=True)

    class Meta:
        verbose_name = _("pressure point")
        verbose_name_plural = _("pressure points")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="network_point_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Reading(OrganizationOwned):
    """One telemetry reading of a point at a time (the device's time). A second reading of
    the same point and time is the same reading (a device's retry): not written again."""

    scope = NETWORK

    point = models.ForeignKey(
        PressurePoint, on_delete=models.CASCADE, related_name="readings", verbose_name=_("point")
    )
    at = models.DateTimeField(_("measured at"))
    value = models.FloatField(_("value"))
    received_at = models.DateTimeField(_("received at"), default=clock.now)

    class Meta:
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        constraints = [models.UniqueConstraint(fields=["point", "at"], name="network_reading_once")]


class CriticalCustomer(OrganizationOwned):
    """A critical customer (重点用户): a hospital, fever clinic, CDC... fed by `nodes` of the
    current model (node ids), with its independent feeds (1 = single source), the pressure
    it needs and its metered point if any. `x`/`y` are in the model's plane."""

    scope = NETWORK

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=CustomerKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    x = models.FloatField(_("x"), null=True, blank=True)
    y = models.FloatField(_("y"), null=True, blank=True)
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    duty_phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    nodes = models.JSONField(_("feeding nodes"), default=list)
    feeds = models.PositiveSmallIntegerField(_("independent feeds"), default=1)
    min_pressure = models.FloatField(_("minimum pressure (m)"), default=20)
    pressure_point = models.ForeignKey(
        PressurePoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="customers",
        verbose_name=_("pressure point"),
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("critical customer")
        verbose_name_plural = _("critical customers")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="network_customer_name_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WorkOrder(OrganizationOwned):
    """A work order of the network (管网工单): a burst, a pressure alarm or a hidden-risk
    check, at a pipe or node of the model it was opened on, with the impact computed then
    (`impact`: valves, cut and low node and customer ids; what the board reads)."""

    scope = NETWORK

    number = models.CharField(_("number"), max_length=30)
    kind = models.CharField(_("kind"), max_length=20, choices=WorkOrderKind.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=WorkOrderState.choices, default=WorkOrderState.OPEN
    )
    model = models.ForeignKey(
        NetworkModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("model"),
    )
    link = models.CharField(_("pipe"), max_length=64, blank=True)
    node = models.CharField(_("node"), max_length=64, blank=True)
    x = models.FloatField(_("x"), null=True, blank=True)
    y = models.FloatField(_("y"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    impact = models.JSONField(_("impact"), default=dict, blank=True)
    point = models.ForeignKey(
        PressurePoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("pressure point"),
    )
    opened_at = models.DateTimeField(_("opened at"), default=clock.now)
    opened_by = _by(_("opened by"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = _by(_("closed by"))

    class Meta:
        verbose_name = _("network work order")
        verbose_name_plural = _("network work orders")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"], name="network_work_order_number_once"
            )
        ]
        indexes = [models.Index(fields=["organization", "state"], name="network_wo_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class PipeRank(OrganizationOwned):
    """One pipe's place in the criticality ranking of a model version (排查隐患): the
    critical customers that would lose water (`cut`) or pressure (`low`) if it burst, as
    customer ids, the score from the per-kind weights, and what it cuts off in all."""

    scope = NETWORK

    model = models.ForeignKey(
        NetworkModel, on_delete=models.CASCADE, related_name="ranks", verbose_name=_("model")
    )
    link = models.CharField(_("pipe"), max_length=64)
    score = models.FloatField(_("score"), default=0)
    cut = models.JSONField(_("critical customers cut off"), default=list)
    low = models.JSONField(_("critical customers below pressure"), default=list)
    nodes_cut = models.PositiveIntegerField(_("junctions cut off"), default=0)
    demand_cut = models.FloatField(_("demand cut off (L/s)"), default=0)
    population_cut = models.PositiveIntegerField(_("population cut off"), default=0)
    diameter = models.FloatField(_("diameter (mm)"), default=0)
    material = models.CharField(_("material"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("pipe criticality")
        verbose_name_plural = _("pipe criticality")
        constraints = [models.UniqueConstraint(fields=["model", "link"], name="network_rank_once")]
        indexes = [models.Index(fields=["model", "-score"], name="network_rank_score")]
