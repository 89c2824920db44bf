"""Network model versions (管网模型): importing an EPANET .inp file as a new version, making
a version current, and its isolation-valve layer generated with WNTR (strategic N-k or
random); the valve and population spreadsheets are in services/models_sheets.py.

A version is immutable once imported: a new file is a new version (numbered max + 1 per
organization) that becomes current in the same transaction as its nodes and links are
written. A refused file writes nothing and leaves the current version as it was. Each
change of what the ranking depends on (a new current version, a new valve layer, the
population) asks for the ranking again through `ranking_wanted_at`."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from headwater.core import clock, locks, writes
from headwater.core.audit import acting_as
from headwater.core.errors import DomainError, require
from headwater.core.importer import ImportReport, Tally, run_import
from headwater.core.models import Organization
from headwater.network.choices import ValveSource
from headwater.network.errors import NetworkError
from headwater.network.models import Link, NetworkModel, Node, Valve
from headwater.network.permissions import MANAGE_NETWORK
from headwater.network.services import models_sheets
from headwater.network.services.models_inp import MAX_BYTES, parse, read_network, refuse

BATCH = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
NAME_MAX, NOTE_MAX, FILENAME_MAX = 200, 2000, 200
STRATEGIC_MAX = 5  # N-0 … N-5: beyond, hardly any link of a node has a valve
SEED_MAX = 2**31 - 1
PLACEMENTS = {"strategic": ValveSource.STRATEGIC, "random": ValveSource.RANDOM}


def import_inp(
    organization,
    content: bytes,
    filename: str,
    *,
    by,
    key: str = "",
    name: str = "",
    note: str = "",
) -> writes.Written[NetworkModel]:
    """A new current version from the file, or the current one if the file is the same
    (created False). Refused with DomainError(BAD_MODEL_FILE) naming the parser's message
    and line, before anything is written. `by` None: the system (the demo)."""
    if by is not None:
        require(by, MANAGE_NETWORK)
    # PostgreSQL refuses NUL in text, and a control character has no place in a name.
    name = _CONTROL.sub("", name or "").strip()
    note = _CONTROL.sub("", (note or "").replace("\r\n", "\n")).strip()
    filename = _CONTROL.sub("", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    filename = filename.strip()[:FILENAME_MAX]
    if len(name) > NAME_MAX:
        message = _("At most %(n)s characters.") % {"n": NAME_MAX}
        raise DomainError(message, fields={"name": message})
    if len(note) > NOTE_MAX:
        message = _("At most %(n)s characters.") % {"n": NOTE_MAX}
        raise DomainError(message, fields={"note": message})
    parsed = parse(content)  # outside the transaction: parsing Net6 takes a tenth of a second

    def write():
        locks.lock_one(Organization.objects.all(), organization.pk)  # one import at a time
        current = NetworkModel.objects.filter(organization=organization, current=True).first()
        if current is not None and current.inp == parsed.text:
            return current, False
        last = NetworkModel.objects.filter(organization=organization).order_by("-version").first()
        version = last.version + 1 if last else 1
        if current is not None:
            current.current = False
            current.save(update_fields=["current"])
        model = NetworkModel.objects.create(
            organization=organization,
            version=version,
            name=(
                name or parsed.heading or filename or pgettext("network models", "Network model")
            )[:NAME_MAX],
            filename=filename,
            inp=parsed.text,
            title=parsed.title,
            flow_units=parsed.flow_units,
            node_count=len(parsed.nodes),
            link_count=len(parsed.links),
            current=True,
            note=note,
            uploaded_by=by,
            ranking_wanted_at=clock.now(),
        )
        org_id = organization.pk
        Node.objects.bulk_create(
            (Node(organization_id=org_id, model=model, **row) for row in parsed.nodes),
            batch_size=BATCH,
        )
        Link.objects.bulk_create(
            (Link(organization_id=org_id, model=model, **row) for row in parsed.links),
            batch_size=BATCH,
        )
        return model, True

    return writes.idempotent(
        "network.import_model", by=by, key=key, model=NetworkModel, write=write
    )


def make_current(model: NetworkModel, *, by) -> writes.Written[NetworkModel]:
    """Make a version the one in use (the previous current loses it). Returns (model,
    changed); making the current version current again changes nothing."""
    require(by, MANAGE_NETWORK)
    with transaction.atomic():
        locks.lock_one(Organization.objects.all(), model.organization_id)
        model = locks.lock_one(NetworkModel.objects.all(), model.pk)
        if model.current:
            return model, False
        NetworkModel.objects.filter(organization_id=model.organization_id, current=True).update(
            current=False
        )
        model.current, model.ranking_wanted_at = True, clock.now()
        model.save(update_fields=["current", "ranking_wanted_at"])
        return model, True


def generated_layer(model: NetworkModel, placement: str, n: int, seed: int) -> list[tuple]:
    """WNTR's valve layer of the version as [(link, node)], in WNTR's order."""
    import wntr  # noqa: PLC0415

    wn = read_network(model.inp)
    layer = wntr.network.generate_valve_layer(wn, placement_type=placement, n=n, seed=seed)
    return list(dict.fromkeys(zip(layer["link"], layer["node"], strict=True)))


def _check_generation(model: NetworkModel, placement: str, n, seed) -> tuple[int, int]:
    errors = {}
    if placement not in PLACEMENTS:
        errors["placement"] = pgettext("network models", "Choose strategic or random placement.")
    pipes = Link.objects.filter(model=model, kind="pipe").count()
    upper = STRATEGIC_MAX if placement == "strategic" else 2 * pipes
    lower = 0 if placement == "strategic" else 1
    if not isinstance(n, int) or isinstance(n, bool) or not lower <= n <= upper:
        errors["n"] = pgettext(
            "network models", "Give a whole number from %(low)s to %(high)s."
        ) % {
            "low": lower,
            "high": upper,
        }
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= SEED_MAX:
        errors["seed"] = pgettext(
            "network models", "Give a whole number from %(low)s to %(high)s."
        ) % {
            "low": 0,
            "high": SEED_MAX,
        }
    if errors:
        raise DomainError(
            _("Please correct the marked fields."),
            code=NetworkError.BAD_VALVE_LAYER,
            fields=errors,
        )
    return n, seed


def generate_valves(
    model: NetworkModel, *, placement: str = "strategic", n: int = 1, seed: int = 0, by, key=""
) -> writes.Written[NetworkModel]:
    """Replace the version's valve layer with WNTR's generated one (strategic N-k: every
    node has a valve on all its links but n; random: n valves on pipe ends), the same for
    the same seed. Returns (model, changed): the same layer again changes nothing. `by`
    None: the system (the demo)."""
    if by is not None:
        require(by, MANAGE_NETWORK)
    n, seed = _check_generation(model, placement, n, seed)
    pairs = generated_layer(model, placement, n, seed)
    source = PLACEMENTS[placement]
    note = (f"N-{n}" if placement == "strategic" else f"{n}") + f", seed {seed}"

    def write():
        return replace_layer(model, pairs, source=source, note=note, names=None)

    return writes.idempotent(
        "network.generate_valves", by=by, key=key, model=NetworkModel, write=write
    )


def replace_layer(
    model: NetworkModel,
    pairs: list[tuple[str, str]],
    *,
    source: str,
    note: str,
    names: list[str] | None,
) -> writes.Written[NetworkModel]:
    """The version's layer becomes `pairs` ((link, node), named V1… unless `names`), in the
    caller's transaction. Unchanged (same valves, names, source and note) writes nothing."""
    names = names or [f"V{i}" for i in range(1, len(pairs) + 1)]
    with transaction.atomic():
        model = locks.lock_one(NetworkModel.objects.all(), model.pk)
        wanted = list(zip(names, (p[0] for p in pairs), (p[1] for p in pairs), strict=True))
        existing = sorted(
            Valve.objects.filter(model=model).values_list("name", "link", "node", "source")
        )
        same_rows = existing == sorted((*w, source) for w in wanted)
        if same_rows and (model.valve_layer, model.valve_layer_note) == (source, note[:200]):
            return model, False
        Valve.objects.filter(model=model).delete()
        Valve.objects.bulk_create(
            (
                Valve(
                    organization_id=model.organization_id,
                    model=model,
                    name=name,
                    link=link,
                    node=node,
                    source=source,
                )
                for name, link, node in wanted
            ),
            batch_size=BATCH,
        )
        model.valve_layer, model.valve_layer_note = source, note[:200]
        model.ranking_wanted_at = clock.now()
        model.save(update_fields=["valve_layer", "valve_layer_note", "ranking_wanted_at"])
        return model, True


def current_model(organization) -> NetworkModel:
    """The organization's current version, or DomainError(NO_MODEL)."""
    model = NetworkModel.objects.filter(organization=organization, current=True).first()
    if model is None:
        raise DomainError(
            pgettext("network models", "No network model has been imported yet."),
            code=NetworkError.NO_MODEL,
            status=404,
        )
    return model


def import_valves(model: NetworkModel, file, *, by, filename: str = "") -> ImportReport:
    """The version's valve layer from a spreadsheet (编号, 管段, 节点): every bad row named
    (unknown pipe or node, a node not an end of the pipe, a repeated pipe and node), nothing
    written on any error; else the layer is replaced by the file's (source IMPORTED, the
    file's name as its note). The same layer again changes nothing. Tally: created = valves
    added, updated = valves removed, unchanged = valves kept."""
    require(by, MANAGE_NETWORK)
    filename = filename or getattr(file, "name", "") or "valves.xlsx"

    def apply(rows: list[dict]) -> Tally:
        before = set(Valve.objects.filter(model=model).values_list("link", "node"))
        pairs = [(r["link"], r["node"]) for r in rows]
        names = [r["name"] or f"V{i}" for i, r in enumerate(rows, start=1)]
        note = filename.rsplit("/", 1)[-1][:200]
        with acting_as(by):
            _model, changed = replace_layer(
                model, pairs, source=ValveSource.IMPORTED, note=note, names=names
            )
        kept = before & set(pairs)
        tally = Tally(created=len(set(pairs) - kept), updated=len(before - kept))
        tally.unchanged = len(kept)
        if changed and not (tally.created or tally.updated):
            tally.updated = len(kept)  # same valves, renamed or from another source
            tally.unchanged = 0
        tally.record(model.organization, by=by, filename=note, what="network_valves")
        return tally

    return run_import(file, filename, models_sheets.valve_spec(model), apply=apply)


def import_population(model: NetworkModel, file, *, by, filename: str = "") -> ImportReport:
    """Customers and population of the version's nodes from a spreadsheet (节点, 用户数,
    人口): every bad row named, nothing written on any error; a column the file lacks is
    left as it is. Tally: updated = nodes changed, unchanged = nodes already so."""
    require(by, MANAGE_NETWORK)
    filename = filename or getattr(file, "name", "") or "population.xlsx"

    def apply(rows: list[dict]) -> Tally:
        nodes = {
            n.name: n for n in Node.objects.filter(model=model, name__in=[r["node"] for r in rows])
        }
        changed, tally = [], Tally()
        for row in rows:
            node = nodes[row["node"]]
            new = {f: row[f] for f in ("customers", "population") if f in row}
            if all(getattr(node, f) == v for f, v in new.items()):
                tally.unchanged += 1
                continue
            for f, v in new.items():
                setattr(node, f, v)
            changed.append(node)
        Node.objects.bulk_update(changed, ["customers", "population"], batch_size=BATCH)
        tally.updated = len(changed)
        if changed:
            NetworkModel.objects.filter(pk=model.pk).update(ranking_wanted_at=clock.now())
        tally.record(model.organization, by=by, filename=filename[:200], what="network_population")
        return tally

    return run_import(file, filename, models_sheets.population_spec(model), apply=apply)


__all__ = [
    "MAX_BYTES",
    "generate_valves",
    "import_inp",
    "import_population",
    "import_valves",
    "make_current",
    "refuse",
]
