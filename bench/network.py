"""The network engine on Net6 (3,356 nodes, 3,892 links, shipped in WNTR's library), in one
process, printing each figure and ratio (issue 17):

(a) valve segmentation with a strategic N-1 valve layer (`wntr.network.generate_valve_layer`,
    seed --seed): `graph.segments` beside WNTR's `valve_segments` on the same layer —
    identical partitions (sets of node-sets and link-sets) and the speed ratio (target >= 10x);
(b) a single burst's topological impact once the model is loaded (`graph.isolate`, the cut-off
    nodes' customers, population and demand, and the critical customers all of whose nodes
    are cut off — --critical of them on random junctions): median and max over --bursts
    random pipes (target < 100 ms);
(c) the topological criticality of every pipe at once (`graph.cut_off_by_pipe`) beside the
    brute-force loop (close each pipe in turn and run EPANET, as WNTR's criticality example
    does): EPANET 2.3 (owa-epanet, pressure-driven, --hours) is timed on --sample random
    pipes and scaled to all pipes, and the ratio printed (target >= 100x). The sets of
    junctions cut off from every source are compared under the same closure assumption (the
    pipe alone in both): for EPANET a junction is cut off when it has required demand and
    receives under 10% of it on average over the run while it received its demand with
    nothing closed (a disconnected junction gets a few % of numerical noise, at negative
    pressure); the comparison covers the sampled pipes and --bridges random pipes whose
    closure cuts something off topologically;
(d) a burst's hydraulic check (the segment and its valves' links closed, --hours) beside the
    run with nothing closed, on a few random pipes: what `services.burst.impact` adds.

    .venv/bin/python bench/network.py

No database: the topology comes from WNTR (`graph.from_wntr`), as `graph.topology(model)`
would hold it once read.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")

import django  # noqa: E402

django.setup()

import wntr  # noqa: E402

from headwater.network import graph, hydraulics  # noqa: E402

NET6 = Path(wntr.__file__).parent / "library" / "networks" / "Net6.inp"


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--bursts", type=int, default=200)
    p.add_argument("--critical", type=int, default=46)
    p.add_argument("--sample", type=int, default=40)
    p.add_argument("--bridges", type=int, default=20)
    p.add_argument("--hours", type=float, default=24)
    p.add_argument("--wntr-runs", type=int, default=2)
    return p.parse_args()


def timed(fn, *args):
    began = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - began


def partition(node_segment, link_segment):
    groups = {}
    for name, s in node_segment.items():
        groups.setdefault(s, (set(), set()))[0].add(name)
    for name, s in link_segment.items():
        groups.setdefault(s, (set(), set()))[1].add(name)
    return {(frozenset(n), frozenset(k)) for n, k in groups.values()}


def segmentation(wn, layer, runs: int) -> None:
    g = wn.to_graph()
    theirs = []
    for _ in range(runs):
        (node_seg, link_seg, _), seconds = timed(
            wntr.metrics.topographic.valve_segments, g, layer.copy()
        )
        theirs.append(seconds)
    ours, ours_built = [], []
    for _ in range(5):
        topo, build = timed(graph.from_wntr, wn, layer)
        seg, seconds = timed(graph.segments, topo)
        ours.append(seconds)
        ours_built.append(build + seconds)
    same = partition(seg.node_segment, seg.link_segment) == partition(
        node_seg.to_dict(), link_seg.to_dict()
    )
    w, o, ob = statistics.median(theirs), statistics.median(ours), statistics.median(ours_built)
    print(f"(a) segmentation, strategic N-1 layer of {len(layer)} valves: {len(seg)} segments")
    print(f"    identical partition to WNTR valve_segments: {same}")
    print(f"    WNTR valve_segments: {w:.3f} s (median of {runs})")
    print(f"    graph.segments: {o * 1000:.1f} ms (median of 5); ratio {w / o:.0f}x")
    print(f"    from_wntr + segments: {ob * 1000:.1f} ms; ratio {w / ob:.0f}x  (target >= 10x)")


def bursts(topo, seg, rng, count: int, critical: int) -> None:
    junctions = [n for n, info in topo.nodes.items() if info.kind == "junction"]
    customers = [rng.sample(junctions, rng.choice((1, 1, 1, 2))) for _ in range(critical)]
    pipes = [k for k, info in topo.links.items() if info.kind == "pipe"]
    chosen = rng.sample(pipes, min(count, len(pipes)))
    graph.isolate(topo, seg, chosen[0])  # warm
    times, hit = [], 0
    for pipe in chosen:
        began = time.perf_counter()
        iso = graph.isolate(topo, seg, pipe)
        cut = set(iso.cut_nodes)
        demand = sum(topo.nodes[n].demand for n in cut)
        people = sum(topo.nodes[n].population + topo.nodes[n].customers for n in cut)
        cut_customers = [c for c in customers if all(n in cut for n in c)]
        times.append(time.perf_counter() - began)
        hit += bool(cut_customers)
        del demand, people
    ms = sorted(t * 1000 for t in times)
    print(f"(b) single burst, topological impact, {len(chosen)} random pipes, {critical} critical")
    print(f"    median {statistics.median(ms):.2f} ms, max {ms[-1]:.2f} ms (target < 100 ms);")
    print(f"    {hit} of the bursts cut a critical customer off")


def starved(check: hydraulics.Check, fed_before: set[str]) -> set[str]:
    """Junctions fed in full with nothing closed that get under 10% of their demand on
    average (`network.lost_percent`'s default: EPANET 2.3 leaves a few % of numerical
    noise in a disconnected part, pressures below the minimum)."""
    return {n for n in fed_before if check.delivered[n] < 0.1 * check.required[n]}


def criticality(wn, rng, sample: int, bridges: int, hours: float) -> None:
    topo = graph.from_wntr(wn, [])
    cut, ours = timed(graph.cut_off_by_pipe, topo)
    pipes = [k for k, info in topo.links.items() if info.kind == "pipe"]
    inp = NET6.read_text()
    base = hydraulics.run(inp, [], hours=hours)
    chosen = rng.sample(pipes, sample)
    cutting = [k for k in pipes if cut[k] and k not in chosen]
    extra = rng.sample(cutting, min(bridges, len(cutting)))
    times, mismatches, compared = [], [], 0
    fed_before = {n for n, r in base.required.items() if r > 1e-6 and base.delivered[n] > 0.99 * r}
    for i, pipe in enumerate(chosen + extra):
        check = hydraulics.run(inp, [pipe], hours=hours)
        if i < len(chosen):
            times.append(check.seconds)
        theirs = starved(check, fed_before)
        mine = cut[pipe] & fed_before
        compared += 1
        if theirs != mine:
            mismatches.append((pipe, sorted(mine - theirs)[:5], sorted(theirs - mine)[:5]))
    per_pipe = statistics.mean(times)
    scaled = per_pipe * len(pipes)
    with_cut = sum(1 for k in pipes if cut[k])
    print(f"(c) criticality of every pipe ({len(pipes)} pipes; {with_cut} cut something off)")
    print(f"    graph.cut_off_by_pipe, all links at once: {ours * 1000:.1f} ms")
    print(
        f"    EPANET 2.3 PDA, {hours:g} h, one pipe closed: mean {per_pipe:.3f} s over "
        f"{len(times)} random pipes (max {max(times):.3f} s)"
    )
    print(
        f"    brute force scaled to all {len(pipes)} pipes: {scaled:.0f} s ({scaled / 60:.1f} min)"
    )
    print(f"    ratio {scaled / ours:,.0f}x (target >= 100x)")
    print(
        f"    same junctions cut off (junctions with demand fed in full with nothing closed): "
        f"{compared - len(mismatches)} of {compared} closures ({len(chosen)} random + "
        f"{len(extra)} that cut something off)"
    )
    for pipe, only_ours, only_epanet in mismatches:
        print(f"      mismatch on {pipe}: only topology {only_ours}, only EPANET {only_epanet}")


def hydraulic_bursts(wn, rng, hours: float, count: int = 5) -> None:
    topo = graph.from_wntr(wn, wntr.network.generate_valve_layer(wn, "strategic", 1, seed=1))
    seg = graph.segments(topo)
    inp = NET6.read_text()
    base = hydraulics.run(inp, [], hours=hours)
    pipes = [k for k, info in topo.links.items() if info.kind == "pipe"]
    times, cpu = [], []
    for pipe in rng.sample(pipes, count):
        iso = graph.isolate(topo, seg, pipe)
        closed = list(dict.fromkeys([*iso.links, *(link for link, _ in iso.valves)]))
        began = time.process_time()
        times.append(hydraulics.run(inp, closed, hours=hours).seconds)
        cpu.append(time.process_time() - began)
    print(f"(d) a burst's hydraulic check, {hours:g} h PDA on EPANET 2.3, segment closed:")
    print(
        f"    median {statistics.median(times):.3f} s, max {max(times):.3f} s over {count} "
        f"pipes (CPU time median {statistics.median(cpu):.3f} s); the run with nothing "
        f"closed (once per model and settings): {base.seconds:.3f} s"
    )


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)
    print(f"Net6: {NET6}; load average {os.getloadavg()[0]:.2f} at start")
    wn = wntr.network.WaterNetworkModel(str(NET6))
    layer = wntr.network.generate_valve_layer(wn, "strategic", 1, seed=args.seed)
    segmentation(wn, layer, args.wntr_runs)
    topo = graph.from_wntr(wn, layer)
    bursts(topo, graph.segments(topo), rng, args.bursts, args.critical)
    hydraulic_bursts(wn, rng, args.hours)
    criticality(wn, rng, args.sample, args.bridges, args.hours)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
