"""The outsider sweep: every page URL and every API route, requested by people who must see
nothing of one unit (plant 3 of the demo organization), proves they get nothing of it and
change nothing of it.

The routes are not listed here: pages come from walking the URL resolver, API routes from the
API's OpenAPI schema, so a new page or endpoint is swept without writing a test. Path, query
and body parameters are filled with the victim's ids by the parameter's *name* (PARAMS,
ROUTE_PARAMS); a route with an id-like parameter nobody mapped fails, telling the developer to
add the mapping, rather than being skipped.

The tables live beside this module: what is not swept and how parameters are filled in
sweep_params.py, the pages and API operations to sweep in sweep_routes.py, what a response may
not show and the snapshot of the victim organization's rows in sweep_checks.py.

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

import json
import re
import traceback
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import get_resolver, reverse

from headwater.core.tests.sweep_checks import changed_rows, leaks, rows_before, snapshot
from headwater.core.tests.sweep_params import (
    FILES,
    PAGE_ACTIONS,
    PAGE_FORM,
    PAGE_QUERIES,
    PARAMS,
    ROUTE_PARAMS,
    ROUTE_VALUES,
    VALUES,
    Fixed,
    Unmapped,
    needs_mapping,
    victim_value,
)
from headwater.core.tests.sweep_routes import (
    OPERATIONS,
    PAGES,
    Operation,
    Page,
    _is_api_operation,
    _resolve,
    _walk,
)
from headwater.core.tests.world import MOMENT, World, world_context

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

# --- The world and the actors' clients ------------------------------------------------------


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
