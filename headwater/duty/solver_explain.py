"""Why a period could not be rostered: which post, which day, which rule.

Cheapest first: (1) each shift's capacity — the eligible, available (qualified) people
against its minimums; (2) each day's demand — the people its shifts need against the shifts
the available people can work that day, rest kept; (3) a relaxed model with slack on the
minimums, naming the shifts left short, and the limit (rest, days in a row, weekly hours)
whose removal lets them be filled."""

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from headwater.duty.errors import DutyError
from headwater.duty.rules import Slot

LIMIT_RULES = (
    ("rest", DutyError.REST_TOO_SHORT),
    ("days", DutyError.TOO_MANY_SHIFTS),
    ("hours", DutyError.TOO_MANY_HOURS),
)


def entry(slot: Slot | None, rule, message: str, *, post="", day=None) -> dict:
    return {
        "post_id": slot.post_id if slot else None,
        "post": slot.post_name if slot else post,
        "day": (slot.day if slot else day).isoformat() if (slot or day) else "",
        "shift": slot.label if slot else "",
        "rule": str(rule),
        "message": message,
    }


def explain(problem, slots, cands, status, seconds) -> list[dict]:
    found = capacity(problem, slots, cands) or day_demand(problem, slots, cands)
    if found:
        return found
    if status == "unknown":
        return [
            entry(
                None,
                DutyError.INFEASIBLE,
                _("No roster was found for %(posts)s within the time limit (%(s)s s).")
                % {"posts": _posts(slots), "s": round(seconds, 1)},
                post=_posts(slots),
            )
        ]
    return relaxed(problem, slots, cands, seconds)


def _posts(slots) -> str:
    return "、".join(dict.fromkeys(s.post_name for s in slots))


def capacity(problem, slots, cands) -> list[dict]:
    out = []
    for slot in sorted(slots, key=lambda s: (s.starts_at, s.post_id)):
        ps = cands[slot.key]
        if len(ps) < slot.min_people:
            out.append(
                entry(
                    slot,
                    DutyError.BELOW_MINIMUM,
                    _("%(shift)s needs %(min)s people; only %(n)s eligible people are available.")
                    % {"shift": slot.name(), "min": slot.min_people, "n": len(ps)},
                )
            )
        q = sum(problem.facts.holds(p, slot.qualification, slot.day) for p in ps)
        if q < slot.min_qualified:
            out.append(
                entry(
                    slot,
                    DutyError.NOT_QUALIFIED,
                    _(
                        "%(shift)s needs %(min)s qualified people; only %(n)s are eligible "
                        "and available."
                    )
                    % {"shift": slot.name(), "min": slot.min_qualified, "n": q},
                )
            )
    return out


def day_demand(problem, slots, cands) -> list[dict]:
    """Per day: Σ minimum people against Σ over people of the most shifts each can work
    that day (earliest end first, the rest kept: optimal for intervals)."""
    rest = dt.timedelta(hours=problem.limits.min_rest_hours)
    by_day: dict = defaultdict(list)
    for s in slots:
        by_day[s.day].append(s)
    out = []
    for day, todays in sorted(by_day.items()):
        demand = sum(s.min_people for s in todays)
        per_person: dict = defaultdict(list)
        for s in todays:
            for p in cands[s.key]:
                per_person[p].append(s)
        supply = 0
        for mine in per_person.values():
            free_from = None
            for s in sorted(mine, key=lambda s: s.ends_at):
                if free_from is None or s.starts_at >= free_from:
                    supply += 1
                    free_from = s.ends_at + rest
        if demand > supply:
            posts = _posts(todays)
            out.append(
                entry(
                    None,
                    DutyError.REST_TOO_SHORT,
                    _(
                        "On %(day)s %(posts)s need %(need)s people on shifts, but the available "
                        "people can work at most %(n)s shifts with %(h)s hours of rest."
                    )
                    % {
                        "day": day,
                        "posts": posts,
                        "need": demand,
                        "n": supply,
                        "h": problem.limits.min_rest_hours,
                    },
                    post=posts,
                    day=day,
                )
            )
    return out


def relaxed(problem, slots, cands, seconds) -> list[dict]:
    from headwater.duty.solver_model import Model

    budget = max(1.0, seconds / 4)
    model = Model(problem, slots, cands, relax=True)
    solver, status = model.solve(budget)
    if status not in ("optimal", "feasible"):
        return [
            entry(
                None,
                DutyError.INFEASIBLE,
                _("No roster was found for %(posts)s.") % {"posts": _posts(slots)},
                post=_posts(slots),
            )
        ]
    short = {k: n for k, v in model.slack.items() if (n := model.value(solver, v)) > 0}
    cause = None
    for name, rule in LIMIT_RULES:
        m = Model(problem, slots, cands, relax=True, drop=frozenset({name}))
        s, st = m.solve(budget)
        if st in ("optimal", "feasible") and s.objective_value == 0:
            cause = rule
            break
    labels = {
        DutyError.REST_TOO_SHORT: _("the minimum rest of %(n)s hours")
        % {"n": problem.limits.min_rest_hours},
        DutyError.TOO_MANY_SHIFTS: _("at most %(n)s days in a row")
        % {"n": problem.limits.max_consecutive_days},
        DutyError.TOO_MANY_HOURS: _("at most %(n)s hours a week")
        % {"n": problem.limits.max_week_hours},
    }
    slot_of = {s.key: s for s in slots}
    out = []
    for (key, what), n in sorted(short.items(), key=lambda i: slot_of[i[0][0]].starts_at):
        slot = slot_of[key]
        rule = DutyError.BELOW_MINIMUM if what == "people" else DutyError.NOT_QUALIFIED
        if what == "people":
            text = _("%(shift)s would be %(n)s people short") % {"shift": slot.name(), "n": n}
        else:
            text = _("%(shift)s would be %(n)s qualified people short") % {
                "shift": slot.name(),
                "n": n,
            }
        if cause:
            text += _(" because of %(limit)s.") % {"limit": labels[cause]}
        else:
            text += "."
        item = entry(slot, cause or rule, text)
        item["short"] = n
        out.append(item)
    return out
