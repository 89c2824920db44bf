"""Roster generation with OR-Tools CP-SAT (ADR 0024): one boolean per (eligible person,
shift); the hard rules of duty.rules as constraints, the soft goals as one weighted
objective. Pure: it reads no database (services/rosters.py loads the problem and writes the
result), and its result is verified by `rules.check` before anyone sees it.

Per connected component of the eligibility graph (posts sharing no one are solved apart — a
month of 100 posts is ~50 small models, not one large one), built by solver_model.Model
straight into the CP-SAT proto:
- x[p, s] for each team or reserve person p of s's post who is available on s's day (no
  absence, no red or yellow code: `rules.unavailable_days`) and not busy on another roster;
- HARD: Σ x ≥ min_people and Σ qualified x ≥ min_qualified per shift; no two shifts of one
  person overlapping or closer than the minimum rest (one AddAtMostOne per maximal clique of
  conflicting shifts); at most `max_consecutive_days` worked days in any window of that
  many + 1; at most `max_week_hours` per ISO week;
- SOFT (minimized): reserve people (a large cost: only when the team cannot cover), people
  beyond the minimum, each person's hours and nights away from their fair share, the spread
  max − min of hours among the people available every day, wishes broken (a day off, no
  night) or kept (a day to work), shifts of a post with leaders left without one.
Each model starts from a greedy roster (solver_hint) as its hint, and the components share
one time limit: every model is built first, then each is solved with the time left times
its share of the size (a component proved optimal early leaves its time to the others). The
leader of each watch is then rotated: the assigned leader who has led least leads.
"""

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass, field

from headwater.duty import rules
from headwater.duty.rules import Facts, Limits, Slot
from headwater.duty.solver_hint import greedy
from headwater.duty.solver_model import STATUS, Model

__all__ = ["STATUS", "Model", "Problem", "Solution", "solve"]

DEFAULT_TIME_LIMIT = 5.0
WORKERS = 2
MIN_SHARE = 0.05
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
    time_limit: float = 0.0
    bound: float = 0.0  # the best bound proved: the objective is optimal when equal

    @property
    def solved(self) -> bool:
        return self.status in ("optimal", "feasible")


def candidates(problem: Problem) -> dict:
    """slot key -> the people who may be put on it (team, then reserve) on their own."""
    rest = dt.timedelta(hours=problem.limits.min_rest_hours)
    days = sorted({s.day for s in problem.slots})
    people: dict[int, list[int]] = {}
    blocked: dict[int, set] = {}
    for post_id in {s.post_id for s in problem.slots}:
        team = problem.team.get(post_id, set())
        people[post_id] = sorted(team) + sorted(problem.reserve.get(post_id, set()) - team)
        for p in people[post_id]:
            if p not in blocked:
                blocked[p] = rules.unavailable_days(problem.facts, p, days)
    found = {}
    for slot in problem.slots:
        day = slot.day
        found[slot.key] = [
            p
            for p in people[slot.post_id]
            if day not in blocked[p]
            and not any(
                slot.starts_at < end + rest and start < slot.ends_at + rest
                for start, end in problem.busy.get(p, ())
            )
        ]
    return found


def components(problem: Problem, cands: dict) -> list[list[Slot]]:
    """The slots grouped by connected component of posts sharing candidate people."""
    parent: dict = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    people: dict[int, set] = defaultdict(set)
    for slot in problem.slots:
        people[slot.post_id].update(cands[slot.key])
    for post_id, ps in people.items():
        root = find(("post", post_id))
        for p in ps:
            parent[find(("person", p))] = root
    groups: dict = defaultdict(list)
    for slot in problem.slots:
        groups[find(("post", slot.post_id))].append(slot)
    return sorted(groups.values(), key=lambda g: (g[0].post_id, g[0].starts_at))


def solve(problem: Problem, time_limit: float = DEFAULT_TIME_LIMIT) -> Solution:
    """Solve every component within `time_limit` seconds in all (building the models
    included), verify the result with rules.check, and explain what could not be solved."""
    from headwater.duty.solver_explain import explain

    started = time.perf_counter()
    deadline = started + time_limit
    cands = candidates(problem)
    groups = components(problem, cands)
    models = []
    for slots in groups:
        model = Model(problem, slots, cands)
        model.hint(greedy(model))
        models.append(model)
    left = sum(m.size for m in models) or 1
    result = Solution("optimal", 0.0, 0.0, components=len(groups), time_limit=time_limit)
    for model in models:
        # the time left shared by size; never less than MIN_SHARE, so that a slow start (a
        # loaded machine) still lets each component report its hinted roster
        budget = max(MIN_SHARE, (deadline - time.perf_counter()) * model.size / left)
        left -= model.size
        solver, status = model.solve(budget, WORKERS)
        values, objective, bound = None, None, 0.0
        if status in ("optimal", "feasible"):
            values = solver.response_proto.solution
            objective, bound = solver.objective_value, solver.best_objective_bound
        elif status == "unknown" and model.hint_feasible():
            # out of time before the search reported anything (a loaded machine): the
            # greedy roster it was given, which the model's constraints accept, is kept
            status, values = "feasible", model.hinted
            objective = model.hint_objective()
        if RANK.index(status) > RANK.index(result.status):
            result.status = status
        if values is not None:
            result.objective += objective
            result.bound += bound
            for key, people in model.assigned(values).items():
                result.assigned.setdefault(key, []).extend(people)
        else:
            result.explanation += explain(problem, model.slots, cands, status, budget)
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
