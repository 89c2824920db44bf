"""A version's valve layer and population: generated with WNTR (strategic N-k, random; the
same layer as WNTR's for the same seed), imported from a spreadsheet (every bad row named,
nothing written on any error, the same file again changes nothing), making a version
current again; each change asks for the ranking again."""

import pytest
import time_machine
import wntr
from django.core.files.uploadedfile import SimpleUploadedFile

from headwater.core.errors import DomainError
from headwater.network.choices import ValveSource
from headwater.network.models import NetworkModel, Node, Valve
from headwater.network.services.models import (
    generate_valves,
    import_population,
    import_valves,
    make_current,
)
from headwater.network.tests.factories_models import make_model, wntr_model

pytestmark = pytest.mark.django_db
DUPLICATE = "管段 / 节点在文件中重复（第 2 行也有）"
MISSING = "缺少管段"


def csv_file(text: str, name: str = "valves.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _layer(model):
    return sorted(Valve.objects.filter(model=model).values_list("link", "node"))


@pytest.mark.parametrize(
    ("name", "placement", "n", "seed"),
    [
        ("Net1", "strategic", 1, 0),
        ("Net3", "strategic", 1, 7),
        ("Net3", "strategic", 0, 0),
        ("Net3", "random", 40, 3),
    ],
)
def test_a_generated_layer_is_wntrs_layer_for_the_same_seed(
    org, office_user, name, placement, n, seed
):
    model = make_model(org, office_user, name)
    model, changed = generate_valves(model, placement=placement, n=n, seed=seed, by=office_user)
    expected = wntr.network.generate_valve_layer(wntr_model(name), placement, n, seed=seed)
    assert changed is True
    assert _layer(model) == sorted(zip(expected["link"], expected["node"], strict=True))
    assert Valve.objects.filter(model=model).count() == len(expected)
    source = ValveSource.STRATEGIC if placement == "strategic" else ValveSource.RANDOM
    assert set(Valve.objects.filter(model=model).values_list("source", flat=True)) == {source}
    assert model.valve_layer == source


def test_generating_again_with_the_same_seed_changes_nothing(org, office_user):
    with time_machine.travel("2026-03-01 08:00 +0800", tick=False):
        model = make_model(org, office_user, "Net3")
        model, _ = generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    first_ids = sorted(Valve.objects.filter(model=model).values_list("pk", flat=True))
    with time_machine.travel("2026-03-02 08:00 +0800", tick=False):
        model, changed = generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    assert changed is False
    assert sorted(Valve.objects.filter(model=model).values_list("pk", flat=True)) == first_ids
    assert (model.valve_layer_note, model.ranking_wanted_at.day) == ("N-1, seed 0", 1)


def test_a_new_layer_replaces_the_old_and_asks_for_the_ranking(org, office_user):
    with time_machine.travel("2026-03-01 08:00 +0800", tick=False):
        model = make_model(org, office_user, "Net3")
        generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    with time_machine.travel("2026-03-03 08:00 +0800", tick=False):
        model, changed = generate_valves(model, placement="random", n=10, seed=1, by=office_user)
    assert (changed, Valve.objects.filter(model=model).count()) == (True, 10)
    assert (model.valve_layer, model.valve_layer_note) == (ValveSource.RANDOM, "10, seed 1")
    assert model.ranking_wanted_at.isoformat() == "2026-03-03T00:00:00+00:00"


@pytest.mark.parametrize(
    ("placement", "n", "seed", "fields"),
    [
        ("strategic", 6, 0, ["n"]),
        ("random", 0, 0, ["n"]),
        ("random", 239, 0, ["n"]),  # Net3 has 117 pipes: at most 234 pipe ends
        ("sideways", 1, -1, ["placement", "seed"]),
    ],
)
def test_a_bad_generation_is_refused_and_the_layer_is_kept(
    org, office_user, placement, n, seed, fields
):
    model = make_model(org, office_user, "Net3")
    generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    before = _layer(model)
    with pytest.raises(DomainError) as refused:
        generate_valves(model, placement=placement, n=n, seed=seed, by=office_user)
    assert (refused.value.code, sorted(refused.value.fields)) == ("network_bad_valve_layer", fields)
    assert _layer(model) == before


def test_imported_valves_become_the_layer_and_the_same_file_changes_nothing(org, office_user):
    model = make_model(org, office_user, "Net1")
    generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    text = "编号,管段,节点\nA1,10,10\nA2,10,11\n,111,21\n"
    report = import_valves(model, csv_file(text), by=office_user)
    assert report.ok and (report.tally.created + report.tally.unchanged) == 3
    model.refresh_from_db()
    assert (model.valve_layer, model.valve_layer_note) == (ValveSource.IMPORTED, "valves.csv")
    assert sorted(Valve.objects.filter(model=model).values_list("name", "link", "node")) == [
        ("A1", "10", "10"),
        ("A2", "10", "11"),
        ("V3", "111", "21"),
    ]
    again = import_valves(model, csv_file(text), by=office_user)
    assert (again.tally.created, again.tally.updated, again.tally.unchanged) == (0, 0, 3)


def test_bad_valve_rows_are_each_named_and_nothing_is_written(org, office_user):
    model = make_model(org, office_user, "Net1")
    generate_valves(model, placement="strategic", n=1, seed=0, by=office_user)
    before = _layer(model)
    text = "name,link,node\nA1,10,10\nA2,999,10\nA3,10,77\nA4,10,12\nA5,10,10\nA6,,10\n"
    report = import_valves(model, csv_file(text, "bad.csv"), by=office_user)
    assert report.tally is None
    assert [(r.row, r.errors) for r in report.bad_rows] == [
        (3, ["本版本模型中没有管段 999。"]),
        (4, ["本版本模型中没有节点 77。"]),
        (5, ["节点 12 不是管段 10 的端点（其端点为 10 和 11）。"]),
        (6, [DUPLICATE]),
        (7, [MISSING]),
    ]
    assert _layer(model) == before
    model.refresh_from_db()
    assert model.valve_layer == ValveSource.STRATEGIC


def test_population_is_imported_per_node_and_the_same_file_changes_nothing(org, office_user):
    model = make_model(org, office_user, "Net1")
    text = '节点,用户数,人口\n11,120,360\n12,"1,000",3000\n'
    report = import_population(model, csv_file(text, "pop.csv"), by=office_user)
    assert (report.tally.updated, report.tally.unchanged) == (2, 0)
    assert dict(
        Node.objects.filter(model=model, population__gt=0).values_list("name", "population")
    ) == {
        "11": 360,
        "12": 3000,
    }
    assert Node.objects.get(model=model, name="12").customers == 1000
    again = import_population(model, csv_file(text, "pop.csv"), by=office_user)
    assert (again.tally.updated, again.tally.unchanged) == (0, 2)


def test_bad_population_rows_are_named_and_nothing_is_written(org, office_user):
    model = make_model(org, office_user, "Net1")
    text = "节点,用户数,人口\n11,120,360\nX9,1,1\n12,-5,abc\n"
    report = import_population(model, csv_file(text, "pop.csv"), by=office_user)
    assert [r.row for r in report.bad_rows] == [3, 4]
    assert report.bad_rows[0].errors == ["本版本模型中没有节点 X9。"]
    assert len(report.bad_rows[1].errors) == 2
    assert Node.objects.filter(model=model, population__gt=0).count() == 0


def test_an_older_version_is_made_current_again(org, office_user):
    first = make_model(org, office_user, "Net1")
    second = make_model(org, office_user, "Net3")
    model, changed = make_current(first, by=office_user)
    assert (changed, model.current) == (True, True)
    assert list(NetworkModel.objects.filter(current=True).values_list("pk", flat=True)) == [
        first.pk
    ]
    second.refresh_from_db()
    assert second.current is False
    _model, again = make_current(first, by=office_user)
    assert again is False


def test_a_dispatcher_may_not_generate_or_import_valves(org, office_user, people):
    from headwater.core.tests.factories import make_user

    model = make_model(org, office_user, "Net1")
    dispatcher = make_user("disp", person=people["head"], roles=[("dispatcher", None)])
    with pytest.raises(DomainError) as refused:
        generate_valves(model, by=dispatcher)
    assert refused.value.status == 403
    with pytest.raises(DomainError):
        import_valves(model, csv_file("管段,节点\n10,10\n"), by=dispatcher)
    assert Valve.objects.count() == 0
