"""The critical-customer registry (重点用户): create, change and deactivate (the office,
`network.manage_network`). One transaction per use-case, audited through the tracked model,
returning `(customer, created)`.

Rules: a name is the organization's once (a database constraint, so two offices typing the
same hospital at once leave one row); the feeding nodes must exist in the current model when
there is one (every unknown id is named); x/y default to the first feeding node's coordinates;
the pressure point must be the organization's. A create retried with the same key answers the
first outcome; a create sent again without a key whose values are all the same answers the
existing customer (created False) rather than a name clash. A change of the registry asks the
current model's criticality ranking to be recomputed (`ranking_wanted_at`)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from headwater.core import clock, locks, writes
from headwater.core.audit import acting_as
from headwater.core.errors import CoreError, DomainError, invalid, require
from headwater.network.errors import NetworkError
from headwater.network.inputs_customers import CustomerInput
from headwater.network.models import CriticalCustomer, NetworkModel, Node, PressurePoint
from headwater.network.permissions import MANAGE_NETWORK

FIELDS = (
    "name",
    "kind",
    "address",
    "contact",
    "contact_phone",
    "duty_phone",
    "nodes",
    "feeds",
    "min_pressure",
    "x",
    "y",
    "pressure_point_id",
    "note",
    "active",
)


def current_model(organization) -> NetworkModel | None:
    """The organization's model version in use, or None before any import."""
    return (
        NetworkModel.objects.filter(organization=organization, current=True)
        .only("pk", "version", "name", "organization_id")
        .first()
    )


def node_places(model: NetworkModel | None, names) -> dict[str, tuple[float | None, float | None]]:
    """Node id → (x, y) for those of `names` in the model (one query)."""
    if model is None or not names:
        return {}
    rows = Node.objects.filter(model=model, name__in=list(names)).values_list("name", "x", "y")
    return {name: (x, y) for name, x, y in rows}


def check_nodes(model: NetworkModel | None, nodes: list[str], places: dict) -> str:
    """The message naming every node not in the current model, or "" (no model: any ids)."""
    if model is None:
        return ""
    unknown = [n for n in nodes if n not in places]
    if not unknown:
        return ""
    return _("Not in the current network model (version %(version)s): %(nodes)s") % {
        "version": model.version,
        "nodes": "、".join(unknown),
    }


def resolve(organization, data: CustomerInput, model: NetworkModel | None) -> dict:
    """The row's values from a parsed input, checked against the database (nodes, point)."""
    places = node_places(model, data.nodes)
    errors = {}
    if message := check_nodes(model, data.nodes, places):
        errors["nodes"] = message
    if data.pressure_point_id is not None and not (
        PressurePoint.objects.filter(organization=organization, pk=data.pressure_point_id).exists()
    ):
        errors["pressure_point_id"] = _("Choose a pressure point of your organization.")
    if errors:
        raise DomainError(
            _("Please correct the marked fields."),
            fields=errors,
            code=NetworkError.UNKNOWN_NODE if "nodes" in errors else CoreError.INVALID,
        )
    x, y = data.x, data.y
    if x is None and places:
        x, y = places.get(data.nodes[0], (None, None))
    return {
        "name": data.name,
        "kind": data.kind,
        "address": data.address,
        "contact": data.contact,
        "contact_phone": data.contact_phone,
        "duty_phone": data.duty_phone,
        "nodes": list(data.nodes),
        "feeds": data.feeds,
        "min_pressure": data.min_pressure,
        "x": x,
        "y": y,
        "pressure_point_id": data.pressure_point_id,
        "note": data.note,
        "active": data.active,
    }


def name_taken(organization, name: str, exclude: int | None = None) -> bool:
    taken = CriticalCustomer.objects.filter(organization=organization, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    return taken.exists()


def _clash() -> DomainError:
    return invalid({"name": _("There is already a critical customer of that name.")})


def ask_for_ranking(organization) -> None:
    """The registry changed: the current model's criticality ranking is out of date."""
    NetworkModel.objects.filter(organization=organization, current=True).update(
        ranking_wanted_at=clock.now()
    )


def create_customer(
    organization, data: CustomerInput, *, by, key: str = ""
) -> writes.Written[CriticalCustomer]:
    """A new critical customer of the organization."""
    require(by, MANAGE_NETWORK)
    model = current_model(organization)
    values = resolve(organization, data, model)

    def write():
        with acting_as(by):
            same = CriticalCustomer.objects.filter(organization=organization, name=data.name)
            existing = same.first()
            if existing is not None:
                if all(getattr(existing, f) == v for f, v in values.items()):
                    return existing, False  # sent again without a key: nothing new
                raise _clash()
            try:
                with transaction.atomic():
                    customer = CriticalCustomer.objects.create(organization=organization, **values)
            except IntegrityError:
                raise _clash() from None  # a parallel create of the same name won
            ask_for_ranking(organization)
            return customer, True

    return writes.idempotent(
        "network.create_customer", by=by, key=key, model=CriticalCustomer, write=write
    )


def update_customer(
    customer: CriticalCustomer, data: CustomerInput, *, by
) -> writes.Written[CriticalCustomer]:
    """Change a customer to the values given (a retry changes nothing). Returns
    (customer, False): nothing is created."""
    require(by, MANAGE_NETWORK)
    organization = customer.organization
    values = resolve(organization, data, current_model(organization))
    with transaction.atomic(), acting_as(by):
        customer = locks.lock_one(CriticalCustomer.objects.all(), customer.pk)
        changed = [f for f, v in values.items() if getattr(customer, f) != v]
        if not changed:
            return customer, False
        if "name" in changed and name_taken(organization, values["name"], exclude=customer.pk):
            raise _clash()
        for f in changed:
            setattr(customer, f, values[f])
        try:
            with transaction.atomic():
                customer.save(update_fields=changed)
        except IntegrityError:
            raise _clash() from None
        ask_for_ranking(organization)
    return customer, False


def deactivate_customer(customer: CriticalCustomer, *, by) -> writes.Written[CriticalCustomer]:
    """Take a customer off the board (kept for the record). Returns (customer, changed):
    False when it was inactive already."""
    require(by, MANAGE_NETWORK)
    with transaction.atomic(), acting_as(by):
        customer = locks.lock_one(CriticalCustomer.objects.all(), customer.pk)
        if not customer.active:
            return customer, False
        customer.active = False
        customer.save(update_fields=["active"])
        ask_for_ranking(customer.organization)
    return customer, True


def as_input(customer: CriticalCustomer, **changes) -> CustomerInput:
    """A customer's values as an input, with `changes` applied (the API's PATCH)."""
    values = {f: getattr(customer, f) for f in FIELDS}
    values.update(changes)
    return CustomerInput.parse(values)
