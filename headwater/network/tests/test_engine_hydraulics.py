"""The pressure-dependent check on EPANET 2.3: closed segments lose water, a drained tank
stops supplying (the EPANET 2.2 bug the issue names), a failing model is refused."""

import pytest

from headwater.core.errors import DomainError
from headwater.network import hydraulics
from headwater.network.errors import NetworkError
from headwater.network.tests.factories_engine import HAND_BUILT, LIBRARY, TANK_DRAINS


def test_the_closed_segments_junctions_lose_water_and_the_rest_keep_it():
    # J2's segment is walled in by valves on P2, P3 and P6: closing those cuts J2 and,
    # through it, J5 and J6.
    check = hydraulics.run(HAND_BUILT, ["P2", "P3", "P6"], hours=2)
    assert check.lost == ["J2", "J5", "J6"]
    assert check.lost_at == {"J2": 0, "J5": 0, "J6": 0}
    assert check.delivered["J6"] == pytest.approx(0, abs=1e-3)
    assert check.required["J6"] == pytest.approx(3.0)
    assert check.delivered["J1"] == pytest.approx(1.0, rel=1e-3)
    assert check.delivered["J4"] == pytest.approx(1.0, rel=1e-3)
    assert set(check.low(20)) == {"J2", "J5", "J6"}


def test_nothing_is_lost_when_nothing_is_closed():
    check = hydraulics.run(HAND_BUILT, [], hours=2)
    assert check.lost == []
    assert check.low(20) == []
    assert min(check.pressure.values()) > 30


def test_a_drained_tank_stops_feeding_and_its_junctions_lose_water_later():
    check = hydraulics.run(TANK_DRAINS, ["P0"], hours=6)
    assert check.lost == ["J1", "J2"]
    assert 9700 <= check.lost_at["J1"] <= 9900
    assert check.lost_at["J2"] == check.lost_at["J1"]
    # Fed in full for 9817 s of the 21600 s run: about 45% of the demand on average.
    assert check.delivered["J1"] / check.required["J1"] == pytest.approx(9817 / 21600, abs=0.02)


def test_with_the_reservoir_connected_the_tank_never_runs_dry():
    assert hydraulics.run(TANK_DRAINS, [], hours=6).lost == []


def test_lost_is_judged_by_delivered_demand_not_by_pressure():
    # A required pressure far above what the network gives: every junction is "low" but
    # still gets more than 10% of its demand, so none has lost water.
    check = hydraulics.run(HAND_BUILT, [], hours=1, required_pressure=80)
    assert check.lost == []
    assert set(check.low(80)) == {"J1", "J2", "J3", "J4", "J5", "J6", "J7"}


def test_a_failing_model_is_refused_with_epanets_message():
    broken = "[JUNCTIONS]\nJ1  10  1\n[PIPES]\nP1  J1  J9  100  100  100  0  Open\n[END]\n"
    with pytest.raises(DomainError) as refused:
        hydraulics.run(broken, [])
    assert refused.value.code == NetworkError.HYDRAULICS_FAILED
    assert "Error 203: undefined node J9 in [PIPES] section: P1  J1  J9" in refused.value.message


def test_an_unknown_closed_link_is_refused():
    with pytest.raises(DomainError) as refused:
        hydraulics.run(HAND_BUILT, ["P99"], hours=1)
    assert refused.value.code == NetworkError.HYDRAULICS_FAILED


def test_net6_day_runs_on_epanet_23():
    check = hydraulics.run((LIBRARY / "Net6.inp").read_text(), [], hours=24)
    assert len(check.pressure) == 3323 and check.lost == []
