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
import multiprocessing
import time
from collections import defaultdict
from dataclasses import dataclass, field

from headwater.duty import rules
from headwater.duty.rules import Facts, Limits, Slot
from headwater.duty.solver_hint import greedy
from headwater.duty.solver_model import STATUS, Model

__all__ = ["STATUS", "Model", "Problem", "Solution", "solve"]

DEFAULT_TIME_LIMIT = 5.0
WORKERS = 1  # CP-SAT workers per model: the two lanes use the two cores
POOL_FROM = 20_000  # candidate (person, shift) pairs from which a second lane is forked
MIN_SHARE = 0.05
MIN_SEARCH = 0.15  # less than this for a component: its greedy roster is kept
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
    included), verify the result with rules.check, and explain what could not be solved.

    A large problem is split into two lanes of components balanced by size: this process
    builds and solves one, a forked process the other (Python builds the models, so two
    cores halve the time); each lane shares its time by size."""
    from headwater.duty.solver_explain import explain

    started = time.perf_counter()
    deadline = time.monotonic() + time_limit
    cands = candidates(problem)
    groups = components(problem, cands)
    size = [sum(len(cands[s.key]) for s in slots) for slots in groups]
    lanes: list[list[int]] = [[], []]
    load = [0, 0]
    for i in sorted(range(len(groups)), key=lambda i: -size[i]):
        lane = 0 if load[0] <= load[1] else 1
        lanes[lane].append(i)
        load[lane] += size[i]
    if sum(size) < POOL_FROM or not lanes[1]:
        outcomes = _lane(problem, cands, [groups[i] for i in sorted(range(len(groups)))], deadline)
        order = list(range(len(groups)))
    else:
        outcomes, order = _two_lanes(problem, cands, groups, lanes, deadline)
    result = Solution("optimal", 0.0, 0.0, components=len(groups), time_limit=time_limit)
    for i, (status, objective, bound, assigned, budget) in zip(order, outcomes, strict=True):
        if RANK.index(status) > RANK.index(result.status):
            result.status = status
        if assigned is not None:
            result.objective += objective
            result.bound += bound
            for key, people in assigned.items():
                result.assigned.setdefault(key, []).extend(people)
        else:
            result.explanation += explain(problem, groups[i], cands, status, budget)
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


_FORKED: tuple = ()


def _forked_lane(_arg):
    return _lane(*_FORKED)


def _two_lanes(problem, cands, groups, lanes, deadline):
    global _FORKED
    _FORKED = (problem, cands, [groups[i] for i in lanes[1]], deadline)
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            other = pool.map_async(_forked_lane, [None])
            mine = _lane(problem, cands, [groups[i] for i in lanes[0]], deadline)
            theirs = other.get()[0]
    finally:
        _FORKED = ()
    return mine + theirs, lanes[0] + lanes[1]


def _lane(problem, cands, groups, deadline) -> list[tuple]:
    """(status, objective, bound, assigned or None, seconds given) per component."""
    models = []
    for slots in groups:
        model = Model(problem, slots, cands)
        model.hint(greedy(model))
        models.append(model)
    left = sum(m.size for m in models) or 1
    out = []
    for model in models:
        # the time left shared by size; never less than MIN_SHARE, so that a slow start (a
        # loaded machine) still lets each component report its hinted roster
        budget = max(MIN_SHARE, (deadline - time.monotonic()) * model.size / left)
        left -= model.size
        values, objective, bound = None, None, 0.0
        if budget < MIN_SEARCH and model.hint_feasible():
            # too little time left for CP-SAT to even load the model (~0.1 s): the hint
            status = "unknown"
        else:
            solver, status = model.solve(budget, WORKERS)
        if status in ("optimal", "feasible"):
            values = solver.response_proto.solution
            objective, bound = solver.objective_value, solver.best_objective_bound
        elif status == "unknown" and model.hint_feasible():
            # out of time before the search reported anything (a loaded machine): the
            # greedy roster it was given, which the model's constraints accept, is kept
            status, values = "feasible", model.hinted
            objective = model.hint_objective()
        assigned = model.assigned(values) if values is not None else None
        out.append((status, objective, bound, assigned, budget))
    return out


def _rotate_leaders(problem: Problem, result: Solution) -> None:
    led: dict[int, int] = defaultdict(int)
    for slot in sorted(problem.slots, key=lambda s: s.starts_at):
        leaders = problem.leaders.get(slot.post_id, set())
        here = [p for p in result.assigned.get(slot.key, ()) if p in leaders]
        if here:
            chosen = min(here, key=lambda p: (led[p], p))
            led[chosen] += 1
            result.leads[slot.key] = chosen
