"""Health codes: the rule set in force, and each person's code computed from it. Codes are
written only here — by the use-cases that change what the rules look at (a check-in, a
status, new rules or risk areas) and by the nightly job — never by a page that shows one."""

import datetime as dt
import random
import time
from decimal import Decimal

from django.db import OperationalError, connection, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from headwater.core import clock, codes, locks
from headwater.core.models import Organization, Person
from headwater.core.writes import Written
from headwater.health import facts as facts_mod
from headwater.health import rules as rules_mod
from headwater.health.choices import CodeColour
from headwater.health.models import CodeRecompute, HealthCode, Rule, RuleSet

DEFAULT_FEVER_THRESHOLD = Decimal("37.3")


# --- The rule set in force -----------------------------------------------------------------


def rule_set_in_force(organization) -> RuleSet | None:
    """The newest version, or None while the organization has none yet (read only)."""
    return RuleSet.objects.of(organization).order_by("-version").first()


def active_rule_set(organization: Organization) -> RuleSet:
    """The rule set in force; the default rules become version 1 the first time."""
    current = rule_set_in_force(organization)
    if current:
        return current
    with transaction.atomic():
        locks.lock_one(Organization, organization.pk)  # two first check-ins make one version 1
        current = rule_set_in_force(organization)
        if current:
            return current
        return create_rule_set(
            organization,
            1,
            rules_mod.DEFAULT_RULES,
            DEFAULT_FEVER_THRESHOLD,
            _("Default rules (2020 practice)"),
            None,
        )


def create_rule_set(organization, version, rules, fever_threshold, note, by) -> RuleSet:
    """A rule set and its rules in order; each rule carries the organization key itself."""
    rule_set = RuleSet.objects.create(
        organization=organization,
        version=version,
        note=note,
        fever_threshold=fever_threshold,
        created_by=by,
    )
    Rule.objects.bulk_create(
        Rule(
            organization_id=organization.pk,
            rule_set=rule_set,
            order=i,
            name=r.name,
            colour=r.colour,
            conditions=r.conditions,
            recovery=r.recovery,
            recovery_days=r.recovery_days,
        )
        for i, r in enumerate(rules, start=1)
    )
    return rule_set


# --- A person's code -----------------------------------------------------------------------


def recompute_code(
    person: Person, *, today: dt.date | None = None, rule_set: RuleSet | None = None, areas=None
) -> Written[HealthCode]:
    """Evaluate the rules for the person and keep the code history: a new row (created) when
    the colour or rule changes, otherwise the current row's date to turn green is refreshed."""
    today = today or clock.today()
    rule_set = rule_set or active_rule_set(person.organization)
    rules = rule_set.ordered_rules
    facts = facts_mod.gather(
        person, today, float(rule_set.fever_threshold), rule_set.tracking_since, areas
    )
    # Part of the caller's transaction when there is one (a check-in): no savepoint of its own.
    with transaction.atomic(savepoint=False):
        current = (
            HealthCode.objects.current()
            .select_for_update(of=("self",))
            .select_related("rule")
            .filter(person=person)
            .first()
        )
        held = None
        if current and current.rule:
            # Held under an older version: the same-named rule of the version in force decides
            # when it turns green, so a changed recovery applies to codes already held.
            same = next((r for r in rules if r.name == current.rule.name), current.rule)
            held = (current.colour, same)
        verdict = rules_mod.evaluate(rules, facts, held)
        verdict_rule_id = getattr(verdict.rule, "pk", None)
        if current and current.colour == verdict.colour and current.rule_id == verdict_rule_id:
            if current.green_on != verdict.green_on or current.reason != verdict.reason:
                current.green_on, current.reason = verdict.green_on, verdict.reason
                current.save(update_fields=["green_on", "reason"])
            return current, False
        if current:
            HealthCode.objects.filter(pk=current.pk).update(is_current=False)
        code = _code(person, verdict, rule_set.version)
        code.save()
        codes.announce_change([person.pk])
        return code, True


def _code(person: Person, verdict: rules_mod.Verdict, version: int) -> HealthCode:
    rule = verdict.rule if isinstance(verdict.rule, Rule) else None
    return HealthCode(
        organization_id=person.organization_id,
        person=person,
        colour=verdict.colour,
        reason=verdict.reason,
        rule=rule,
        rule_name=verdict.rule.name if verdict.rule else "",
        rule_set_version=rule.rule_set.version if rule else version,
        green_on=verdict.green_on,
        since=clock.now(),
    )


def unsaved_code(person: Person, today: dt.date | None = None) -> HealthCode:
    """The code the rules give the person now, not saved: what a page shows a person whose
    first code has not been written yet (their first check-in or the nightly job writes it).
    Reads only; before the organization has a rule set, the default rules are read."""
    today = today or clock.today()
    rule_set = rule_set_in_force(person.organization_id)
    if rule_set is None:
        rules, threshold, since, version = (
            rules_mod.DEFAULT_RULES,
            DEFAULT_FEVER_THRESHOLD,
            today,
            1,
        )
    else:
        rules, threshold = rule_set.ordered_rules, rule_set.fever_threshold
        since, version = rule_set.tracking_since, rule_set.version
    facts = facts_mod.gather(person, today, float(threshold), since)
    return _code(person, rules_mod.evaluate(rules, facts, None), version)


def recompute_person(person: Person | int) -> Written[HealthCode]:
    """The recomputer registered with core.codes: another capability changed a fact."""
    if not isinstance(person, Person):
        person = Person.objects.select_related("organization").get(pk=person)
    return recompute_code(person)


# --- Many codes ----------------------------------------------------------------------------


CHUNK = 200
RETRIES = 20  # waits of 0.05, 0.1, … capped at 2 s (about 30 s in all) for a busy database
CATCH_UP_AFTER = dt.timedelta(minutes=2)


def _retrying(fn):
    """Run `fn` (one short transaction); when the database is busy (SQLite locked, a
    PostgreSQL deadlock or serialization failure), wait and try again, doubling the wait."""
    for attempt in range(RETRIES):
        try:
            return fn()
        except OperationalError:
            if attempt == RETRIES - 1 or connection.in_atomic_block:
                raise
            time.sleep(min(0.05 * 2**attempt, 2.0) * random.uniform(0.5, 1.0))
    return None  # pragma: no cover - the loop returns or raises


def recompute_organization_codes(organization_id: int) -> int:
    """Work through the organization's open recompute requests: every active person's code,
    in person order, each in its own short transaction (retried while the database is busy),
    the progress recorded after each chunk, so that a job that dies is resumed where it
    stopped (by its retry or the periodic catch-up) rather than started over or lost. The ids
    are read first and the people a chunk at a time: no read stays open across the writes
    (on SQLite an open read would make every later write fail once somebody else commits).
    Returns how many codes were recomputed."""
    org = Organization.objects.get(pk=organization_id)
    request_ids, start_after = _retrying(lambda: _open_requests(org))
    rule_set = _retrying(lambda: active_rule_set(org))
    areas = _retrying(lambda: facts_mod.risk_areas_on(org.pk, clock.today()))
    active = org.people.active().filter(pk__gt=start_after).order_by("pk")
    ids = _retrying(lambda: list(active.values_list("pk", flat=True)))
    count = 0
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        people = Person.objects.filter(pk__in=chunk).select_related("organization").order_by("pk")
        for person in _retrying(lambda q=people: list(q)):
            _retrying(lambda p=person: recompute_code(p, rule_set=rule_set, areas=areas))
            count += 1
        _retrying(
            lambda last=chunk[-1]: CodeRecompute.objects.filter(pk__in=request_ids).update(
                after_person_id=last
            )
        )
    _retrying(lambda: CodeRecompute.objects.filter(pk__in=request_ids).update(done_at=clock.now()))
    return count


def _open_requests(org: Organization) -> tuple[list[int], int]:
    """The open requests' ids and the person id to resume after (a direct call with none open
    records one, so that its progress is kept too)."""
    requests = list(CodeRecompute.objects.of(org).filter(done_at__isnull=True).order_by("pk"))
    if not requests:
        requests = [CodeRecompute.objects.create(organization=org, reason="direct")]
    return [r.pk for r in requests], min(r.after_person_id for r in requests)


# Declared here, beside the work it queues, rather than in health/tasks.py: the services that
# queue it (new rules, risk areas) would otherwise import tasks.py, which imports them. A job
# that still fails is retried by the queue, then by the periodic catch-up.
@db_task(retries=3, retry_delay=60)
def recompute_organization(organization_id: int) -> int:
    """Queued after a commit that changes what every code depends on."""
    return recompute_organization_codes(organization_id)


def recompute_after_commit(organization: Organization, reason: str = "rules") -> CodeRecompute:
    """Record that every code of the organization must be recomputed (in the caller's
    transaction: the request is kept exactly when the change is), and queue the work once the
    change is committed."""
    request = CodeRecompute.objects.create(organization=organization, reason=reason[:100])
    pk = organization.pk
    transaction.on_commit(lambda: recompute_organization(pk))
    return request


def catch_up_recomputes(now=None) -> int:
    """Finish the recompute requests left open for a while (a job that died or ran out of
    retries). Returns how many organizations were caught up."""
    now = now or clock.now()
    late = (
        CodeRecompute.objects.filter(done_at__isnull=True, requested_at__lt=now - CATCH_UP_AFTER)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    orgs = list(late)
    for organization_id in orgs:
        recompute_organization_codes(organization_id)
    return len(orgs)


def recompute_stale_codes(organization: Organization) -> int:
    """Recompute the codes that may change with the date alone: non-green codes, and people
    with no check-in since the day before yesterday (or none at all). Returns how many were
    recomputed."""
    today = clock.today()
    rule_set = active_rule_set(organization)
    areas = facts_mod.risk_areas_on(organization.pk, today)
    not_green = (
        HealthCode.objects.of(organization)
        .current()
        .filter(colour__in=[CodeColour.YELLOW, CodeColour.RED])
        .values("person_id")
    )
    stale = (
        organization.people.active()
        .annotate(last=Max("checkins__date"))
        .filter(
            Q(pk__in=not_green) | Q(last__lt=today - dt.timedelta(days=1)) | Q(last__isnull=True)
        )
    )
    # The ids first, then a chunk at a time: no read stays open across the writes.
    ids = list(stale.order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), CHUNK):
        people = Person.objects.filter(pk__in=ids[i : i + CHUNK]).select_related("organization")
        for person in list(people.order_by("pk")):
            _retrying(
                lambda p=person: recompute_code(p, today=today, rule_set=rule_set, areas=areas)
            )
    return len(ids)
