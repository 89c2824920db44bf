"""Importing an EPANET .inp file as a version: the nodes and links WNTR reads (counts,
coordinates, elevations, demands in L/s, diameters in mm, lengths, status, vertices), the
new version current and asking for the ranking; a bad file refused with the parser's
message and line and nothing written; the same file again is the same version."""

import pytest
import time_machine

from headwater.core.errors import DomainError
from headwater.core.models import IdempotencyKey
from headwater.network.choices import LinkKind, LinkStatus, NodeKind
from headwater.network.models import Link, NetworkModel, Node, Valve
from headwater.network.services.models import import_inp
from headwater.network.services.models_inp import MAX_BYTES
from headwater.network.tests.factories_models import (
    bad_bytes,
    make_model,
    network_bytes,
    wntr_model,
)

pytestmark = pytest.mark.django_db
GPM = 0.0630901964  # L/s in one US gallon per minute


@pytest.mark.parametrize("name", ["Net1", "Net3"])
def test_an_import_has_the_nodes_and_links_wntr_reads(org, office_user, name):
    model = make_model(org, office_user, name)
    wn = wntr_model(name)
    assert (model.node_count, model.link_count) == (wn.num_nodes, wn.num_links)
    assert Node.objects.filter(model=model).count() == wn.num_nodes
    assert Link.objects.filter(model=model).count() == wn.num_links
    assert set(Node.objects.filter(model=model).values_list("name", flat=True)) == set(
        wn.node_name_list
    )
    assert (model.version, model.current, model.flow_units) == (1, True, "GPM")


def test_net1_nodes_keep_coordinates_elevation_and_demand_in_litres_per_second(org, office_user):
    model = make_model(org, office_user, "Net1")
    j11 = Node.objects.get(model=model, name="11")
    assert (j11.kind, j11.x, j11.y, j11.elevation) == (NodeKind.JUNCTION, 30.0, 70.0, 216.408)
    assert round(j11.demand, 9) == round(150 * GPM, 9) == 9.463529460
    assert Node.objects.get(model=model, name="9").kind == NodeKind.RESERVOIR
    tank = Node.objects.get(model=model, name="2")
    assert (tank.kind, tank.x, tank.y, tank.demand) == (NodeKind.TANK, 50.0, 90.0, 0.0)
    assert round(sum(Node.objects.filter(model=model).values_list("demand", flat=True)), 6) == (
        round(1100 * GPM, 6)
    )


def test_net1_links_have_diameters_in_millimetres_and_their_kind_and_status(org, office_user):
    model = make_model(org, office_user, "Net1")
    pipe = Link.objects.get(model=model, name="10")
    assert (pipe.kind, pipe.start, pipe.end) == (LinkKind.PIPE, "10", "11")
    assert (pipe.diameter, pipe.length, pipe.status) == (457.2, 3209.544, LinkStatus.OPEN)
    assert Link.objects.get(model=model, name="110").diameter == 457.2  # 18 in
    assert Link.objects.get(model=model, name="122").diameter == 152.4  # 6 in
    pump = Link.objects.get(model=model, name="9")
    assert (pump.kind, pump.diameter, pump.length) == (LinkKind.PUMP, 0.0, 0.0)


def test_net3_keeps_its_coordinates_and_the_pipe_vertices(org, office_user):
    model = make_model(org, office_user, "Net3")
    wn = wntr_model("Net3")
    for name in ("River", "Lake", "1", "10", "275"):
        node = Node.objects.get(model=model, name=name)
        assert (node.x, node.y) == tuple(float(c) for c in wn.get_node(name).coordinates)
    with_bends = {n: [list(v) for v in link.vertices] for n, link in wn.links() if link.vertices}
    stored = dict(
        Link.objects.filter(model=model).exclude(vertices=[]).values_list("name", "vertices")
    )
    assert stored == with_bends


def test_net6_imports_all_3356_nodes_and_3892_links(org, office_user):
    model = make_model(org, office_user, "Net6")
    wn = wntr_model("Net6")
    assert (model.node_count, model.link_count) == (3356, 3892)
    assert Link.objects.filter(model=model).count() == 3892
    link = Link.objects.get(model=model, name="LINK-0")
    assert link.diameter == round(wn.get_link("LINK-0").diameter * 1000, 3)
    node = Node.objects.get(model=model, name="JUNCTION-0")
    expected = sum(d.base_value for d in wn.get_node("JUNCTION-0").demand_timeseries_list)
    assert node.demand == expected * 1000


def _tables():
    return (
        NetworkModel.objects.count(),
        Node.objects.count(),
        Link.objects.count(),
        Valve.objects.count(),
        IdempotencyKey.objects.count(),
        list(NetworkModel.objects.filter(current=True).values_list("pk", flat=True)),
    )


def _net1_cut_in_a_line():
    text = network_bytes("Net1").decode()
    start = text.index("[PIPES]")
    cut = text.index("\n", text.index("\n 12 ", start) + 1)  # after pipe 12's line
    return (text[:cut] + "\n 21 22\n" + text[text.index("[PUMPS]") :]).encode()


BAD_FILES = {
    "bad_syntax": (bad_bytes("bad_syntax"), "第 330 行", "[FOO]"),
    "bad_values": (bad_bytes("bad_values"), "第 56 行", "node1"),
    "truncated": (network_bytes("Net1")[:3000], "第 8 行", "[OPTIONS]"),
    "short_line": (_net1_cut_in_a_line(), "第 ", "21 22"),
    "gbk": (network_bytes("Net1").replace(b"EPANET", "管网".encode("gbk")), "第 2 行", "UTF-8"),
    "empty": (b"", "", "空"),
    "huge": (b";" * (MAX_BYTES + 1), "", "20 MB"),
    "no_source": (
        b"[OPTIONS]\n Units LPS\n[JUNCTIONS]\n J1 10 1\n J2 10 1\n[PIPES]\n P1 J1 J2 100 100 100\n",
        "",
        "没有供水的水库或水池",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_the_line_and_nothing_changes(org, office_user, case):
    first = make_model(org, office_user, "Net1")
    content, line, words = BAD_FILES[case]
    before = _tables()
    with pytest.raises(DomainError) as refused:
        import_inp(org, content, f"{case}.inp", by=office_user, key="k-" + case)
    error = refused.value
    assert (error.code, error.status, list(error.fields)) == (
        "network_bad_model_file",
        400,
        ["file"],
    )
    assert line in error.message and words in error.message
    assert "/tmp" not in error.message
    assert _tables() == before
    first.refresh_from_db()
    assert first.current is True


def test_bad_syntax_names_the_line_as_the_parser_gives_it(org, office_user):
    with pytest.raises(DomainError) as refused:
        import_inp(org, bad_bytes("bad_syntax"), "bad.inp", by=office_user)
    assert refused.value.message == (
        "模型文件在第 330 行被拒绝：(Error 201) syntax error（该行为“[FOO]”）"
    )


def test_the_same_file_again_is_the_current_version_and_nothing_is_written(org, office_user):
    first = make_model(org, office_user, "Net1")
    again, created = import_inp(org, network_bytes("Net1"), "net1-copy.inp", by=office_user)
    assert (again.pk, created) == (first.pk, False)
    assert (NetworkModel.objects.count(), Node.objects.count()) == (1, 11)


def test_a_new_file_is_the_next_version_and_takes_over_current(org, office_user):
    with time_machine.travel("2026-03-01 08:00 +0800", tick=False):
        first = make_model(org, office_user, "Net1")
    with time_machine.travel("2026-03-02 08:00 +0800", tick=False):
        second, created = import_inp(
            org, network_bytes("Net3"), "Net3.inp", by=office_user, name="三号管网", note="更新"
        )
    first.refresh_from_db()
    assert (created, second.version, second.current, first.current) == (True, 2, True, False)
    assert (second.name, second.note, second.filename) == ("三号管网", "更新", "Net3.inp")
    assert second.ranking_wanted_at.isoformat() == "2026-03-02T00:00:00+00:00"
    assert Node.objects.filter(model=first).count() == 11  # the old version is kept whole


def test_the_same_key_imports_once(org, office_user):
    one, created = import_inp(org, network_bytes("Net1"), "a.inp", by=office_user, key="up-1")
    two, again = import_inp(org, network_bytes("Net3"), "b.inp", by=office_user, key="up-1")
    assert (one.pk, created, two.pk, again) == (one.pk, True, one.pk, False)
    assert NetworkModel.objects.count() == 1


def test_a_dispatcher_may_not_import(org, people):
    from headwater.core.tests.factories import make_user

    dispatcher = make_user("disp", person=people["head"], roles=[("dispatcher", None)])
    with pytest.raises(DomainError) as refused:
        import_inp(org, network_bytes("Net1"), "Net1.inp", by=dispatcher)
    assert (refused.value.status, NetworkModel.objects.count()) == (403, 0)
