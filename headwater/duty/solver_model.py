"""The CP-SAT model of one component, written straight into the model's proto with integer
variable indices: no Python object per variable or per term, so a month of a pair of posts
(~6,000 booleans) is built in a few hundredths of a second instead of a second or two.

Layout: each person's booleans x[p, s] are one contiguous block, in the order of their shifts'
starts. People with the same shifts (a team most of whom are available every day) share one
template of their own limits — computed once, instantiated by adding the block's base:
- rest and overlap: shifts are fixed in time, so two shifts of one person conflict when the
  later starts before the earlier ends + the minimum rest; the conflicts form an interval
  graph whose maximal cliques are swept in start order: one AddAtMostOne per clique;
- the days in a row and the hours per week: linear sums over precomputed index lists. A day
  whose shifts all conflict (a day and a night shift, three shifts of 8 h with 12 h of rest)
  is worked exactly when their sum is 1, so it needs no extra boolean; any other day gets
  one (worked ≥ each of the day's shifts).
"""

import functools
import math
from collections import defaultdict

from ortools.sat.python import cp_model, cp_model_helper

from headwater.duty.choices import PreferenceKind

INT_MIN, INT_MAX = cp_model.INT_MIN, cp_model.INT_MAX
RESERVE_COST = 10_000
WISH_COST = 400
PREFER_REWARD = 150
LEADER_REWARD = 200
NIGHT_WEIGHT = 60
SPREAD_WEIGHT = 2
PRESOLVE_BELOW = 1_500  # booleans
EXTRA_COST = 250  # a person beyond the minimum (plus 2 per tenth of an hour)

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}


def tenths(slot) -> int:
    return round(slot.hours * 10)


@functools.cache
def _bools(k: int):
    proto = cp_model_helper.CpModelProto()
    variables = proto.variables
    for _ in range(1 << k):
        variables.add().domain.extend((0, 1))
    return proto


class Template:
    """The limits of one person whose shifts are `positions` (indices into the component's
    slots, in start order), in local indices: 0..n-1 the shifts, n.. the extra worked-day
    booleans."""

    def __init__(self, model, positions: tuple, drop):
        info, limits = model.info, model.problem.limits
        self.size = len(positions)
        self.cliques: list[list[int]] = []
        active: list[int] = []  # the shifts whose rest has not ended at this start
        for k, j in enumerate(positions):
            start = info[j][0]
            kept = [i for i in active if info[positions[i]][1] > start]
            if len(kept) < len(active) and len(active) > 1:
                self.cliques.append(active)  # maximal: one of them ends before this start
            active = kept + [k]
        if len(active) > 1:
            self.cliques.append(active)
        by_day: dict[int, list[int]] = defaultdict(list)
        weeks: dict[tuple, list[int]] = defaultdict(list)
        for k, j in enumerate(positions):
            by_day[info[j][2]].append(k)
            weeks[info[j][3]].append(k)
        # worked days: (local lits, coefs) summing to 1 when the day is worked
        self.worked: dict[int, list[int]] = {}
        self.extra: list[list[int]] = []  # extra boolean n + i >= each of these shifts
        for day, ks in sorted(by_day.items()):
            if len(ks) == 1 or all(
                info[positions[b]][0] < info[positions[a]][1]
                for i, a in enumerate(ks)
                for b in ks[i + 1 :]
            ):
                self.worked[day] = ks
            else:
                self.worked[day] = [self.size + len(self.extra)]
                self.extra.append(ks)
        self.windows: list[list[int]] = []
        n = limits.max_consecutive_days
        if "days" not in drop:
            days = sorted(by_day)
            for i, first in enumerate(days):
                window = [d for d in days[i : i + n + 1] if d <= first + n]
                if len(window) > n:
                    self.windows.append([k for d in window for k in self.worked[d]])
        self.weeks: list[tuple[list[int], list[int]]] = []
        if "hours" not in drop:
            for ks in weeks.values():
                ts = [info[positions[k]][4] for k in ks]
                if sum(ts) > limits.max_week_hours * 10:
                    self.weeks.append((ks, ts))


class Model:
    """One component's model. `relax` adds slack to the minimums (and no soft goals); `drop`
    leaves out limits ("rest", "days", "hours") to find the one that binds."""

    def __init__(self, problem, slots, cands, *, relax=False, drop=frozenset()):
        self.problem, self.cands = problem, cands
        self.slots = sorted(slots, key=lambda s: (s.starts_at, s.key))
        self.m = cp_model.CpModel()
        self.proto = self.m.proto
        self.n = 0
        rest = 0 if "rest" in drop else problem.limits.min_rest_hours * 3600
        # per slot: start, end + rest (epoch seconds), day ordinal, ISO week, tenths
        self.info = [
            (
                s.starts_at.timestamp(),
                s.ends_at.timestamp() + rest,
                s.day.toordinal(),
                tuple(s.day.isocalendar()[:2]),
                tenths(s),
            )
            for s in self.slots
        ]
        mine: dict[int, list[int]] = defaultdict(list)
        for j, s in enumerate(self.slots):
            for p in cands[s.key]:
                mine[p].append(j)
        templates: dict[tuple, Template] = {}
        self.people: list[tuple[int, int, tuple]] = []  # (person, base, positions)
        blocks = []
        base = 0
        for p in sorted(mine):
            positions = tuple(mine[p])
            t = templates.get(positions)
            if t is None:
                t = templates[positions] = Template(self, positions, drop)
            self.people.append((p, base, positions))
            blocks.append((t, base))
            base += t.size + len(t.extra)
        self._new_bools(base)
        self.slot_vars: list[list[int]] = [[] for _ in self.slots]
        self.slot_people: list[list[int]] = [[] for _ in self.slots]
        for p, base, positions in self.people:
            for k, j in enumerate(positions):
                self.slot_vars[j].append(base + k)
                self.slot_people[j].append(p)
        self.worked: list[tuple[int, list[int]]] = []  # (extra boolean, its shifts' vars)
        for t, base in blocks:
            self._instantiate(t, base)
        self.size = self.n  # the people's booleans: the measure of the component
        self.slack: dict = {}
        self.minimums: list[tuple[list[int], int]] = []
        self.objective: tuple[list[int], list[int]] = ([], [])
        self.hinted: list[int] | None = None
        self._minimums(relax)
        if relax:
            self._objective(list(self.slack.values()), [1] * len(self.slack))
        else:
            self._soft_goals()
        self.proto.objective.vars.extend(self.objective[0])
        self.proto.objective.coeffs.extend(self.objective[1])

    # proto helpers ------------------------------------------------------------------------

    def _new_bools(self, count: int) -> int:
        """`count` new booleans, merged from cached protos of 2^k booleans (one C++ call
        each rather than two Python calls per variable)."""
        first = self.n
        for k in range(count.bit_length()):
            if count >> k & 1:
                self.proto.merge_from(_bools(k))
        self.n += count
        return first

    def _new_int(self, lb: int, ub: int) -> int:
        self.proto.variables.add().domain.extend((lb, ub))
        self.n += 1
        return self.n - 1

    def _linear(self, vs, coefs, lb=INT_MIN, ub=INT_MAX) -> None:
        lin = self.proto.constraints.add().linear
        lin.vars.extend(vs)
        lin.coeffs.extend(coefs)
        lin.domain.extend((lb, ub))

    def _objective(self, vs, coefs) -> None:
        self.objective[0].extend(vs)
        self.objective[1].extend(coefs)

    # hard rules ---------------------------------------------------------------------------

    def _instantiate(self, t: Template, base: int) -> None:
        add = self.proto.constraints.add
        for clique in t.cliques:
            add().at_most_one.literals.extend([base + k for k in clique])
        for i, ks in enumerate(t.extra):
            w = base + t.size + i
            xs = [base + k for k in ks]
            self._linear([*xs, w], [1] * len(ks) + [-len(ks)], ub=0)
            self.worked.append((w, xs))
        days = (INT_MIN, self.problem.limits.max_consecutive_days)
        for lits in t.windows:
            lin = add().linear
            lin.vars.extend([base + k for k in lits])
            lin.coeffs.extend([1] * len(lits))
            lin.domain.extend(days)
        hours = (INT_MIN, self.problem.limits.max_week_hours * 10)
        for ks, ts in t.weeks:
            lin = add().linear
            lin.vars.extend([base + k for k in ks])
            lin.coeffs.extend(ts)
            lin.domain.extend(hours)

    def _minimums(self, relax):
        holds = self.problem.facts.holds
        for j, s in enumerate(self.slots):
            vs = self.slot_vars[j]
            qualified = (
                [
                    v
                    for v, p in zip(vs, self.slot_people[j], strict=True)
                    if holds(p, s.qualification, s.day)
                ]
                if s.min_qualified
                else []
            )
            for what, lits, need in (
                ("people", vs, s.min_people),
                ("qualified", qualified, s.min_qualified),
            ):
                if not need:
                    continue
                self.minimums.append((lits, need))
                if relax:
                    slack = self.slack[s.key, what] = self._new_int(0, need)
                    self._linear(lits + [slack], [1] * (len(lits) + 1), lb=need)
                else:
                    self._linear(lits, [1] * len(lits), lb=need)

    # soft goals ---------------------------------------------------------------------------

    def _soft_goals(self):
        pr = self.problem
        cost = [0] * self.n
        team_of = {s.post_id: pr.team.get(s.post_id, set()) for s in self.slots}
        self.night = [s.key in pr.nights for s in self.slots]
        for p, base, positions in self.people:
            for k, j in enumerate(positions):
                s = self.slots[j]
                c = 2 * self.info[j][4] + EXTRA_COST
                if p not in team_of[s.post_id]:
                    c += RESERVE_COST
                cost[base + k] = c
        self._wishes(cost)
        vs = [v for v, c in enumerate(cost) if c]
        self._objective(vs, [cost[v] for v in vs])
        self.led = self._leaders()
        self.bands, self.full = self._fairness()

    def _wishes(self, cost):
        where = {p: (base, positions) for p, base, positions in self.people}
        for p, day, kind in self.problem.wishes:
            if p not in where:
                continue
            base, positions = where[p]
            ordinal = day.toordinal()
            for k, j in enumerate(positions):
                if self.info[j][2] != ordinal:
                    continue
                if kind == PreferenceKind.DAY_OFF:
                    cost[base + k] += WISH_COST
                elif kind == PreferenceKind.NO_NIGHT and self.night[j]:
                    cost[base + k] += WISH_COST
                elif kind == PreferenceKind.PREFER:
                    cost[base + k] -= PREFER_REWARD

    def _leaders(self) -> list[tuple[int, list[int]]]:
        out = []
        for j, s in enumerate(self.slots):
            leaders = self.problem.leaders.get(s.post_id)
            if not leaders:
                continue
            xs = [
                v
                for v, p in zip(self.slot_vars[j], self.slot_people[j], strict=True)
                if p in leaders
            ]
            if xs:
                led = self._new_bools(1)
                self._linear([led] + xs, [1] + [-1] * len(xs), ub=0)
                self._objective([led], [-LEADER_REWARD])
                out.append((led, xs))
        return out

    def _fairness(self):
        """Each team person's hours and nights kept within a band around their fair share
        (the component's demand plus the previous period's totals, shared by days
        available), and the spread of hours among those available every day."""
        pr = self.problem
        team = {p for s in self.slots for p in pr.team.get(s.post_id, ())}
        people = [(p, base, pos) for p, base, pos in self.people if p in team]
        if not people:
            return [], None
        all_days = {i[2] for i in self.info}
        avail = {p: len({self.info[j][2] for j in pos}) for p, _b, pos in people}
        total_avail = sum(avail.values()) or 1
        demand = sum(s.min_people * i[4] for s, i in zip(self.slots, self.info, strict=True))
        night_demand = sum(s.min_people for s, n in zip(self.slots, self.night, strict=True) if n)
        prev_h = {p: round(pr.previous.get(p, (0, 0))[0] * 10) for p, _b, _pos in people}
        prev_n = {p: pr.previous.get(p, (0, 0))[1] for p, _b, _pos in people}
        pool_h, pool_n = demand + sum(prev_h.values()), night_demand + sum(prev_n.values())
        step = max(i[4] for i in self.info)
        ub = demand + step
        bands, full = [], []
        for p, base, positions in people:
            hv = [base + k for k in range(len(positions))]
            ht = [self.info[j][4] for j in positions]
            nv = [base + k for k, j in enumerate(positions) if self.night[j]]
            share = avail[p] / total_avail
            target_h = pool_h * share - prev_h[p]
            target_n = pool_n * share - prev_n[p]
            # A band one shift wide around the fair share rather than the share itself:
            # shifts come whole, so the band can be met exactly and the solver proves its
            # optimum instead of searching symmetric assignments for a fraction of an hour.
            for vs, coefs, low, high, weight in (
                (hv, ht, target_h - step / 2, target_h + step / 2, 1),
                (nv, [1] * len(nv), math.floor(target_n), math.ceil(target_n), NIGHT_WEIGHT),
            ):
                over, under = self._new_int(0, ub), self._new_int(0, ub)
                high, low = math.floor(high), math.ceil(low)
                self._linear(vs + [over], coefs + [-1], ub=high)  # over ≥ value − high
                self._linear(vs + [under], coefs + [1], lb=low)  # under ≥ low − value
                self._objective([over, under], [weight, weight])
                bands.append((over, under, vs, coefs, low, high))
            if avail[p] == len(all_days):
                full.append((hv, ht))
        if len(full) < 2:
            return bands, None
        top, bottom, spread = self._new_int(0, ub), self._new_int(0, ub), self._new_int(0, ub)
        for vs, coefs in full:
            self._linear([top] + vs, [1] + [-c for c in coefs], lb=0)
            self._linear([bottom] + vs, [1] + [-c for c in coefs], ub=0)
        self._linear([spread, top, bottom], [1, -1, 1], lb=-step)
        self._objective([spread], [SPREAD_WEIGHT])
        return bands, (top, bottom, spread, step, full)

    # hint and solve -----------------------------------------------------------------------

    def hint(self, chosen: set[tuple[int, int]]) -> None:
        """A complete starting solution from the people chosen per slot index (greedy)."""
        value = [0] * self.n
        for p, base, positions in self.people:
            for k, j in enumerate(positions):
                if (p, j) in chosen:
                    value[base + k] = 1
        for w, xs in self.worked:
            value[w] = int(any(value[v] for v in xs))
        for led, xs in getattr(self, "led", ()):
            value[led] = int(any(value[v] for v in xs))
        for over, under, vs, coefs, low, high in getattr(self, "bands", ()):
            total = sum(value[v] * c for v, c in zip(vs, coefs, strict=True))
            value[over], value[under] = max(0, total - high), max(0, low - total)
        if getattr(self, "full", None):
            top, bottom, spread, step, full = self.full
            totals = [sum(value[v] * c for v, c in zip(vs, cs, strict=True)) for vs, cs in full]
            value[top], value[bottom] = max(totals), min(totals)
            value[spread] = max(0, value[top] - value[bottom] - step)
        h = self.proto.solution_hint
        h.vars.extend(range(self.n))
        h.values.extend(value)
        self.hinted = value

    def hint_feasible(self) -> bool:
        """Whether the hint fills every shift's minimums (the greedy keeps the limits as it
        goes; rules.check verifies the whole roster in the end anyway)."""
        if self.hinted is None:
            return False
        v = self.hinted
        return all(sum(v[x] for x in lits) >= need for lits, need in self.minimums)

    def hint_objective(self) -> int:
        return sum(self.hinted[v] * c for v, c in zip(*self.objective, strict=True))

    def solve(self, seconds: float, workers: int = 1):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = workers
        # The models are small and start from a complete feasible hint: presolving them
        # takes longer than the whole share of time (1–2 s for 4,000 booleans), while the
        # search without it reports the hint at once and then closes the gap.
        # A small model (a unit's own posts) is presolved: it is quick there and lets the
        # search prove the optimum instead of running to the time limit.
        solver.parameters.cp_model_presolve = self.size < PRESOLVE_BELOW
        status = solver.solve(self.m)
        return solver, STATUS.get(status, "unknown")

    @staticmethod
    def value(solver, var: int) -> int:
        return solver.response_proto.solution[var]

    def assigned(self, values) -> dict:
        """slot key -> the people on it in a solution (the solver's, or the hint)."""
        out: dict = {}
        for p, base, positions in self.people:
            for k, j in enumerate(positions):
                if values[base + k]:
                    out.setdefault(self.slots[j].key, []).append(p)
        return out
