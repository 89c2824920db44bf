"""Valve segments, a burst's isolation and every closure's cut-off set, against WNTR's
valve_segments, a hand-built network with known answers and a brute-force networkx loop."""

import networkx as nx
import pandas as pd
import pytest
import wntr

from headwater.network import graph
from headwater.network.tests.factories_engine import (
    HAND_BUILT,
    HAND_BUILT_VALVES,
    example,
    wn_from_inp,
)


def partition(node_segment, link_segment):
    groups = {}
    for name, s in node_segment.items():
        groups.setdefault(s, (set(), set()))[0].add(name)
    for name, s in link_segment.items():
        groups.setdefault(s, (set(), set()))[1].add(name)
    return {(frozenset(n), frozenset(k)) for n, k in groups.values()}


def assert_same_segments_as_wntr(wn, layer):
    node_seg, link_seg, _ = wntr.metrics.topographic.valve_segments(wn.to_graph(), layer.copy())
    seg = graph.segments(graph.from_wntr(wn, layer))
    ours = partition(seg.node_segment, seg.link_segment)
    assert ours == partition(node_seg.to_dict(), link_seg.to_dict())
    assert len(ours) == len(seg) == node_seg.max()


@pytest.fixture(scope="module")
def net3():
    return example("Net3")


@pytest.mark.parametrize("name", ["Net1", "Net3"])
@pytest.mark.parametrize("n", [1, 2])
def test_segments_equal_wntr_valve_segments_on_strategic_layers(name, n):
    wn = example(name)
    assert_same_segments_as_wntr(wn, wntr.network.generate_valve_layer(wn, "strategic", n))


@pytest.mark.parametrize("count,seed", [(20, 1), (60, 2), (150, 3)])
def test_segments_equal_wntr_valve_segments_on_random_layers(net3, count, seed):
    layer = wntr.network.generate_valve_layer(net3, "random", count, seed=seed)
    assert_same_segments_as_wntr(net3, layer)


def test_segments_equal_wntr_valve_segments_on_net6_strategic_n1():
    wn = example("Net6")
    assert_same_segments_as_wntr(wn, wntr.network.generate_valve_layer(wn, "strategic", 1))


@pytest.fixture
def hand():
    topo = graph.from_wntr(
        wn_from_inp(HAND_BUILT), pd.DataFrame(HAND_BUILT_VALVES, columns=["link", "node"])
    )
    return topo, graph.segments(topo)


def test_hand_built_network_has_the_five_segments_drawn(hand):
    topo, seg = hand
    assert partition(seg.node_segment, seg.link_segment) == {
        (frozenset({"R1", "J1"}), frozenset({"P1", "P2"})),
        (frozenset({"J2"}), frozenset()),
        (frozenset({"J3", "J4", "J7", "T1"}), frozenset({"P3", "P4", "P5", "P8", "P9"})),
        (frozenset({"J5"}), frozenset({"P6"})),
        (frozenset({"J6"}), frozenset({"P7"})),
    }
    walled = seg.node_segment["J2"]
    assert set(seg.valves[walled]) == {("P2", "J2"), ("P3", "J2"), ("P6", "J2")}
    assert seg.valves[seg.link_segment["P4"]] == [("P3", "J2")]
    assert topo.nodes["J6"].demand == pytest.approx(3.0)
    assert (topo.nodes["J6"].x, topo.nodes["J6"].y) == (200, -200)
    assert topo.links["P6"].diameter == pytest.approx(200.0)


def test_burst_on_p6_closes_two_valves_and_cuts_j6_off_unintended(hand):
    topo, seg = hand
    iso = graph.isolate(topo, seg, "P6")
    assert set(iso.valves) == {("P6", "J2"), ("P7", "J5")}
    assert (iso.nodes, iso.links) == (("J5",), ("P6",))
    assert (iso.unintended_nodes, iso.unintended_links) == (("J6",), ("P7",))
    assert iso.cut_nodes == ("J5", "J6")


def test_burst_next_to_the_reservoir_leaves_the_tank_feeding_the_rest(hand):
    topo, seg = hand
    iso = graph.isolate(topo, seg, "P1")
    assert iso.valves == (("P2", "J2"),)
    assert set(iso.nodes) == {"R1", "J1"}
    assert iso.unintended_nodes == ()


def test_burst_on_the_tank_segment_cuts_only_that_segment(hand):
    topo, seg = hand
    iso = graph.isolate(topo, seg, "P9")
    assert set(iso.nodes) == {"J3", "J4", "J7", "T1"}
    assert iso.valves == (("P3", "J2"),)
    assert iso.unintended_nodes == ()


def test_unknown_link_is_a_key_error(hand):
    topo, seg = hand
    with pytest.raises(KeyError):
        graph.isolate(topo, seg, "P99")


def test_cut_off_by_segment_on_the_hand_built_network(hand):
    topo, seg = hand
    cut = graph.cut_off_by_segment(topo, seg)
    by_node = {name: cut[seg.node_segment[name]] for name in ("J1", "J2", "J3", "J5", "J6")}
    assert by_node == {
        "J1": {"R1", "J1"},
        "J2": {"J2", "J5", "J6"},
        "J3": {"J3", "J4", "J7", "T1"},
        "J5": {"J5", "J6"},
        "J6": {"J6"},
    }


def test_cut_off_by_pipe_on_the_hand_built_network(hand):
    topo, _ = hand
    cut = graph.cut_off_by_pipe(topo)
    assert {link: set(nodes) for link, nodes in cut.items() if nodes} == {
        "P6": {"J5", "J6"},
        "P7": {"J6"},
    }
    assert cut["P8"] == cut["P9"] == frozenset()  # parallel pipes stand in for each other


def test_a_burst_that_cuts_a_source_off_another_part():
    # The reservoir's segment is closed: the tank still feeds its side, but J9 hangs on
    # the reservoir's segment only, through a valve, and loses its only source.
    wn = wn_from_inp(
        HAND_BUILT.replace("[PIPES]\n", "[PIPES]\nP10  J1  J9  100  100  100  0  Open\n")
        .replace("[JUNCTIONS]\n", "[JUNCTIONS]\nJ9  10  1\n")
        .replace("[COORDINATES]\n", "[COORDINATES]\nJ9  100  100\n")
    )
    topo = graph.from_wntr(wn, HAND_BUILT_VALVES + [("P10", "J1")])
    seg = graph.segments(topo)
    iso = graph.isolate(topo, seg, "P1")
    assert set(iso.nodes) == {"R1", "J1"}
    assert (iso.unintended_nodes, iso.unintended_links) == (("J9",), ("P10",))
    assert set(iso.valves) == {("P2", "J2"), ("P10", "J1")}


def brute_force_by_pipe(topo):
    g = nx.MultiGraph()
    g.add_nodes_from(topo.nodes)
    for name, link in topo.links.items():
        g.add_edge(link.start, link.end, key=name)
    before = fed(g, topo.sources())
    out = {}
    for name, link in topo.links.items():
        g.remove_edge(link.start, link.end, key=name)
        out[name] = frozenset(before - fed(g, topo.sources()))
        g.add_edge(link.start, link.end, key=name)
    return out


def brute_force_by_segment(topo, seg):
    g = nx.Graph()
    g.add_nodes_from(seg.nodes)
    g.add_edges_from((a, b) for a, near in seg.neighbours.items() for b in near)
    before = fed(g, seg.sources)
    out = {}
    for s in seg.nodes:
        h = g.copy()
        h.remove_node(s)
        lost = before - fed(h, seg.sources) - {s}
        out[s] = frozenset(seg.nodes[s]).union(*(seg.nodes[t] for t in lost))
    return out


def fed(g, sources):
    reached = set()
    for s in sources:
        if s in g and s not in reached:
            reached |= nx.node_connected_component(g, s)
    return reached


def test_cut_off_by_pipe_equals_brute_force_on_net3(net3):
    topo = graph.from_wntr(net3, [])
    cut = graph.cut_off_by_pipe(topo)
    assert cut == brute_force_by_pipe(topo)
    assert sum(1 for nodes in cut.values() if nodes) > 5


@pytest.mark.parametrize("kind,n", [("strategic", 1), ("strategic", 2), ("random", 80)])
def test_cut_off_by_segment_and_isolate_equal_brute_force_on_net3(net3, kind, n):
    topo = graph.from_wntr(net3, wntr.network.generate_valve_layer(net3, kind, n, seed=7))
    seg = graph.segments(topo)
    cut = graph.cut_off_by_segment(topo, seg)
    assert cut == brute_force_by_segment(topo, seg)
    for link in topo.links:
        assert set(graph.isolate(topo, seg, link).cut_nodes) == cut[seg.link_segment[link]]


def test_net3_burst_on_149_cuts_node_15_off_every_source_unintended(net3):
    layer = wntr.network.generate_valve_layer(net3, "strategic", 1, seed=1)
    topo = graph.from_wntr(net3, layer)
    seg = graph.segments(topo)
    iso = graph.isolate(topo, seg, "149")
    assert iso.unintended_nodes == ("15",)
    assert "15" not in iso.nodes
    g = net3.to_graph().to_undirected()
    g.remove_nodes_from(iso.nodes)
    g.remove_edges_from([e for e in list(g.edges(keys=True)) if e[2] in iso.links])
    assert not any(nx.has_path(g, "15", source) for source in topo.sources())
    bursts = [k for k in topo.links if graph.isolate(topo, seg, k).unintended_nodes]
    assert len(bursts) == 12
