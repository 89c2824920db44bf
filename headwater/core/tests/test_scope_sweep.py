"""The outsider sweep: every page URL and every API route, requested by people who must see
nothing of one unit (plant 3 of the demo organization), proves they get nothing of it and
change nothing of it.

The routes are not listed here: pages come from walking the URL resolver, API routes from the
API's OpenAPI schema, so a new page or endpoint is swept without writing a test. Path, query
and body parameters are filled with the victim's ids by the parameter's *name* (PARAMS,
ROUTE_PARAMS); a route with an id-like parameter nobody mapped fails, telling the developer to
add the mapping, rather than being skipped.

Actors (world.py builds them):
- anonymous: no login;
- outsider: the other organization's office, holding every organization-wide role;
- outsider_device: the other organization's device token (API only);
- sibling_head: head (and monitor) of plant 2, the victim unit's sibling;
- sibling_lab: lab technician and reviewer of plant 2.

Each page is requested with GET, GET with filters naming the victim's rows, GET with a search
for the victim and exports on, and a form POST (per action where a page has several); each API
operation with its required parameters, with the victim's ids, with the other known query
parameters, and writes with a JSON body built from the schema (required fields, every field
naming a row filled with the victim's, VALUES for the rest) or an upload naming the victim.

For each request: no 500; the response (body, headers, xlsx/zip members, JSON with its \\u
escapes undone; a PDF is requested but not read) contains no marker of the victim (world.py) —
``VICTIM-`` and the victim unit's name ``VUNIT-`` for the sibling unit, anything ``ORGV-`` of
the victim organization for the other organization and the anonymous visitor — and no phone or
ID number of the victim's people; after a write (any method but GET, on pages a form POST)
every row of the victim organization is as it was, except the actor's own rows (their
check-in, their inbox), which a sibling may legitimately change.

Known leaks are listed in KNOWN_LEAKS with the issue they belong to and marked
xfail(strict=True): a fix makes them pass, and strict makes that fail until the entry goes.
"""

from __future__ import annotations

import io
import json
import re
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.db.models import Q
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from headwater.api import api
from headwater.core import levels
from headwater.core.choices import ResponseLevel
from headwater.core.models import Organization, Person, User
from headwater.core.tests.world import (
    MOMENT,
    ORGV,
    VICTIM,
    VICTIM_UNIT,
    VICTIM_UNIT_NAME,
    World,
    world_context,
)

pytestmark = [
    pytest.mark.django_db,
    # The sweep checks the scoping of every page and route, which the ORM writes the same way
    # for both databases; it runs once, on SQLite, to keep CI under 20 minutes (it is half the
    # suite). PostgreSQL's own paths (raw SQL, locks, partitions) have their own tests there.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql",
        reason="the scope sweep runs on SQLite (vendor-independent ORM scoping)",
    ),
]

# --- What is not swept, and why (keep this short) -------------------------------------------

SKIPPED_NAMES = {
    "logout": "ends the client's session; shows nothing",
    "set_language": "sets the language cookie; shows nothing (i18n)",
    "account_confirm_email": "allauth e-mail confirmation by key: no e-mail addresses here",
    "account_reset_password_from_key": "allauth password reset by a key sent by e-mail: unused",
    "activate": "the path holds a one-time activation code, a secret, not a row id "
    "(core/tests/test_logins.py)",
    "duty:calendar_feed": "the path holds the signed token of a person's calendar feed, a "
    "secret, not a row id (duty/tests/test_now_calendar.py)",
    "isolation:verify": "the path holds the signed token of an isolation document: public by "
    "design, it shows the organization's name, a masked name, dates and state "
    "(isolation/tests/test_documents_pdf.py)",
    "access:visit_pass": "the path holds the signed link of a visitor pass: public by design, "
    "it shows a masked name, the host, the site and the pass "
    "(access/tests/test_visitors_pass_page.py)",
}
SKIPPED_PREFIXES = {
    "admin/": "Django's admin: only is_staff users get past its own login, and they are "
    "superusers who see every organization by design; its object URLs are not ours",
    "static/": "static files (whitenoise): no data",
    "media/": "uploaded files: none are served",
}
OWN_APPS = ("core", "health", "quality", "alerts", "briefing", "notices", "duty")

# --- How a parameter is filled with the victim's ids ----------------------------------------


@dataclass(frozen=True)
class Fixed:
    """A value that is not the victim's (a format, a setting key); a list gives one request
    per value."""

    value: Any


# By parameter name: a key of World.victim, or a Fixed value.
PARAMS: dict[str, str | Fixed] = {
    "person_id": "person",
    "unit_id": "unit",
    "site_id": "site",
    "lab_id": "lab",
    "point_id": "point",
    "plan_id": "plan",
    "task_id": "task",
    "sample_id": "sample",
    "relaxation_id": "relaxation",
    "channel_id": "channel",
    "checkin_id": "checkin",
    "status_id": "status",
    "report_id": "report",
    "grant_id": "grant",
    "device_id": "device",
    "briefing_id": "briefing",
    "notice_id": "notice",
    "unit_ids": "units",
    "case_id": "case",
    "request_id": "request",
    "flow_id": "flow",
    "followup_id": "followup",
    "call_id": "call",
    "correction_id": "correction",
    "monitor_id": "person",
    "volunteer_id": "person",
    "household_member_id": "household",
    "household_ids": "household",
    "member_id": "household",
    "retest_id": "retest",
    "sampling_site_id": "sampling_site",
    "tube_id": "tube",
    "swap_id": "swap",
    "handover_id": "handover",
    "flag_id": "duty_flag",
    "group_id": "duty_group",
    "member_ids": "duty_members",
    "point": "point_code",  # the API names a point by its code
    "fmt": Fixed(["csv", "xlsx"]),
    "key": Fixed(sorted(levels.REGISTRY)[0]),
    "level": Fixed(ResponseLevel.LEVEL_2.value),
    "campaign_id": "campaign",
    "operator_id": "operator",
    "entry_id": "entry",
    "batch_id": "batch",
    "sheet_id": "sheet",
    "post_id": "post",
    "roster_id": "roster",
    "shift_id": "shift",
    "assignment_id": "assignment",
    "leave_id": "leave",
    "wish_id": "wish",
    "card_id": "pass_card",
    "card_ids": "pass_cards",
    "signing_key_id": "signing_key",
    "canteen_id": "canteen",
    "slot_id": "meal_slot",
    "route_id": "bus_route",
    "trip_id": "bus_trip",
    "visit_id": "visit",
    "gate_id": "gate",
    "gate_device_id": "gate_device",
    "team_id": "gate_team",
    "team_member_id": "gate_member",
    "leader_id": "person",
    "customer_id": "customer",
    "pressure_point_id": "pressure_point",
    "network_model_id": "network_model",
    "work_order_id": "work_order",
    "pipe": "network_pipe",
}
# A name that means different things on different routes: (route, name). A page's route is
# its URL name, an API route "METHOD /path".
ROUTE_PARAMS: dict[tuple[str, str], str | Fixed] = {
    ("testing:retest_sample", "pk"): "retest",
    ("duty:post", "pk"): "post",
    ("duty:roster", "pk"): "roster",
    ("duty:shift", "pk"): "shift",
    ("GET /api/v1/testing/retests", "campaign_id"): "retest_campaign",
    ("GET /api/v1/duty/shifts/{shift_id}/handover", "shift_id"): "handover_shift",
    ("core:person", "pk"): "person",
    ("core:person_reveal", "pk"): "person",
    ("core:person_edit", "pk"): "person",
    ("core:unlock_signin", "pk"): "person",
    ("core:person_grant", "pk"): "person",
    ("core:household_edit", "pk"): "household",
    ("core:grant_revoke", "pk"): "grant",
    ("core:device_revoke", "pk"): "device",
    ("core:logins_unit", "pk"): "unit",
    ("core:logins_sheet", "pk"): "unit",
    ("core:logins_unit_sms", "pk"): "unit",
    ("core:logins_person_code", "pk"): "person",
    ("core:logins_person_sms", "pk"): "person",
    ("core:history", "pk"): "person",
    ("core:history", "model"): Fixed("person"),
    ("health:person", "pk"): "person",
    ("health:unit_report_filings", "pk"): "report",
    ("isolation:case", "pk"): "case",
    ("testing:completeness", "pk"): "campaign",
    ("testing:completeness_export", "pk"): "campaign",
    ("testing:desk", "pk"): "sampling_site",
    ("testing:desk_calls", "pk"): "sampling_site",
    ("isolation:check", "pk"): "case",
    ("isolation:card", "pk"): "case",
    ("isolation:case_requests", "pk"): "case",
    ("isolation:request", "pk"): "request",
    ("isolation:flow_advance", "pk"): "flow",
    ("isolation:supervision_call", "pk"): "call",
    ("isolation:notice_pdf", "pk"): "case",
    ("isolation:release_pdf", "pk"): "case",
    ("duty:shift_log", "pk"): "shift",
    ("duty:swap_request", "pk"): "assignment",
    ("duty:swap_decide", "pk"): "swap",
    ("duty:flag", "pk"): "duty_flag",
    ("duty:draw", "pk"): "duty_shift",
    ("duty:loop_handover", "pk"): "duty_group",
    ("alerts:open", "pk"): "inbox",
    ("alerts:acknowledge", "pk"): "inbox",
    ("alerts:close", "pk"): "inbox",
    ("POST /api/v1/alerts/{item_id}/acknowledge", "item_id"): "inbox",
    ("POST /api/v1/alerts/{item_id}/close", "item_id"): "inbox",
    ("alerts:robot_edit", "pk"): "channel",
    ("notices:open", "pk"): "notice",
    ("notices:confirm", "pk"): "notice",
    ("notices:receipts", "pk"): "notice",
    ("notices:remind", "pk"): "notice",
    ("alerts:robot_test", "pk"): "channel",
    ("quality:report_export", "fmt"): Fixed(["xlsx", "pdf"]),  # a PDF is requested, not read
    ("briefing:detail", "pk"): "briefing",
    ("briefing:send", "pk"): "briefing",
    ("briefing:download", "pk"): "briefing",
    ("briefing:download", "fmt"): Fixed(["xlsx", "docx"]),
    ("GET /api/v1/briefings/{briefing_id}/download/{fmt}", "fmt"): Fixed(["xlsx", "docx"]),
    ("POST /api/v1/quality/results/check", "ids"): "results",
    ("POST /api/v1/quality/results/approve", "ids"): "results",
    ("POST /api/v1/quality/results/return", "ids"): "results",
    ("POST /api/v1/alerts/read", "ids"): "inbox",
    ("testing:campaign", "pk"): "campaign",
    ("testing:campaign_edit", "pk"): "campaign",
    ("testing:roster", "pk"): "campaign",
    ("testing:import", "pk"): "campaign",
    ("testing:outsiders_pdf", "pk"): "campaign",
    ("testing:outsiders_xlsx", "pk"): "campaign",
    ("testing:batch_edit", "pk"): "batch",
    ("testing:label_sheet_pdf", "pk"): "sheet",
    ("POST /api/v1/testing/campaigns/{campaign_id}/operators", "site_id"): "testing_site",
    ("PATCH /api/v1/testing/batches/{batch_id}", "site_id"): "testing_site",
    ("access:pass_card_pdf", "pk"): "pass_card",
    ("access:dining_canteen", "site_id"): "canteen",
    ("access:dining_slot_edit", "pk"): "meal_slot",
    ("access:dining_slot_delete", "pk"): "meal_slot",
    ("access:dining_group_delete", "pk"): "dining_group",
    ("DELETE /api/v1/access/dining/groups/{group_id}", "group_id"): "dining_group",
    ("access:bus_route", "pk"): "bus_route",
    ("access:bus_trip", "pk"): "bus_trip",
    ("access:bus_run", "pk"): "bus_trip",
    ("POST /api/v1/access/bus-routes", "gate_id"): "bus_gate",
    ("PUT /api/v1/access/bus-routes/{route_id}", "gate_id"): "bus_gate",
    ("access:gate_visitors", "gate_id"): "visitor_gate",
    ("access:visit_new", "gate_id"): "visitor_gate",
    ("access:vehicle_new", "gate_id"): "visitor_gate",
    ("POST /api/v1/access/gates/{gate_id}/visits", "gate_id"): "visitor_gate",
    ("POST /api/v1/access/gates/{gate_id}/vehicles", "gate_id"): "visitor_gate",
    ("GET /api/v1/access/vehicles", "gate_id"): "visitor_gate",
    ("GET /api/v1/access/visits", "site_id"): "visitor_site",
    ("POST /api/v1/access/gates/{gate_id}/visits", "host_id"): "person",
    ("POST /api/v1/access/scans", "gate_id"): "scan_gate",
    ("GET /api/v1/access/scanner/sync", "gate_id"): "scan_gate",
    ("access:gate", "pk"): "gate",
    ("access:gate_edit", "pk"): "gate",
    ("access:gate_deactivate", "pk"): "gate",
    ("access:gate_device_enrol", "pk"): "gate",
    ("access:gate_team_new", "pk"): "gate",
    ("access:gate_ledger", "pk"): "gate",
    ("access:gate_ledger_xlsx", "pk"): "gate",
    ("access:gate_ledger_pdf", "pk"): "gate",
    ("access:gate_device_revoke", "pk"): "gate_device",
    ("access:gate_team_edit", "pk"): "gate_team",
    ("access:gate_team_delete", "pk"): "gate_team",
    ("access:gate_member_add", "pk"): "gate_team",
    ("access:gate_member_remove", "pk"): "gate_member",
    ("POST /api/v1/access/tracing/followups", "person_ids"): "duty_members",  # [victim person]
}
# Other query and body fields worth sending (when the route has them) so a request gets past
# validation to the point where scope is checked; by name, or (route, name) where it differs.
ROUTE_VALUES: dict[tuple[str, str], Any] = {
    ("POST /api/v1/sites", "kind"): "water_plant",
    ("POST /api/v1/quality/points", "kind"): "finished",
    ("PATCH /api/v1/quality/points/{point_id}", "kind"): "finished",
    ("POST /api/v1/alerts/robots", "kind"): "dingtalk",
    ("PATCH /api/v1/alerts/robots/{channel_id}", "kind"): "dingtalk",
    ("POST /api/v1/alerts/robots", "url"): "http://127.0.0.1:9/sweep",
    ("POST /api/v1/health/risk-areas", "level"): "high",
    ("POST /api/v1/role-grants", "role"): "monitor",
    ("POST /api/v1/network/work-orders", "kind"): "burst",
}
VALUES: dict[str, Callable[[World], Any]] = {
    "q": lambda w: w.victim["employee_no"],
    "maximum": lambda w: "0.5",
    "indicators": lambda w: ["turbidity"],
    "frequency": lambda w: "daily",
    "indicator": lambda w: "turbidity",
    "values": lambda w: {"turbidity": "0.3"},
    "readings": lambda w: [
        {
            "point": w.victim["point_code"],
            "indicator": "turbidity",
            "at": MOMENT.isoformat(),
            "value": "0.3",
        }
    ],
    "unmasked": lambda w: True,
    "format": lambda w: "csv",
    "purpose": lambda w: "sweep",
    "reason": lambda w: "sweep",
    "kind": lambda w: "close_contact",
    "name": lambda w: "SWEEP",
    "note": lambda w: "sweep",
}
# Pages: the query strings of the second and third GET — filters naming the victim's rows,
# then a search that finds the victim (lists are paginated) with exports on; apart, because
# one refused filter (404) would hide what the other shows.
PAGE_QUERIES = (
    {
        "unit": "unit",
        "person": "person",
        "point": "point",
        "edit": "risk_area",
        "indicator": Fixed("turbidity"),
    },
    {
        "q": "employee_no",
        "export": Fixed("xlsx"),
        "unmasked": Fixed("1"),
    },
)
# ... and the form of the POST.
PAGE_FORM = {
    "person": "person",
    "unit": "unit",
    "point": "point",
    "record": "status",
    "pk": "risk_area",
    "result": "results",
    "purpose": Fixed("sweep"),
    "role": Fixed("monitor"),
    "reason": Fixed("sweep"),
    "valid_to": Fixed(MOMENT.date().isoformat()),
    "ended_on": Fixed(MOMENT.date().isoformat()),
}
# Pages whose POST does different things by its "action": one POST per action.
PAGE_ACTIONS = {
    "health:statuses": ["end", "save"],
    "health:risk_areas": ["end", "delete"],
    "quality:sample": ["check", "approve", "return"],
    "quality:relaxation_decide": ["approve", "reject", "revoke"],
}


def _roster_csv(w: World) -> bytes:
    return f"employee_no,name,unit_code\n{w.victim['employee_no']},SWEEP,{VICTIM_UNIT}\n".encode()


def _results_csv(w: World) -> bytes:
    row = f"{w.victim['point_code']},{MOMENT:%Y-%m-%d} 08:00,turbidity,0.3"
    return f"point,sampled_at,indicator,value\n{row}\n".encode()


def _grants_csv(w: World) -> bytes:
    return f"工号,角色,单位编码\n{w.victim['employee_no']},盯控人,{VICTIM_UNIT}\n".encode()


def _isolation_csv(w: World) -> bytes:
    return f"工号,隔离类型,原因\n{w.victim['employee_no']},居家隔离,SWEEP\n".encode()


# Uploads: a file whose rows name the victim's people or points.
FILES: dict[str, Callable[[World], bytes]] = {
    "core:grants_import": _grants_csv,
    "core:roster_import": _roster_csv,
    "POST /api/v1/people/import": _roster_csv,
    "quality:import": _results_csv,
    "POST /api/v1/quality/results/import": _results_csv,
    "isolation:import": _isolation_csv,
    "POST /api/v1/isolation/cases/import": _isolation_csv,
    "access:gate_teams_import": lambda w: _gate_teams_csv(w),
    "POST /api/v1/access/gate-teams/import": lambda w: _gate_teams_csv(w),
}


def needs_mapping(name: str) -> bool:
    """Whether a parameter names a row: then it must be filled with the victim's, not made up."""
    return name in ("pk", "ids", "point") or name.endswith(("_id", "_ids"))


class Unmapped(Exception):
    pass


def victim_value(world: World, route: str, name: str, *, one: bool = False):
    spec = ROUTE_PARAMS.get((route, name)) or PARAMS.get(name)
    if spec is None:
        raise Unmapped(
            f"{route}: the parameter {name!r} is not mapped to any of the victim's rows. Add it "
            f"to PARAMS (by name) or ROUTE_PARAMS (by route) in {__name__}, so that the sweep "
            f"requests this route with the id of a row of the victim unit."
        )
    value = spec.value if isinstance(spec, Fixed) else world.victim[spec]
    if one and isinstance(value, list) and not isinstance(spec, Fixed):
        value = value[0]
    return value


# --- The routes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str  # "core:person", or the route itself when the pattern has no name
    route: str  # "core/people/<int:pk>/"
    params: tuple[str, ...]
    named: bool


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # "/api/v1/people/{person_id}"
    path_params: tuple[str, ...]
    query: tuple[tuple[str, bool, dict], ...]  # (name, required, schema)
    body: tuple[str, dict] | None  # (content type, schema)

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


SCHEMA = api.get_openapi_schema()
COMPONENTS = SCHEMA.get("components", {}).get("schemas", {})


def _walk(resolver, prefix="", namespace=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def _is_api_operation(route: str, name: str | None) -> bool:
    """Operations of the NinjaAPI are swept from its schema; its root and docs are pages."""
    return (
        name is not None
        and name.startswith(f"{api.urls_namespace}:")
        and not name.endswith(("openapi-json", "openapi-view", "api-root"))
    )


def _skipped(route: str, name: str | None) -> bool:
    return name in SKIPPED_NAMES or route.startswith(tuple(SKIPPED_PREFIXES))


def page_routes() -> list[Page]:
    pages = {}
    for route, name, pattern in _walk(get_resolver()):
        if _skipped(route, name) or _is_api_operation(route, name):
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if not hasattr(pattern.pattern, "_route"):
            params = tuple(pattern.pattern.regex.groupindex) or ("<regex>",)
        pages[route] = Page(name or route, route, params, named=name is not None)
    return sorted(pages.values(), key=lambda p: p.route)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].split("/")[-1]]
    return schema


def api_operations() -> list[Operation]:
    ops = []
    for path, methods in SCHEMA["paths"].items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            body = None
            if "requestBody" in op:
                content_type, content = next(iter(op["requestBody"]["content"].items()))
                body = (content_type, _resolve(content["schema"]))
            ops.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    path_params=tuple(p["name"] for p in params if p["in"] == "path"),
                    query=tuple(
                        (p["name"], bool(p.get("required")), p.get("schema", {}))
                        for p in params
                        if p["in"] == "query"
                    ),
                    body=body,
                )
            )
    return sorted(ops, key=lambda o: o.key)


PAGES = page_routes()
OPERATIONS = api_operations()

# --- Leaks that are known and reported (issue 8); strict, so a fix makes them fail -----------

KNOWN_LEAKS: dict[tuple[str, str], str] = {}


def _cases(routes, actors, key) -> list:
    cases = []
    for route in routes:
        for actor in actors:
            reason = KNOWN_LEAKS.get((actor, key(route)))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(actor, route, id=f"{actor}:{key(route)}", marks=marks))
    return cases


PAGE_ACTORS = ("anonymous", "outsider", "sibling_head", "sibling_lab")
API_ACTORS = (*PAGE_ACTORS, "outsider_device")
OUTSIDERS = ("anonymous", "outsider", "outsider_device")

# --- The world, the actors' clients, and what a response may not contain --------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with world_context(django_db_blocker) as w:
        yield w


_HANDLER = Client().handler


def client_of(world: World, actor: str) -> Client:
    client = Client()
    # One handler for all: building the middleware (whitenoise indexes every static file)
    # for each of the sweep's hundreds of clients would cost more than their requests.
    client.handler = _HANDLER
    if actor == "outsider_device":
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {world.device_token}"
    elif actor != "anonymous":
        client.force_login(world.users[actor])
    return client


def response_text(response) -> str:
    """Everything a response shows: headers, the body, the members of an xlsx/zip, JSON with
    its \\u escapes undone."""
    body = b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    parts = [f"{k}: {v}" for k, v in response.items()]
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            body = b"\n".join(z.read(n) for n in z.namelist())
    text = body.decode("utf-8", errors="replace")
    parts.append(text)
    if "json" in response.get("Content-Type", ""):
        try:
            parts.append(json.dumps(json.loads(text), ensure_ascii=False))
        except ValueError:
            pass
    return "\n".join(parts)


# What a page shows every member of the organization by design, though it names the victim
# unit (url name -> markers allowed there, and why). Keep it short.
SHOWN_BY_DESIGN = {
    "core:sites": {VICTIM_UNIT_NAME: "sites are the organization's; the list names their units"},
    # Duty posts are called by everybody (the duty phone); a post's unit is part of its name.
    "duty:posts": {VICTIM_UNIT_NAME: "posts are the organization's; the list names their units"},
    "duty:post": {VICTIM_UNIT_NAME: "a post's page names its unit"},
    # Who is on duty now is everybody's to call: the people on each post's shift by name
    # (phones masked) and the post's unit.
    "duty:on_duty": {
        VICTIM: "the people on duty now, by name",
        VICTIM_UNIT_NAME: "posts name their units",
    },
    "api:on_duty": {
        VICTIM: "the people on duty now, by name",
        VICTIM_UNIT_NAME: "posts name their units",
    },
}


def leaks(world: World, actor: str, response, url: str = "") -> list[str]:
    """What the response shows of the victim: markers, phone and ID numbers, each with the
    text around its first occurrence."""
    text = response_text(response)
    outsider = actor in OUTSIDERS
    markers = (VICTIM, ORGV) if outsider else (VICTIM, VICTIM_UNIT_NAME)
    if url and not outsider:
        allowed = SHOWN_BY_DESIGN.get(resolve(urlsplit(url).path).view_name, {})
        markers = tuple(m for m in markers if m not in allowed)
    secrets = world.org_secrets if outsider else world.unit_secrets
    # Phones and ID numbers are runs of 11+ digits: look those up rather than search the text
    # for each of the organization's numbers.
    runs = set(re.findall(r"[0-9Xx]{11,}", text))
    found = [(f"marker {m!r}", m) for m in markers if m in text]
    found += [(f"phone/ID number {s}", s) for s in sorted(secrets) if any(s in r for r in runs)]
    return [f"{label}: …{_around(text, needle)}…" for label, needle in found]


def _around(text: str, needle: str) -> str:
    at = text.find(needle)
    return text[max(0, at - 200) : at + 200]


# --- The victim organization's rows, to prove a write changed nothing ------------------------


def _organization_paths(model) -> list[str]:
    """Lookups from the model to Organization through its foreign keys, shortest first."""
    if model is Organization:
        return ["pk"]
    frontier = [(model, "")]
    for _ in range(3):
        found, following = [], []
        for m, prefix in frontier:
            for f in m._meta.concrete_fields:
                if not isinstance(f, models.ForeignKey):
                    continue
                if f.related_model is Organization:
                    found.append(prefix + f.name)
                else:
                    following.append((f.related_model, f"{prefix}{f.name}__"))
        if found:
            return found
        frontier = following
    return []


def owned_models() -> list[type[models.Model]]:
    return [m for label in OWN_APPS for m in apps.get_app_config(label).get_models()]


def snapshot(org: Organization, user: User | None) -> dict[str, dict]:
    """Every row of the organization in our apps, but the acting user's own (their user and
    person rows, and rows pointing at them: their check-ins, inbox items, codes)."""
    rows = {}
    for model in owned_models():
        paths = _organization_paths(model)
        assert paths, (
            f"{model._meta.label} reaches no Organization through its foreign keys: teach "
            f"{__name__}._organization_paths how its rows belong to an organization"
        )
        qs = model._base_manager.filter(_any(Q(**{p: org.pk}) for p in paths))
        if user is not None:
            qs = _without_own(qs, model, user)
        names = [f.attname for f in model._meta.concrete_fields]
        # The raw rows, without Django's converters (dates, JSON): equal rows are equal
        # either way, and the sweep takes hundreds of these.
        sql, params = qs.order_by("pk").values_list("pk", *names).query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows[model._meta.label] = {r[0]: r for r in cursor.fetchall()}
    return rows


def _any(qs):
    result = Q(pk__in=[])
    for q in qs:
        result |= q
    return result


def _without_own(qs, model, user: User):
    if model is User:
        qs = qs.exclude(pk=user.pk)
    if model is Person and user.person_id:
        qs = qs.exclude(pk=user.person_id)
    for f in model._meta.concrete_fields:
        if isinstance(f, models.ForeignKey) and f.related_model is User:
            qs = qs.exclude(**{f.name: user.pk})
        elif isinstance(f, models.ForeignKey) and f.related_model is Person and user.person_id:
            qs = qs.exclude(**{f.name: user.person_id})
    return qs


def changed_rows(before: dict, after: dict) -> list[str]:
    changes = []
    for label, rows in before.items():
        now = after[label]
        for pk in sorted(set(rows) | set(now)):
            if rows.get(pk) != now.get(pk):
                changes.append(f"{label} pk={pk}: {rows.get(pk)} -> {now.get(pk)}")
    return changes


_BEFORE: dict[str, dict] = {}


def rows_before(world: World, actor: str) -> dict:
    """Each test starts from the same world (its changes are rolled back): one snapshot per
    actor is enough."""
    if actor not in _BEFORE:
        _BEFORE[actor] = snapshot(world.org, world.users.get(actor))
    return _BEFORE[actor]


# --- Requests -------------------------------------------------------------------------------


@dataclass
class Outcome:
    method: str
    url: str
    status: int
    problems: list[str]
    download: bool = False


def request(world, actor, client, method, url, *, write, **kwargs) -> Outcome:
    before = rows_before(world, actor) if write else None
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = getattr(client, method.lower())(url, **kwargs)
    except Exception:
        return Outcome(method, url, 500, [f"raised:\n{traceback.format_exc()}"])
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}")
    problems += leaks(world, actor, response, url)
    if write and _view_ran(actor, response):
        changes = changed_rows(before, snapshot(world.org, world.users.get(actor)))
        if changes:
            problems.append(
                "changed the victim organization's rows:\n  " + "\n  ".join(changes[:10])
            )
    download = "attachment" in response.get("Content-Disposition", "")
    return Outcome(method, url, response.status_code, problems, download)


def _view_ran(actor: str, response) -> bool:
    """False when the request was turned away before any code of ours ran: the API's
    authentication (401), a method the route does not take (405), the login redirect."""
    if response.status_code in (401, 405):
        return False
    login = reverse("login")
    return not (
        actor == "anonymous"
        and response.status_code == 302
        and response["Location"].startswith(login)
    )


def assert_clean(actor: str, outcomes: list[Outcome]) -> None:
    assert outcomes, "no request was made"
    bad = [o for o in outcomes if o.problems]
    assert not bad, f"as {actor}:\n" + "\n".join(
        f"{o.method} {o.url} -> {o.status}\n    " + "\n    ".join(o.problems) for o in bad
    )


def _fill(world, route: str, names) -> list[dict]:
    """Every combination of the parameters' values (a Fixed list gives several)."""
    combos = [{}]
    for name in names:
        value = victim_value(world, route, name, one=True)
        values = value if isinstance(value, list) else [value]
        combos = [{**c, name: v} for c in combos for v in values]
    return combos


def page_urls(world: World, page: Page) -> list[str]:
    combos = _fill(world, page.name, page.params)
    if page.named:
        return [reverse(page.name, kwargs=kw) for kw in combos]
    return ["/" + _substitute(page.route, r"<(?:\w+:)?(\w+)>", kw) for kw in combos]


def _substitute(template: str, pattern: str, values: dict) -> str:
    return re.sub(pattern, lambda m: str(values[m[1]]), template)


def _spec_value(world, spec):
    return spec.value if isinstance(spec, Fixed) else world.victim[spec]


def page_form(world: World, page: Page) -> list[dict]:
    form = {k: _spec_value(world, v) for k, v in PAGE_FORM.items()}
    if page.name in FILES:
        form["file"] = SimpleUploadedFile("sweep.csv", FILES[page.name](world), "text/csv")
    actions = PAGE_ACTIONS.get(page.name, [None])
    return [{**form, "action": a} if a else dict(form) for a in actions]


# --- The sweep ------------------------------------------------------------------------------


@pytest.mark.parametrize(("actor", "page"), _cases(PAGES, PAGE_ACTORS, lambda p: p.name))
def test_page_shows_and_changes_nothing_of_another_unit(world, actor, page):
    try:
        urls = page_urls(world, page)
    except Unmapped as e:
        pytest.fail(str(e))
    rows_before(world, actor)  # before any request of this test, GETs included
    client = client_of(world, actor)
    queries = [{k: _spec_value(world, v) for k, v in q.items()} for q in PAGE_QUERIES]
    outcomes = []
    for url in urls:
        outcomes.append(request(world, actor, client, "GET", url, write=False))
        for query in queries:
            outcomes.append(request(world, actor, client, "GET", url, write=False, data=query))
        if outcomes[-1].download:
            continue  # a download is not a form
        for form in page_form(world, page):
            outcomes.append(request(world, actor, client, "POST", url, write=True, data=form))
    assert_clean(actor, outcomes)


def example(world: World, route: str, name: str, schema: dict):
    """A value for a field: the victim's when the name is mapped, a plausible one otherwise."""
    if (route, name) in ROUTE_VALUES:
        return ROUTE_VALUES[route, name]
    if (route, name) in ROUTE_PARAMS or name in PARAMS:
        return victim_value(world, route, name)
    if needs_mapping(name):
        victim_value(world, route, name)  # raises Unmapped with the advice
    if name in VALUES:
        return VALUES[name](world)
    return _by_type(world, route, _resolve(schema))


def _by_type(world, route, schema: dict):
    if "anyOf" in schema:
        choices = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return _by_type(world, route, _resolve(choices[0])) if choices else None
    if "enum" in schema:
        return schema["enum"][0]
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "object" or "properties" in schema:
        return body_of(world, route, schema)
    if kind == "array":
        items = _resolve(schema.get("items", {}))
        return [_by_type(world, route, items)] if items else []
    return {
        "integer": 1,
        "number": 1,
        "boolean": True,
        "string": {"date": MOMENT.date().isoformat(), "date-time": MOMENT.isoformat()}.get(
            fmt, "sweep"
        ),
    }.get(kind, "sweep")


def body_of(world: World, route: str, schema: dict) -> dict:
    """The required fields, and every field naming a row (filled with the victim's) or known to
    VALUES."""
    required = set(schema.get("required", []))
    body = {}
    for name, prop in schema.get("properties", {}).items():
        wanted = name in required or needs_mapping(name) or name in PARAMS or name in VALUES
        if wanted or (route, name) in ROUTE_PARAMS or (route, name) in ROUTE_VALUES:
            body[name] = example(world, route, name, prop)
    return body


def unique(dicts: list[dict]) -> list[dict]:
    return [d for n, d in enumerate(dicts) if d not in dicts[:n]]


def _query(data: dict) -> dict:
    return {k: json.dumps(v) if isinstance(v, bool) else v for k, v in data.items()}


def api_requests(world: World, op: Operation) -> list[tuple[str, dict]]:
    """(url, client kwargs) for each request of the operation."""
    requests = []
    for path_values in _fill(world, op.key, op.path_params):
        path = _substitute(op.path, r"{(\w+)}", path_values)
        required = {n: example(world, op.key, n, s) for n, r, s in op.query if r}
        if op.method == "GET":
            # Required parameters only; then with the parameters naming the victim's rows;
            # then with the other known ones (a search, exports) — apart, as on pages.
            ids = dict(required)
            others = dict(required)
            for name, _req, schema in op.query:
                if needs_mapping(name) or name in PARAMS:
                    ids[name] = example(world, op.key, name, schema)
                elif name in VALUES:
                    others[name] = example(world, op.key, name, schema)
            for data in unique([required, ids, others]):
                requests.append((path, {"data": _query(data)}))
            continue
        url = path + ("?" + "&".join(f"{k}={v}" for k, v in required.items()) if required else "")
        if op.body is None:
            requests.append((url, {}))
        elif op.body[0].startswith("multipart/"):
            maker = FILES.get(op.key, lambda w: b"a,b\n1,2\n")
            form = {
                n: SimpleUploadedFile("sweep.csv", maker(world), "text/csv")
                for n in op.body[1].get("properties", {})
            }
            requests.append((url, {"data": form}))
        else:
            body = body_of(world, op.key, op.body[1])
            requests.append((url, {"data": json.dumps(body), "content_type": "application/json"}))
    return requests


@pytest.mark.parametrize(("actor", "op"), _cases(OPERATIONS, API_ACTORS, lambda o: o.key))
def test_api_route_shows_and_changes_nothing_of_another_unit(world, actor, op):
    try:
        requests = api_requests(world, op)
    except Unmapped as e:
        pytest.fail(str(e))
    rows_before(world, actor)
    client = client_of(world, actor)
    write = op.method != "GET"
    outcomes = [
        request(world, actor, client, op.method, url, write=write, **kw) for url, kw in requests
    ]
    assert_clean(actor, outcomes)


# --- The sweep is not vacuous ---------------------------------------------------------------


def test_sweep_covers_every_page_and_api_route():
    """Pages and operations are found (more than a handful), and every route the API serves
    is in its schema, so no endpoint escapes the sweep by being left out of the docs."""
    assert len(PAGES) >= 45, [p.name for p in PAGES]
    assert len(OPERATIONS) >= 70, [o.key for o in OPERATIONS]
    served = set()
    for route, name, _ in _walk(get_resolver()):
        if _is_api_operation(route, name):
            served.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))
    assert served == {o.path for o in OPERATIONS}


# Who opens a page with the victim's ids when the organization's superuser may not: an inbox
# item is only ever its own user's.
OWNERS = {
    "alerts:open": "victim_head",
    "alerts:close": "victim_head",
    "notices:open": "victim_staff",  # a notice of one's own
    "testing:desk": "victim_office",  # a desk: its operators and the office
    "testing:desk_calls": "victim_office",
    "duty:swap_request": "victim_staff",  # only the person on the shift asks to swap it
}
API_OWNERS = {
    "GET /api/v1/notices/mine/{notice_id}": "victim_staff",
    "GET /api/v1/testing/desk/sites/{sampling_site_id}/calls": "victim_office",
    "GET /api/v1/testing/desk/sites/{sampling_site_id}/roster": "victim_office",
}


@pytest.mark.parametrize("page", [p for p in PAGES if p.params], ids=lambda p: p.name)
def test_the_victims_ids_open_the_victims_pages(world, page):
    """The ids the sweep sends are real: the organization's superuser opens each page with
    them (no 404), so an outsider's 404 means refused, not a wrong id."""
    client = client_of(world, OWNERS.get(page.name, "victim_admin"))
    for url in page_urls(world, page):
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (url, response.status_code)


@pytest.mark.parametrize(
    "op", [o for o in OPERATIONS if o.path_params and o.method == "GET"], ids=lambda o: o.key
)
def test_the_victims_ids_open_the_victims_api_rows(world, op):
    client = client_of(world, API_OWNERS.get(op.key, "victim_admin"))
    for url, kw in api_requests(world, op):
        response = client.get(url, **kw)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])


def test_the_sweep_sees_the_victim_when_it_is_shown(world):
    """Control: the same checks flag the victim's own office, who may see plant 3."""
    client = client_of(world, "victim_office")
    person = world.victim["person"]
    page = client.get(reverse("core:person", args=[person]))
    row = client.get(f"/api/v1/people/{person}")
    roster = client.get(reverse("core:roster_export"), {"unmasked": "1"})
    assert page.status_code == row.status_code == roster.status_code == 200
    assert leaks(world, "sibling_head", page)
    assert leaks(world, "outsider", row)
    assert any(found.startswith("phone/ID") for found in leaks(world, "sibling_head", roster))


def test_the_sweep_sees_a_write_to_the_victim(world):
    """Control: a change the victim's office may make is seen as a change."""
    client = client_of(world, "victim_office")
    outcome = request(
        world,
        "sibling_head",
        client,
        "PATCH",
        f"/api/v1/people/{world.victim['person']}",
        write=True,
        data=json.dumps({"position": "SWEEP"}),
        content_type="application/json",
    )
    assert outcome.status == 200
    assert any("changed the victim" in p for p in outcome.problems)


def test_a_parameter_nobody_mapped_fails_the_sweep_with_advice(world):
    """A new route whose parameter names a row the sweep does not know is not skipped."""
    new_page = Page("gadgets:gadget", "gadgets/<int:gadget_id>/", ("gadget_id",), named=True)
    new_filter = Operation("GET", "/api/v1/gadgets", (), (("gadget_id", False, {}),), None)
    with pytest.raises(Unmapped, match="'gadget_id' is not mapped.*Add it to PARAMS"):
        page_urls(world, new_page)
    with pytest.raises(Unmapped, match="GET /api/v1/gadgets: the parameter 'gadget_id'"):
        api_requests(world, new_filter)


def _gate_teams_csv(w: World) -> bytes:
    row = f"{w.victim['gate_name']},SWEEP,1,SWEEP,{w.victim['employee_no']}"
    return f"卡点,组名,批次,姓名,工号/手机\n{row}\n".encode()
