"""Query-count baselines: the main pages and endpoints of core, alerts, health, quality and
notices, each requested by the role that uses it on the small demo world (world.py: lists have
several rows, so an N+1 shows), with its number of SQL queries held in query_baselines.json.

A count above its baseline fails, naming the page, the old and new count and every query; a
count below it fails too, asking to lower the baseline, so the file stays true. After a change
that rightly moves counts, rewrite the file and review its diff:

    HEADWATER_UPDATE_QUERY_BASELINES=1 .venv/bin/pytest headwater/core/tests/test_query_baselines.py

Counts are the same on SQLite and PostgreSQL: SAVEPOINT / RELEASE / ROLLBACK TO SAVEPOINT
statements are not counted (Django issues them around atomic blocks nested in the test's
transaction, a matter of the test, not of the page). Before each measurement the caches that
would make a count depend on the tests run before it are emptied: Django's cache (the
overview's past days), the content-type cache (audit entries) and the process's memory of
the level, settings and rule set (core.memo), so that a check-in is measured as the first one
after a change.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from headwater.briefing.models import Briefing
from headwater.core import memo
from headwater.core.models import Unit, User
from headwater.core.tests.world import API, World, world_context
from headwater.duty.models import ShiftFlag
from headwater.isolation.models import Case
from headwater.notices import services as notices
from headwater.notices.inputs import PublishInput
from headwater.quality.models import Result, Sample, SamplingTask

pytestmark = pytest.mark.django_db

BASELINES = Path(__file__).with_name("query_baselines.json")
UPDATE = os.environ.get("HEADWATER_UPDATE_QUERY_BASELINES") == "1"
NOT_COUNTED = re.compile(r"^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.I)


@dataclass(frozen=True)
class Entry:
    """One measured request: `key` is "app: what (role)"; `url` and `body` get the world's
    ids (World.baseline); `actor` is a demo login (its username is its role)."""

    key: str
    actor: str
    url: Callable[[dict], str]
    method: str = "GET"
    body: Callable[[dict], dict] | None = None


def page(name: str, *args: str) -> Callable[[dict], str]:
    return lambda ids: reverse(name, args=[ids[a] for a in args])


def api(path: str) -> Callable[[dict], str]:
    return lambda ids: API + path.format(**ids)


ENTRIES = [
    # core
    Entry("core: home (office)", "office", page("home")),
    Entry("core: home (staff)", "staff", page("home")),
    Entry("core: people list (office)", "office", page("core:people")),
    Entry("core: person detail (office)", "office", page("core:person", "person")),
    Entry("core: units (office)", "office", page("core:units")),
    Entry("core: sites (office)", "office", page("core:sites")),
    Entry("core: response levels (office)", "office", page("core:levels")),
    Entry("core: audit trail (office)", "office", page("core:audit")),
    Entry("core: GET /people (office)", "office", api("/people")),
    Entry("core: GET /people/{id} (office)", "office", api("/people/{person}")),
    Entry("core: roles list (office)", "office", page("core:grants")),
    Entry("core: roles list (unit_head)", "unit_head", page("core:grants")),
    Entry("core: command dashboard page (office)", "office", page("dashboard:screen")),
    Entry("core: GET /dashboard (office)", "office", api("/dashboard")),
    Entry("core: devices (office)", "office", page("core:devices")),
    Entry("core: GET /role-grants (office)", "office", api("/role-grants")),
    Entry("core: GET /devices (office)", "office", api("/devices")),
    Entry("core: my household (staff)", "staff", page("core:household")),
    Entry("core: GET /household (unit_head)", "unit_head", api("/household")),
    # alerts
    Entry("alerts: inbox (office)", "office", page("alerts:inbox")),
    Entry("alerts: GET /alerts (office)", "office", api("/alerts")),
    Entry("alerts: robots (office)", "office", page("alerts:robots")),
    # health
    Entry("health: check-in page (staff)", "staff", page("health:checkin")),
    Entry(
        "health: POST /health/checkins (staff)",
        "staff",
        api("/health/checkins"),
        "POST",
        lambda ids: {"temperature": "36.6", "whereabouts": "at_work"},
    ),
    Entry("health: my timeline (staff)", "staff", page("health:me")),
    Entry("health: unit page (unit_head)", "unit_head", page("health:unit")),
    Entry("health: unit report page (unit_head)", "unit_head", page("health:unit_report")),
    Entry("health: GET /health/checkins (unit_head)", "unit_head", api("/health/checkins")),
    Entry("health: overview (office)", "office", page("health:overview")),
    Entry("health: GET /health/overview (office)", "office", api("/health/overview")),
    Entry("health: person timeline (office)", "office", page("health:person", "person")),
    Entry("health: statuses (office)", "office", page("health:statuses")),
    Entry("health: GET /health/codes (office)", "office", api("/health/codes")),
    Entry(
        "health: household screening (unit_head)", "unit_head", page("health:household_screening")
    ),
    Entry(
        "health: GET /health/household-screening (office)",
        "office",
        api("/health/household-screening"),
    ),
    # quality
    Entry("quality: tasks page (lab_tech)", "lab_tech", page("quality:tasks")),
    Entry("quality: task page (lab_tech)", "lab_tech", page("quality:task", "task")),
    Entry(
        "quality: POST /quality/tasks/{id}/results (lab_tech)",
        "lab_tech",
        api("/quality/tasks/{task}/results"),
        "POST",
        lambda ids: {"values": ids["task_values"]},
    ),
    Entry("quality: review queue (lab_reviewer)", "lab_reviewer", page("quality:review")),
    Entry("quality: sample page (lab_reviewer)", "lab_reviewer", page("quality:sample", "sample")),
    Entry("quality: report page (quality)", "quality", page("quality:report")),
    Entry("quality: points and plans (quality)", "quality", page("quality:setup")),
    Entry("quality: limits page (quality)", "quality", page("quality:limits")),
    Entry("quality: trend page (quality)", "quality", page("quality:trend")),
    Entry("quality: GET /quality/samples (quality)", "quality", api("/quality/samples")),
    Entry("quality: GET /quality/results (quality)", "quality", api("/quality/results")),
    Entry("quality: GET /quality/points (quality)", "quality", api("/quality/points")),
    Entry("quality: GET /quality/plans (quality)", "quality", api("/quality/plans")),
    Entry("quality: GET /quality/tasks (lab_tech)", "lab_tech", api("/quality/tasks")),
    # briefing
    Entry("briefing: archive (office)", "office", page("briefing:archive")),
    Entry("briefing: briefing page (leader)", "leader", page("briefing:detail", "briefing")),
    Entry("briefing: briefing page (office)", "office", page("briefing:detail", "briefing")),
    Entry("briefing: GET /briefings (leader)", "leader", api("/briefings")),
    Entry("briefing: GET /briefings/{id} (leader)", "leader", api("/briefings/{briefing}")),
    # notices
    Entry("notices: my notices (staff)", "staff", page("notices:mine")),
    Entry("notices: one notice (staff)", "staff", page("notices:open", "notice")),
    Entry("notices: GET /notices/mine (staff)", "staff", api("/notices/mine")),
    Entry("notices: notices followed (office)", "office", page("notices:list")),
    Entry("notices: receipts page (office)", "office", page("notices:receipts", "notice")),
    Entry("notices: receipts page (unit_head)", "unit_head", page("notices:receipts", "notice")),
    Entry(
        "notices: GET /notices/{id}/receipts (office)", "office", api("/notices/{notice}/receipts")
    ),
    # isolation
    Entry("isolation: case list (office)", "office", page("isolation:list")),
    Entry("isolation: case list (unit_head)", "unit_head", page("isolation:list")),
    Entry("isolation: case page (office)", "office", page("isolation:case", "case")),
    Entry("isolation: today (monitor)", "monitor", page("isolation:today")),
    Entry("isolation: GET /isolation/cases (office)", "office", api("/isolation/cases")),
    Entry("isolation: GET /isolation/today (monitor)", "monitor", api("/isolation/today")),
    Entry("isolation: case requests (office)", "office", page("isolation:case_requests", "case")),
    Entry("isolation: service to-do (monitor)", "monitor", page("isolation:requests_todo")),
    Entry(
        "isolation: GET /isolation/requests/todo (monitor)",
        "monitor",
        api("/isolation/requests/todo"),
    ),
    Entry("isolation: escalation flows (office)", "office", page("isolation:flows")),
    # testing: completeness
    Entry("testing: completeness (office)", "office", page("testing:completeness", "campaign")),
    Entry(
        "testing: completeness (unit_head)", "unit_head", page("testing:completeness", "campaign")
    ),
    Entry(
        "testing: GET /testing/campaigns/{id}/completeness (office)",
        "office",
        api("/testing/campaigns/{campaign}/completeness"),
    ),
    Entry("isolation: GET /isolation/flows (office)", "office", api("/isolation/flows")),
    # duty: on duty now, my shifts, swaps, shifts without handover
    Entry("duty: on duty now (staff)", "staff", page("duty:on_duty")),
    Entry("duty: GET /duty/now (staff)", "staff", api("/duty/now")),
    Entry("duty: my shifts (staff)", "staff", page("duty:my_shifts")),
    Entry("duty: swaps (unit_head)", "unit_head", page("duty:swaps")),
    Entry("duty: shifts without handover (unit_head)", "unit_head", page("duty:missing_handovers")),
    Entry("isolation: today's supervision (office)", "office", page("isolation:supervision")),
    Entry("isolation: correction items (unit_head)", "unit_head", page("isolation:corrections")),
    Entry(
        "isolation: GET /isolation/supervision/calls (office)",
        "office",
        api("/isolation/supervision/calls"),
    ),
    Entry(
        "isolation: GET /isolation/supervision/corrections (unit_head)",
        "unit_head",
        api("/isolation/supervision/corrections"),
    ),
    # testing: results and retests
    Entry("testing: results (office)", "office", page("testing:results")),
    Entry("testing: retests (office)", "office", page("testing:retests")),
    Entry("testing: GET /testing/retests (office)", "office", api("/testing/retests")),
    # testing: campaign setup
    Entry("testing: campaigns (office)", "office", page("testing:campaigns")),
    Entry("testing: campaign page (office)", "office", page("testing:campaign", "campaign")),
    Entry("testing: roster (office)", "office", page("testing:roster", "campaign")),
    Entry("testing: roster (unit_head)", "unit_head", page("testing:roster", "campaign")),
    Entry(
        "testing: GET /testing/campaigns/{campaign}/roster (office)",
        "office",
        api("/testing/campaigns/{campaign}/roster"),
    ),
    # duty: continuity
    Entry("duty: shifts to cover (unit_head)", "unit_head", page("duty:flags")),
    Entry("duty: shift to cover (unit_head)", "unit_head", page("duty:flag", "duty_flag")),
    Entry("duty: staffing margin (office)", "office", page("duty:margins")),
    Entry("duty: reserve pool (office)", "office", page("duty:reserve")),
    Entry("duty: closed-loop groups (unit_head)", "unit_head", page("duty:loops")),
    Entry("duty: GET /duty/flags (unit_head)", "unit_head", api("/duty/flags")),
    Entry("duty: GET /duty/margins (office)", "office", api("/duty/margins")),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_context(django_db_blocker) as w:
        yield w


@pytest.fixture(scope="module")
def ids(world: World) -> dict:
    """What the entries open: plant 1's (where the demo logins work) staff member, an open
    task at its finished-water point and the sample waiting for the lab head's check."""
    org = world.org
    staff = User.objects.get(organization=org, username="staff")
    plant = Unit.objects.get(organization=org, code="P1")
    tasks = SamplingTask.objects.filter(organization=org, point__unit=plant, status="open")
    task = tasks.order_by("due_at", "pk").first()
    waiting = Result.objects.filter(organization=org, status="entered").values("sample")
    sample = Sample.objects.filter(pk__in=waiting, point__unit=plant).order_by("pk")
    notice, _created = notices.publish(
        org,
        PublishInput.parse({"kind": "rules", "title": "通知", "body": "正文"}),
        by=User.objects.get(organization=org, username="office"),
    )
    case = Case.objects.filter(organization=org, monitor__user__username="monitor").first()
    return {
        "notice": notice.pk,
        "case": case.pk,
        "person": staff.person_id,
        "task": task.pk,
        "task_values": {code: "0.3" for code in task.indicators if code == "turbidity"}
        or {task.indicators[0]: "0.3"},
        "sample": sample.first().pk,
        "briefing": Briefing.objects.filter(organization=org, is_latest=True).latest("day").pk,
        "campaign": world.victim["campaign"],
        "duty_flag": ShiftFlag.objects.filter(
            organization=org, assignment__shift__post__unit=plant, state="open"
        )
        .order_by("pk")
        .first()
        .pk,
    }


_HANDLER = Client().handler
_MEASURED: dict[str, int] = {}


@pytest.fixture(scope="module", autouse=True)
def rewrite_baselines():
    """In update mode, the measured counts replace the file's (others are kept as they are)
    when the module is done."""
    yield
    if UPDATE and _MEASURED:
        known = {e.key for e in ENTRIES}
        counts = {k: v for k, v in load().items() if k in known} | _MEASURED
        BASELINES.write_text(
            json.dumps(dict(sorted(counts.items())), indent=2, ensure_ascii=False) + "\n"
        )


def load() -> dict[str, int]:
    return json.loads(BASELINES.read_text()) if BASELINES.exists() else {}


def measure(world: World, ids: dict, entry: Entry) -> tuple[int, list[str]]:
    client = Client()
    client.handler = _HANDLER  # the middleware is built once, not per client
    client.force_login(User.objects.get(organization=world.org, username=entry.actor))
    url = entry.url(ids)
    kwargs = {}
    if entry.body is not None:
        kwargs = {"data": json.dumps(entry.body(ids)), "content_type": "application/json"}
    cache.clear()
    memo.forget()
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as captured:
        response = client.generic(entry.method, url, **kwargs)
    assert response.status_code < 400, (entry.key, url, response.status_code, response.content)
    queries = [q["sql"] for q in captured.captured_queries if not NOT_COUNTED.match(q["sql"])]
    return len(queries), queries


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.key)
def test_query_count_stays_at_its_baseline(world, ids, entry):
    count, queries = measure(world, ids, entry)
    if UPDATE:
        _MEASURED[entry.key] = count
        return
    baseline = load().get(entry.key)
    listing = "\n".join(f"  {n}. {sql[:400]}" for n, sql in enumerate(queries, 1))
    how = "HEADWATER_UPDATE_QUERY_BASELINES=1 .venv/bin/pytest " + str(
        Path(__file__).relative_to(Path.cwd()) if Path.cwd() in Path(__file__).parents else __file__
    )
    assert baseline is not None, f"{entry.key}: no baseline yet ({count} queries); run {how}"
    assert count <= baseline, (
        f"{entry.key}: {count} queries, baseline {baseline} (+{count - baseline}). An N+1 or a "
        f"new query? If the new count is right, run {how} and commit the diff.\n{listing}"
    )
    assert count >= baseline, (
        f"{entry.key}: {count} queries, baseline {baseline} ({count - baseline}). Fewer, good: "
        f"lower the baseline with {how} and commit the diff.\n{listing}"
    )


@pytest.mark.skipif(UPDATE, reason="the file is being rewritten")
def test_every_entry_has_a_baseline_and_every_baseline_an_entry():
    assert set(load()) == {e.key for e in ENTRIES}
