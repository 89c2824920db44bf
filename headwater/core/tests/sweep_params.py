"""The sweep's tables (core/tests/test_scope_sweep.py): what is not swept and why, how each
path, query and body parameter is filled with the victim's ids (PARAMS, ROUTE_PARAMS), the
other values sent to get a request past validation, the pages' queries, forms and actions, and
the uploads that name the victim.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from headwater.core import levels
from headwater.core.choices import ResponseLevel
from headwater.core.tests.world import MOMENT, VICTIM_UNIT, World

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


def _gate_teams_csv(w: World) -> bytes:
    row = f"{w.victim['gate_name']},SWEEP,1,SWEEP,{w.victim['employee_no']}"
    return f"卡点,组名,批次,姓名,工号/手机\n{row}\n".encode()
