"""Roster generation with OR-Tools CP-SAT (ADR 0024): one boolean per (eligible person,
shift); the hard rules of duty.rules as constraints, the soft goals as one weighted
objective. Pure: it reads no database (services/rosters.py loads the problem and writes the
result), and its result is verified by `rules.check` before anyone sees it.

The model, per connected component of the eligibility graph (posts sharing no one are
solved apart, each with a share of the time limit — a month of 100 posts is 100 small
models, not one large one):
- x[p, s] for each team or reserve person p of s's post who is available on s's day (no
  absence, no red or yellow code: `rules.can_take`) and not busy on another roster then;
- HARD: Σ x ≥ min_people and Σ qualified x ≥ min_qualified per shift; two shifts of one
  person never overlap nor leave less than the minimum rest between them (pairwise); at
  most `max_consecutive_days` worked days in any window of that many + 1; at most
  `max_week_hours` per ISO week;
- SOFT (minimized): reserve people (a large cost: only when the team cannot cover), people
  beyond the minimum, each person's hours and nights away from their fair share (the
  component's demand plus the previous period's totals, shared by days available), the
  spread max − min of hours among the people available every day, wishes broken (a day
  off, no night) or kept (a day to work), shifts of a post with leaders left without one.
  The leader of each watch is then rotated: the assigned leader who has led least leads.
"""

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model
from ortools.sat.python.cp_model import LinearExpr

from headwater.duty import rules
from headwater.duty.choices import PreferenceKind
from headwater.duty.rules import Facts, Limits, Slot

DEFAULT_TIME_LIMIT = 8.0
WORKERS = 2
MIN_SHARE = 0.5
RESERVE_COST = 10_000
WISH_COST = 400
PREFER_REWARD = 150
LEADER_REWARD = 200
NIGHT_WEIGHT = 60
SPREAD_WEIGHT = 2

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}
RANK = ["optimal", "feasible", "unknown", "infeasible", "invalid"]


@dataclass
class Problem:
    slots: list[Slot]
    nights: set = field(default_factory=set)  # keys of night shifts
    team: dict[int, set[int]] = field(default_factory=dict)  # post id -> people
    reserve: dict[int, set[int]] = field(default_factory=dict)
    leaders: dict[int, set[int]] = field(default_factory=dict)
    facts: Facts = field(default_factory=Facts)
    limits: Limits = field(default_factory=Limits)
    wishes: list[tuple[int, dt.date, str]] = field(default_factory=list)
    previous: dict[int, tuple[float, int]] = field(default_factory=dict)  # hours, nights
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)


@dataclass
class Solution:
    status: str
    objective: float | None
    seconds: float
    assigned: dict = field(default_factory=dict)  # slot key -> [person ids]
    leads: dict = field(default_factory=dict)  # slot key -> person id
    explanation: list[dict] = field(default_factory=list)
    components: int = 0

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "feasible")


def tenths(slot: Slot) -> int:
    return round(slot.hours * 10)


def candidates(problem: Problem) -> dict:
    """slot key -> the people who may be put on it (team, then reserve) on their own."""
    rest = dt.timedelta(hours=problem.limits.min_rest_hours)
    found, free = {}, {}
    # rules.can_take per person and day (it depends on the day only), not per shift
    probe = {}
    for slot in problem.slots:
        probe.setdefault((slot.post_id, slot.day), slot)
    for slot in problem.slots:
        team = problem.team.get(slot.post_id, set())
        people = sorted(team) + sorted(problem.reserve.get(slot.post_id, set()) - team)
        day = slot.day
        mine = []
        for p in people:
            if (p, day) not in free:
                free[p, day] = not rules.can_take(
                    probe[slot.post_id, day], p, problem.facts, check_eligible=False
                )
            if free[p, day] and not any(
                slot.starts_at < end + rest and start < slot.ends_at + rest
                for start, end in problem.busy.get(p, ())
            ):
                mine.append(p)
        found[slot.key] = mine
    return found


def components(problem: Problem, cands: dict) -> list[list[Slot]]:
    """The slots grouped by connected component of posts sharing candidate people."""
    parent: dict = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for slot in problem.slots:
        find(("post", slot.post_id))
        for p in cands[slot.key]:
            parent[find(("person", p))] = find(("post", slot.post_id))
    groups: dict = defaultdict(list)
    for slot in problem.slots:
        groups[find(("post", slot.post_id))].append(slot)
    return sorted(groups.values(), key=lambda g: (g[0].post_id, g[0].starts_at))


class Model:
    """The CP-SAT model of one component. `relax` adds slack to the minimums (and no soft
    goals); `drop` leaves out limits ("rest", "days", "hours") to find the one that binds."""

    def __init__(self, problem, slots, cands, *, relax=False, drop=frozenset()):
        self.problem, self.slots, self.cands = problem, slots, cands
        self.m = cp_model.CpModel()
        self.x: dict = {}
        self.slack: dict = {}
        self.by_person: dict[int, list[Slot]] = defaultdict(list)
        for slot in sorted(slots, key=lambda s: (s.starts_at, s.key)):
            for p in cands[slot.key]:
                self.x[p, slot.key] = self.m.new_bool_var("")
                self.by_person[p].append(slot)
        self._minimums(relax)
        self._person_limits(drop)
        if relax:
            self.m.minimize(LinearExpr.sum(list(self.slack.values())))
        else:
            self._objective()

    def _minimums(self, relax):
        facts = self.problem.facts
        for slot in self.slots:
            ps = self.cands[slot.key]
            everyone = [self.x[p, slot.key] for p in ps]
            qualified = [
                self.x[p, slot.key] for p in ps if facts.holds(p, slot.qualification, slot.day)
            ]
            for what, vars_, need in (
                ("people", everyone, slot.min_people),
                ("qualified", qualified, slot.min_qualified),
            ):
                if not need:
                    continue
                if relax:
                    s = self.slack[slot.key, what] = self.m.new_int_var(0, need, "")
                    self.m.add(LinearExpr.sum(vars_) + s >= need)
                else:
                    self.m.add(LinearExpr.sum(vars_) >= need)

    def _person_limits(self, drop):
        limits = self.problem.limits
        rest = dt.timedelta(hours=0 if "rest" in drop else limits.min_rest_hours)
        self.worked: dict = {}
        for p, mine in self.by_person.items():
            for i, a in enumerate(mine):
                for b in mine[i + 1 :]:
                    if b.starts_at >= a.ends_at + rest:
                        break
                    self.m.add_bool_or([self.x[p, a.key].negated(), self.x[p, b.key].negated()])
            days: dict = defaultdict(list)
            weeks: dict = defaultdict(lambda: ([], []))
            for s in mine:
                days[s.day].append(self.x[p, s.key])
                week = weeks[s.day.isocalendar()[:2]]
                week[0].append(self.x[p, s.key])
                week[1].append(tenths(s))
            for day, xs in days.items():
                w = self.worked[p, day] = self.m.new_bool_var("")
                for v in xs:
                    self.m.add_implication(v, w)
            if "hours" not in drop:
                for xs, ts in weeks.values():
                    if sum(ts) > limits.max_week_hours * 10:
                        self.m.add(LinearExpr.weighted_sum(xs, ts) <= limits.max_week_hours * 10)
            if "days" not in drop:
                n = limits.max_consecutive_days
                for first in sorted(days):
                    window = [first + dt.timedelta(days=i) for i in range(n + 1)]
                    ws = [self.worked[p, d] for d in window if d in days]
                    if len(ws) > n:
                        self.m.add(LinearExpr.sum(ws) <= n)

    def _objective(self):
        pr = self.problem
        self.costs: tuple[list, list] = ([], [])
        slot_of = {s.key: s for s in self.slots}
        for (p, key), v in self.x.items():
            cost = 2 * tenths(slot_of[key]) + 250  # beyond the minimum
            if p not in pr.team.get(slot_of[key].post_id, set()):
                cost += RESERVE_COST
            self._cost(v, cost)
        self._fairness()
        self._wishes()
        self._leaders()
        self.m.minimize(LinearExpr.weighted_sum(*self.costs))

    def _cost(self, var, coefficient: int) -> None:
        self.costs[0].append(var)
        self.costs[1].append(coefficient)

    def _fairness(self):
        pr = self.problem
        team = {p for s in self.slots for p in pr.team.get(s.post_id, set())}
        people = sorted(p for p in self.by_person if p in team)
        if not people:
            return
        all_days = {s.day for s in self.slots}
        avail = {p: len({s.day for s in self.by_person[p]}) for p in people}
        total_avail = sum(avail.values()) or 1
        demand = sum(s.min_people * tenths(s) for s in self.slots)
        night_demand = sum(s.min_people for s in self.slots if s.key in pr.nights)
        prev_h = {p: round(pr.previous.get(p, (0, 0))[0] * 10) for p in people}
        prev_n = {p: pr.previous.get(p, (0, 0))[1] for p in people}
        pool_h, pool_n = demand + sum(prev_h.values()), night_demand + sum(prev_n.values())
        step = max(tenths(s) for s in self.slots)
        full = [p for p in people if avail[p] == len(all_days)]
        top = self.m.new_int_var(0, demand + step, "")
        bottom = self.m.new_int_var(0, demand + step, "")
        for p in people:
            mine = self.by_person[p]
            hours = LinearExpr.weighted_sum(
                [self.x[p, s.key] for s in mine], [tenths(s) for s in mine]
            )
            nights = LinearExpr.sum([self.x[p, s.key] for s in mine if s.key in pr.nights])
            share = avail[p] / total_avail
            target_h = pool_h * share - prev_h[p]
            target_n = pool_n * share - prev_n[p]
            # A band around the fair share rather than the share itself: shifts come whole,
            # so a band one shift wide can be met exactly and the solver proves its optimum
            # instead of searching the symmetric assignments for a fraction of an hour.
            bands = (
                (hours, target_h - step / 2, target_h + step / 2, 1),
                (nights, math.floor(target_n), math.ceil(target_n), NIGHT_WEIGHT),
            )
            for value, low, high, weight in bands:
                over = self.m.new_int_var(0, demand + step, "")
                under = self.m.new_int_var(0, demand + step, "")
                self.m.add(over >= value - math.floor(high))
                self.m.add(under >= math.ceil(low) - value)
                self._cost(over, weight)
                self._cost(under, weight)
            if p in full:
                self.m.add(top >= hours)
                self.m.add(bottom <= hours)
        if len(full) > 1:
            spread = self.m.new_int_var(0, demand + step, "")
            self.m.add(spread >= top - bottom - step)
            self._cost(spread, SPREAD_WEIGHT)

    def _wishes(self):
        for p, day, kind in self.problem.wishes:
            for s in self.by_person.get(p, ()):
                if s.day != day:
                    continue
                v = self.x[p, s.key]
                if kind == PreferenceKind.DAY_OFF:
                    self._cost(v, WISH_COST)
                elif kind == PreferenceKind.NO_NIGHT and s.key in self.problem.nights:
                    self._cost(v, WISH_COST)
                elif kind == PreferenceKind.PREFER:
                    self._cost(v, -PREFER_REWARD)

    def _leaders(self):
        for slot in self.slots:
            leaders = self.problem.leaders.get(slot.post_id, set())
            xs = [self.x[p, slot.key] for p in self.cands[slot.key] if p in leaders]
            if xs:
                led = self.m.new_bool_var("")
                self.m.add(led <= LinearExpr.sum(xs))
                self._cost(led, -LEADER_REWARD)

    def solve(self, seconds: float):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_search_workers = WORKERS
        status = solver.solve(self.m)
        return solver, STATUS.get(status, "unknown")


def solve(problem: Problem, time_limit: float = DEFAULT_TIME_LIMIT) -> Solution:
    """Solve every component within `time_limit` seconds in all, verify the result with
    rules.check, and explain what could not be solved."""
    from headwater.duty.solver_explain import explain

    started = time.perf_counter()
    deadline = started + time_limit
    cands = candidates(problem)
    groups = components(problem, cands)
    left = sum(len(cands[s.key]) for s in problem.slots) or 1
    result = Solution("optimal", 0.0, 0.0, components=len(groups))
    for slots in groups:
        size = sum(len(cands[s.key]) for s in slots)
        # A share of the time left by size; never less than MIN_SHARE, so that a slow start
        # (a loaded machine) still gives each component a roster rather than none.
        budget = max(MIN_SHARE, (deadline - time.perf_counter()) * size / left)
        left -= size
        model = Model(problem, slots, cands)
        solver, status = model.solve(budget)
        if RANK.index(status) > RANK.index(result.status):
            result.status = status
        if status in ("optimal", "feasible"):
            result.objective += solver.objective_value
            for (p, key), v in model.x.items():
                if solver.value(v):
                    result.assigned.setdefault(key, []).append(p)
        else:
            result.explanation += explain(problem, slots, cands, status, budget)
    if not result.solved:
        result.objective = None
    _rotate_leaders(problem, result)
    if result.solved:
        breaks = rules.check(problem.slots, result.assigned, problem.facts, problem.limits)
        if breaks:  # never expected: the model and the checker disagree
            result.status = "invalid"
            result.explanation = [{"rule": str(b.rule), "message": b.message} for b in breaks]
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _rotate_leaders(problem: Problem, result: Solution) -> None:
    led: dict[int, int] = defaultdict(int)
    for slot in sorted(problem.slots, key=lambda s: s.starts_at):
        leaders = problem.leaders.get(slot.post_id, set())
        here = [p for p in result.assigned.get(slot.key, ()) if p in leaders]
        if here:
            chosen = min(here, key=lambda p: (led[p], p))
            led[chosen] += 1
            result.leads[slot.key] = chosen
