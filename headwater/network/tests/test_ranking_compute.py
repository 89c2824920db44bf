"""The criticality ranking's computation: the hand-built network's exact order and scores, a
dual-feed customer left on one feed (low, not cut), the tie-breaks (DN, then material),
the weights from the per-level settings, and Net3 against the engine's cut-off sets."""

import datetime as dt

import pytest
import time_machine

from headwater.access.tests.factories_visitors import set_setting
from headwater.core.tests.factories import OrganizationFactory
from headwater.network import graph
from headwater.network.models import PipeRank
from headwater.network.services import ranking
from headwater.network.tests.factories_ranking import (
    customer,
    example_model,
    hand_customers,
    ranking_model,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fresh_topologies():
    graph.forget()
    yield
    graph.forget()


def ordered(model):
    return list(
        PipeRank.objects.filter(model=model).order_by("-score", "-diameter", "material", "link")
    )


def test_hand_built_network_ranks_in_the_known_order_with_exact_scores(org):
    model = ranking_model(org)
    c = hand_customers(org)

    with time_machine.travel(NOW, tick=False):
        written = ranking.compute(model)

    rows = ordered(model)
    assert written == 8
    assert [(r.link, r.score) for r in rows] == [
        ("P1", 23.0),  # hospital 10 + fever clinic 9 + telecom 4, all cut
        ("P6", 18.5),  # hospital 10 + telecom 4 cut, the clinic on one feed: 9 / 2
        ("P8", 18.5),  # DN200 after P6's DN300; cast iron (CI) before ductile (DI)
        ("P7", 18.5),
        ("P2", 0.0),
        ("P3", 0.0),
        ("P4", 0.0),
        ("P5", 0.0),
    ]
    first = rows[0]
    assert sorted(first.cut) == sorted([c["hospital"].pk, c["clinic"].pk, c["telecom"].pk])
    assert (first.low, first.nodes_cut, first.demand_cut) == ([], 7, 10.0)
    assert first.population_cut == 2500
    assert (first.diameter, first.material) == (600.0, "")
    model.refresh_from_db()
    assert model.ranked_at == NOW


def test_a_dual_feed_customer_losing_one_feed_is_low_not_cut(org):
    model = ranking_model(org)
    c = hand_customers(org)

    ranking.compute(model)

    for pipe in ("P6", "P7", "P8"):
        row = PipeRank.objects.get(model=model, link=pipe)
        assert sorted(row.cut) == sorted([c["hospital"].pk, c["telecom"].pk])
        assert row.low == [c["clinic"].pk]
        assert (row.nodes_cut, row.demand_cut, row.population_cut) == (3, 6.0, 2500)


def test_pipes_of_one_segment_share_its_cut_off_set(org):
    model = ranking_model(org)
    hand_customers(org)

    ranking.compute(model)

    p7, p8 = (PipeRank.objects.get(model=model, link=n) for n in ("P7", "P8"))
    assert (p7.cut, p7.low, p7.nodes_cut, p7.score) == (p8.cut, p8.low, p8.nodes_cut, p8.score)
    assert (p7.diameter, p7.material, p8.material) == (200.0, "DI", "CI")


def test_inactive_and_other_organizations_customers_do_not_count(org):
    model = ranking_model(org)
    c = hand_customers(org)
    other = OrganizationFactory(name="外地水司", slug="elsewhere")
    customer(other, "外地医院", "designated_hospital", ["J6"])

    ranking.compute(model)

    p7 = PipeRank.objects.get(model=model, link="P7")
    assert c["closed"].pk not in p7.cut + p7.low
    assert p7.score == 18.5


def test_a_customer_fed_from_nodes_absent_from_the_model_is_never_cut(org):
    model = ranking_model(org)
    ghost = customer(org, "新院区", "hospital", ["J99"])

    ranking.compute(model)

    assert not PipeRank.objects.filter(model=model, score__gt=0).exists()
    assert all(ghost.pk not in r.cut + r.low for r in PipeRank.objects.filter(model=model))


def test_weights_come_from_the_per_level_settings(org):
    model = ranking_model(org)
    hand_customers(org)
    set_setting(org, "network.weight_telecom", 0)
    set_setting(org, "network.weight_fever_clinic", 20)

    ranking.compute(model)

    assert PipeRank.objects.get(model=model, link="P1").score == 10 + 20 + 0
    assert PipeRank.objects.get(model=model, link="P6").score == 10 + 0 + 10


def test_computing_again_replaces_the_rows(org):
    model = ranking_model(org)
    c = hand_customers(org)
    ranking.compute(model)
    c["hospital"].delete()

    written = ranking.compute(model)

    assert written == PipeRank.objects.filter(model=model).count() == 8
    assert PipeRank.objects.get(model=model, link="P1").score == 13.0


def test_net3_ranking_matches_the_engines_cut_off_sets(org):
    model = example_model(org, "Net3")
    topo = graph.topology(model)
    seg = graph.segments(topo)
    cut = graph.cut_off_by_segment(topo, seg)
    # Customers on nodes that some segment's closure cuts off, one of them dual-fed.
    cutting = sorted((s for s in cut if len(cut[s]) >= 2), key=lambda s: (-len(cut[s]), s))
    a, b = sorted(cut[cutting[-1]])[:2]
    far = sorted(cut[cutting[0]])[0]
    hospital = customer(org, "一院", "designated_hospital", [a])
    clinic = customer(org, "二院", "fever_clinic", [a, far])
    cdc = customer(org, "疾控", "cdc", [b])

    written = ranking.compute(model)

    rows = {r.link: r for r in PipeRank.objects.filter(model=model)}
    pipes = [n for n, info in topo.links.items() if info.kind == "pipe"]
    assert written == len(rows) == len(pipes)
    assert any(r.score > 0 for r in rows.values())
    for name in pipes:
        lost = cut[seg.link_segment[name]]
        row = rows[name]
        expected_cut = {cu.pk for cu in (hospital, clinic, cdc) if set(cu.nodes) <= lost}
        expected_low = {
            cu.pk for cu in (hospital, clinic, cdc) if set(cu.nodes) & lost
        } - expected_cut
        assert set(row.cut) == expected_cut, name
        assert set(row.low) == expected_low, name
        junctions = [n for n in lost if topo.nodes[n].kind == "junction"]
        assert row.nodes_cut == len(junctions), name
