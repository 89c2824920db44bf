"""The water-quality part of `headwater demo`: labs, points of every kind, the seeds' plans,
a fortnight of reviewed results with a few exceedances, today's tasks."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from headwater.core import demo as core_demo
from headwater.core.models import Organization
from headwater.quality import demo as quality_demo
from headwater.quality.models import Lab, Result, SamplingPlan, SamplingPoint, SamplingTask
from headwater.quality.tests.conftest import at


@pytest.fixture
def demo_org(db, settings, clock_at, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(core_demo, "EXTENSIONS", [quality_demo.build])  # not the health demo
    clock_at(at(dt.date(2026, 11, 3), 11))  # a Tuesday: network water was sampled Mon and Tue
    call_command("demo", "--staff", "300", "--history-days", "7", stdout=StringIO())
    return Organization.objects.get(slug="demo")


def test_the_demo_has_a_lab_per_plant_and_points_of_every_kind(demo_org):
    assert list(Lab.objects.filter(organization=demo_org).values_list("code", "kind")) == [
        ("QC", "central"),
        ("L1", "plant"),
        ("L2", "plant"),
        ("L3", "plant"),
    ]
    kinds = dict(
        SamplingPoint.objects.filter(organization=demo_org)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    assert kinds == {"raw": 3, "finished": 3, "network": 6, "secondary": 2, "tap": 2}


def test_the_demo_plans_follow_the_seeds(demo_org):
    plans = SamplingPlan.objects.filter(organization=demo_org)
    raw = plans.get(name="1厂原水17项日检")
    assert (len(raw.indicators), raw.frequency) == (17, "daily")
    assert len(plans.get(name="1厂出厂水20项日检").indicators) == 20
    assert plans.get(name="1厂出厂水浊度、pH、余氯每日两次").times == ["08:00", "16:00"]
    assert plans.get(name="管网水每周一、二").weekdays == [0, 1]
    assert len(plans.get(name="出厂水43项月检").indicators) == 43
    assert plans.get(name="疫情期间管网余氯日检").levels == ["level1", "level2"]


def test_the_demo_history_is_reviewed_except_the_last_two_days(demo_org):
    results = Result.objects.filter(organization=demo_org)
    by_status = {
        s: set(results.filter(status=s).values_list("sampled_on", flat=True))
        for s in ("approved", "checked", "entered")
    }
    assert max(by_status["approved"]) == dt.date(2026, 11, 1)
    assert by_status["checked"] == {dt.date(2026, 11, 2)}
    assert by_status["entered"] == {dt.date(2026, 11, 3)}
    assert results.filter(outcome="fail").exists()
    assert results.filter(point_kind="raw", source_class__isnull=False).exists()


def test_the_demo_has_todays_tasks(demo_org):
    today = SamplingTask.objects.filter(organization=demo_org, due_at__date=dt.date(2026, 11, 3))
    assert today.filter(status="open").exists()
    assert today.filter(status="done").exists()
