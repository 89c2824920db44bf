"""Fixtures of the water-quality tests: a plant lab and the central lab, a point of every
kind, and the people of the three-level review.

    tree:  company HQ → plant1 P1 (→ shift P1A), plant2 P2
    labs:  plant1's lab (unit P1), the central lab (unit HQ)
    points: RAW-1, FIN-1 (plant1), NET-1, SEC-1, TAP-1 (owned by the company, central lab)
"""

import pytest

from headwater.core.tests.factories import PersonFactory, make_user
from headwater.core.tests.timing import at  # noqa: F401 (re-exported)
from headwater.quality.models import Lab, SamplingPoint

# `at` is imported from here by the tests; the clock_at fixture comes from the root conftest.


@pytest.fixture
def labs(org, tree):
    return {
        "plant1": Lab.objects.create(
            organization=org, code="L1", name="第一水厂化验室", kind="plant", unit=tree["plant1"]
        ),
        "central": Lab.objects.create(
            organization=org, code="QC", name="中心化验室", kind="central", unit=tree["company"]
        ),
    }


@pytest.fixture
def points(org, tree, labs):
    def point(code, name, kind, unit, lab):
        return SamplingPoint.objects.create(
            organization=org, code=code, name=name, kind=kind, unit=unit, lab=lab
        )

    p1, hq = tree["plant1"], tree["company"]
    return {
        "raw": point("RAW-1", "一厂取水口", "raw", p1, labs["plant1"]),
        "finished": point("FIN-1", "一厂出厂水", "finished", p1, labs["plant1"]),
        "network": point("NET-1", "河东管网末梢", "network", hq, labs["central"]),
        "secondary": point("SEC-1", "东城小区水箱", "secondary", hq, labs["central"]),
        "tap": point("TAP-1", "市人民医院龙头", "tap", hq, labs["central"]),
    }


@pytest.fixture
def technician(tree):
    person = PersonFactory(unit=tree["plant1"], name="孙化验", employee_no="Q1")
    return make_user("tech", person=person, roles=[("lab_tech", tree["plant1"])])


@pytest.fixture
def lab_head(tree):
    """The plant lab head: checks results (level 2) of plant 1's points."""
    person = PersonFactory(unit=tree["plant1"], name="周主任", employee_no="Q2")
    return make_user("labhead", person=person, roles=[("lab_reviewer", tree["plant1"])])


@pytest.fixture
def approver(tree):
    """The central lab / quality department: approves results (level 3) everywhere."""
    person = PersonFactory(unit=tree["company"], name="吴审批", employee_no="Q3")
    return make_user("approver", person=person, roles=[("quality", None)])


@pytest.fixture
def other_plant_tech(tree):
    person = PersonFactory(unit=tree["plant2"], name="郑二厂", employee_no="Q4")
    return make_user("tech2", person=person, roles=[("lab_tech", tree["plant2"])])
