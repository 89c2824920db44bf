"""The scope sweep's checks (core/tests/test_scope_sweep.py): what a response may not show of
the victim, and the victim organization's rows, to prove a write changed nothing.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection, models
from django.db.models import Q
from django.urls import resolve

from headwater.core.models import Organization, Person, User
from headwater.core.tests.sweep_params import OWN_APPS
from headwater.core.tests.world import ORGV, VICTIM, VICTIM_UNIT_NAME, World

# --- What a response may not contain --------------------------------------------------------

OUTSIDERS = ("anonymous", "outsider", "outsider_device")


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
