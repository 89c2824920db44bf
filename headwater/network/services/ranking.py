"""The criticality ranking (排查隐患): for every pipe of a model version, the critical
customers that would lose water if it burst, scored by their kinds' weights, so the office
checks the network around hospitals pipe by pipe before anything happens.

A burst closes the pipe's valve segment (the same closure as the burst page), so every pipe
of a segment shares one cut-off set: `graph.cut_off_by_segment` gives it for all segments at
once. A critical customer is "cut" when every node feeding it is cut off, "low" when some
but not all are (a dual-feed customer left on one feed). The score is the sum of the cut
customers' weights (`network.weight_<kind>`) plus half the low ones'. No hydraulics: see
ADR 0026, *Criticality ranking*.

Recomputing is asked for by stamping `NetworkModel.ranking_wanted_at` (the import, the valve
layer, the registry's signal, the office's button); `tasks_ranking` computes every model
whose stamp is after `ranked_at`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import pgettext

from headwater.core import clock, levels, locks
from headwater.core.errors import DomainError, require
from headwater.core.writes import Written, idempotent
from headwater.network import graph
from headwater.network.choices import CustomerKind, LinkKind, NodeKind
from headwater.network.errors import NetworkError
from headwater.network.models import CriticalCustomer, Link, NetworkModel, Node, PipeRank
from headwater.network.permissions import MANAGE_NETWORK

LOW_SHARE = 0.5  # a customer left on one feed counts half its weight


@dataclass
class SegmentLoss:
    """What closing one segment cuts off: critical customers cut and left low (ids), and
    the junctions, demand (L/s) and population that lose water."""

    cut: list[int] = field(default_factory=list)
    low: list[int] = field(default_factory=list)
    junctions: int = 0
    demand: float = 0.0
    population: int = 0
    score: float = 0.0


def weights(organization) -> dict[str, float]:
    """Each customer kind's weight at the organization's level in force."""
    return {
        kind: float(levels.value(organization, f"network.weight_{kind}"))
        for kind in CustomerKind.values
    }


def ranked_customers(model: NetworkModel) -> list[tuple[int, str, frozenset[str]]]:
    """The model organization's active critical customers as (id, kind, feeding nodes that
    exist in this version); one without any such node can never be cut off."""
    known = set(Node.objects.filter(model=model).values_list("name", flat=True))
    rows = (
        CriticalCustomer.objects.of(model.organization)
        .filter(active=True)
        .order_by("pk")
        .values_list("pk", "kind", "nodes")
    )
    out = []
    for pk, kind, nodes in rows:
        feeding = frozenset(str(n) for n in (nodes or []) if str(n) in known)
        if feeding:
            out.append((pk, kind, feeding))
    return out


def segment_losses(
    model: NetworkModel, topo, seg, customers, kind_weight
) -> dict[int, SegmentLoss]:
    """Every segment's loss (the segments holding at least one pipe)."""
    cut_by_segment = graph.cut_off_by_segment(topo, seg)
    facts = {
        name: (kind == NodeKind.JUNCTION, demand, population)
        for name, kind, demand, population in Node.objects.filter(model=model).values_list(
            "name", "kind", "demand", "population"
        )
    }
    feeding: dict[str, list[int]] = defaultdict(list)
    for index, (_pk, _kind, nodes) in enumerate(customers):
        for node in nodes:
            feeding[node].append(index)
    pipe_segments = {
        seg.link_segment[name]
        for name in Link.objects.filter(model=model, kind=LinkKind.PIPE).values_list(
            "name", flat=True
        )
        if name in seg.link_segment
    }
    return {
        s: _loss(cut_by_segment.get(s, frozenset()), facts, feeding, customers, kind_weight)
        for s in pipe_segments
    }


def _loss(cut_nodes, facts, feeding, customers, kind_weight) -> SegmentLoss:
    loss = SegmentLoss()
    hits: dict[int, int] = defaultdict(int)
    for node in cut_nodes:
        junction, demand, population = facts.get(node, (False, 0.0, 0))
        if junction:
            loss.junctions += 1
            loss.demand += demand or 0.0
            loss.population += population or 0
        for index in feeding.get(node, ()):
            hits[index] += 1
    for index in sorted(hits):
        pk, kind, nodes = customers[index]
        weight = kind_weight.get(kind, 0.0)
        if hits[index] == len(nodes):
            loss.cut.append(pk)
            loss.score += weight
        else:
            loss.low.append(pk)
            loss.score += LOW_SHARE * weight
    loss.demand = round(loss.demand, 3)
    return loss


def compute(model: NetworkModel) -> int:
    """Rank every pipe of `model` and replace its PipeRank rows in one transaction; returns
    the rows written. `ranked_at` is the moment the computation started, so a change made
    while it ran (a customer saved) leaves the model wanted again."""
    started = clock.now()
    topo = graph.topology(model)
    seg = graph.segments(topo)
    customers = ranked_customers(model)
    losses = segment_losses(model, topo, seg, customers, weights(model.organization))
    rows = []
    for name, diameter, material in (
        Link.objects.filter(model=model, kind=LinkKind.PIPE)
        .order_by("pk")
        .values_list("name", "diameter", "material")
    ):
        loss = losses.get(seg.link_segment.get(name), SegmentLoss())
        rows.append(
            PipeRank(
                organization_id=model.organization_id,
                model=model,
                link=name,
                score=loss.score,
                cut=loss.cut,
                low=loss.low,
                nodes_cut=loss.junctions,
                demand_cut=loss.demand,
                population_cut=loss.population,
                diameter=diameter,
                material=material,
            )
        )
    with transaction.atomic():
        locks.lock_one(NetworkModel, model.pk)  # one writer per model (task and button)
        PipeRank.objects.filter(model=model).delete()
        PipeRank.objects.bulk_create(rows, batch_size=1000)
        NetworkModel.objects.filter(pk=model.pk).update(ranked_at=started)
    model.ranked_at = started
    return len(rows)


def want_current(organization_id: int) -> int:
    """Ask for the organization's current model to be ranked again (the periodic task picks
    it up within a minute): one UPDATE, nothing when there is no model."""
    return NetworkModel.objects.filter(organization_id=organization_id, current=True).update(
        ranking_wanted_at=clock.now()
    )


def current_model(organization_id: int) -> NetworkModel | None:
    return NetworkModel.objects.filter(organization_id=organization_id, current=True).first()


def pending(model: NetworkModel) -> bool:
    """Whether the model's ranking is asked for and not yet computed since."""
    if model.ranked_at is None:
        return True
    return model.ranking_wanted_at is not None and model.ranking_wanted_at > model.ranked_at


def recompute(user, *, key: str = "") -> Written[NetworkModel]:
    """The office's "recompute now": stamp the current model as wanted and queue its
    computation after commit (even when the periodic task would pick it up within a
    minute: the office is waiting). The same request key answers the first outcome
    (`created` False) and queues nothing again."""
    require(user, MANAGE_NETWORK)
    model = current_model(user.organization_id)
    if model is None:
        raise no_model()
    return idempotent(
        "network.rank", by=user, key=key, model=NetworkModel, write=lambda: _ask(model.pk)
    )


def no_model() -> DomainError:
    return DomainError(
        pgettext("ranking", "No network model has been imported yet."),
        code=NetworkError.NO_MODEL,
        status=409,
    )


def _ask(model_id: int) -> Written[NetworkModel]:
    from headwater.network import tasks_ranking  # the task module imports this one

    model = locks.lock_one(NetworkModel, model_id)
    model.ranking_wanted_at = clock.now()
    model.save(update_fields=["ranking_wanted_at"])
    transaction.on_commit(lambda: tasks_ranking.rank_model(model.pk))
    return model, True
