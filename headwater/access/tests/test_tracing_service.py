"""Tracing a person: level 1 and level 2 (never repeating the person nor level 1), scores
from the per-level weights, the cap on the level-1 people followed, the office only, every
trace audited."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from headwater.access.choices import GateKind
from headwater.access.services import tracing
from headwater.access.tests.factories_tracing import D, at, gate, passage, slot, trip
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.models import LevelSettingValue
from headwater.core.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
START, END = at(D, 0), at(D + dt.timedelta(days=1), 0)


def setting(org, key, value):
    from headwater.core import levels

    LevelSettingValue.objects.update_or_create(
        organization=org, key=key, level=org.response_level, defaults={"value": value}
    )
    levels.forget(org)


@pytest.fixture
def crowd(tree):
    return {
        n: PersonFactory(unit=tree["plant1"], name=n, employee_no=f"T{i}")
        for i, n in enumerate(["甲", "乙", "丙", "丁", "戊", "己"])
    }


@pytest.fixture
def chain(org, crowd):
    """甲 met 乙 at the east gate and shared a canteen slot and a bus with 丙; 乙 met 丁 at the
    west gate; 丙 met 甲's level-1 contact 乙 and 戊 at the west gate later."""
    p = crowd
    east, west = gate(org, "东门"), gate(org, "西门")
    door, bus = gate(org, "食堂", GateKind.CANTEEN), gate(org, "班车", GateKind.BUS)
    first, morning = slot(door), trip(bus)
    passage(p["甲"], east, at(D, 8, 0))
    passage(p["乙"], east, at(D, 8, 5))
    passage(p["甲"], door, at(D, 11, 10), slot=first)
    passage(p["丙"], door, at(D, 11, 20), slot=first)
    passage(p["甲"], bus, at(D, 7, 20), trip=morning)
    passage(p["丙"], bus, at(D, 7, 25), trip=morning)
    passage(p["乙"], west, at(D, 15, 0))
    passage(p["丁"], west, at(D, 15, 10))
    passage(p["丙"], west, at(D, 15, 12))
    passage(p["戊"], west, at(D, 18, 0))  # alone
    return p


def test_level_one_and_two_with_scores_from_the_default_weights(org, chain, office_user):
    p = chain
    result = tracing.trace(p["甲"], START, END, by=office_user)

    assert [(t.name, t.level, t.score, t.kinds) for t in result.level1] == [
        ("丙", 1, 5, {"slot": 1, "bus": 1}),  # 2 + 3
        ("乙", 1, 1, {"gate": 1}),
    ]
    assert [(t.name, t.level, t.score, sorted(t.via)) for t in result.level2] == [
        ("丁", 2, 2, sorted([p["乙"].pk, p["丙"].pk])),
    ]
    assert result.weights == {"gate": 1, "slot": 2, "bus": 3, "shift": 4}
    edges = sorted((e["source"], e["target"], e["level"], e["score"]) for e in result.edges)
    assert edges == sorted(
        [
            (p["甲"].pk, p["丙"].pk, 1, 5),
            (p["甲"].pk, p["乙"].pk, 1, 1),
            (p["乙"].pk, p["丁"].pk, 2, 1),
            (p["丙"].pk, p["丁"].pk, 2, 1),
        ]
    )
    assert (result.expanded, result.capped) == (2, False)
    evidence = result.level1[0].evidence
    assert [(e["kind"], e["label"], e["when"]) for e in evidence] == [
        ("bus", "1路 07:30", "2026-03-10 07:20"),
        ("slot", "午餐第一批", "2026-03-10 11:10"),
    ]
    assert [e["other_at"] for e in evidence] == [at(D, 7, 25), at(D, 11, 20)]


def test_weights_come_from_the_settings_of_the_level_in_force(org, chain, office_user):
    setting(org, "access.trace_weight_gate", 10)
    setting(org, "access.trace_weight_bus", 0)

    result = tracing.trace(chain["甲"], START, END, by=office_user)

    assert [(t.name, t.score) for t in result.level1] == [("乙", 10), ("丙", 2)]


def test_depth_one_stops_at_level_one(chain, office_user):
    result = tracing.trace(chain["甲"], START, END, depth=1, by=office_user)

    assert ([t.name for t in result.level1], result.level2) == (["丙", "乙"], [])


def test_level_two_follows_only_the_closest_level_one_people_and_says_so(
    chain, office_user, monkeypatch
):
    monkeypatch.setattr(tracing, "EXPAND_CAP", 1)

    result = tracing.trace(chain["甲"], START, END, by=office_user)

    assert (result.expanded, result.capped) == (1, True)
    assert [(t.name, t.via) for t in result.level2] == [("丁", [chain["丙"].pk])]


def test_a_trace_is_recorded_in_the_audit_trail(chain, office_user):
    tracing.trace(chain["甲"], START, END, by=office_user)

    entry = LogEntry.objects.get(object_pk=str(chain["甲"].pk), actor=office_user)
    assert entry.changes_dict["trace"][1] == f"{START.isoformat()} – {END.isoformat()}"
    assert entry.changes_dict["contacts"][1] == 3


def test_only_the_office_traces_and_nothing_is_recorded_for_a_refusal(
    chain, staff_user, unit_head_user
):
    for user in (staff_user, unit_head_user):
        with pytest.raises(NotAllowed):
            tracing.trace(chain["甲"], START, END, by=user)
    traced = LogEntry.objects.filter(object_pk=str(chain["甲"].pk), changes__icontains="trace")
    assert not traced.exists()


def test_an_office_of_another_organization_cannot_trace_our_people(chain, outsider):
    with pytest.raises(DomainError) as refused:
        tracing.trace(chain["甲"], START, END, by=outsider)
    assert refused.value.status == 404


def test_a_window_that_ends_before_it_starts_is_refused(chain, office_user):
    with pytest.raises(DomainError) as refused:
        tracing.trace(chain["甲"], END, START, by=office_user)
    assert list(refused.value.fields) == ["end"]


def test_level_two_evidence_is_one_line_per_kind_through_the_source_met_most(chain, office_user):
    result = tracing.trace(chain["甲"], START, END, by=office_user)

    (ding,) = result.level2
    assert [(e["kind"], e["count"], e["sources"], e["when"]) for e in ding.evidence] == [
        ("gate", 2, 2, "2026-03-10 15:10")
    ]
    # both sources met 丁 in the same passage of 丁: either may name the line
    assert ding.evidence[0]["with"] in (chain["乙"].pk, chain["丙"].pk)
