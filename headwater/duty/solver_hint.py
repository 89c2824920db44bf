"""A greedy first roster for one component, given to CP-SAT as its starting hint so that it
holds a feasible solution from its first moment and spends its time improving it.

The shifts are taken in start order; each gets its qualified people first, then anyone, from
the candidates the rules still allow (rested since their last shift, not past the days in a
row nor the week's hours), the team before the reserve, people without a wish against the
shift before others, and the fewest hours (the previous period's included) first. It may
leave a shift short: the solver then finds the rest itself."""

from collections import defaultdict

from headwater.duty.choices import PreferenceKind


def greedy(model) -> set[tuple[int, int]]:
    """{(person, slot index)} chosen."""
    pr = model.problem
    n, cap = pr.limits.max_consecutive_days, pr.limits.max_week_hours * 10
    holds = pr.facts.holds
    against: dict = defaultdict(set)  # (person, day ordinal) -> kinds of wish
    for p, day, kind in pr.wishes:
        against[p, day.toordinal()].add(kind)
    hours = {p: round(pr.previous.get(p, (0, 0))[0] * 10) for p, _b, _pos in model.people}
    free_from: dict[int, float] = {}
    last_day: dict[int, int] = {}
    run: dict[int, int] = {}
    week: dict = defaultdict(int)
    chosen: set[tuple[int, int]] = set()
    for j, slot in enumerate(model.slots):
        start, ends, day, wk, t = model.info[j]
        night = slot.key in pr.nights
        team = pr.team.get(slot.post_id, ())

        ranked = []
        for p in model.slot_people[j]:
            if (
                free_from.get(p, start) > start
                or week[p, wk] + t > cap
                or (last_day.get(p) == day - 1 and run[p] >= n)
            ):
                continue
            wishes = against.get((p, day), ())
            unwanted = PreferenceKind.DAY_OFF in wishes or (
                night and PreferenceKind.NO_NIGHT in wishes
            )
            ranked.append(
                (p not in team, unwanted, PreferenceKind.PREFER not in wishes, hours[p], p)
            )
        ranked = [r[-1] for r in sorted(ranked)]
        picks = [p for p in ranked if holds(p, slot.qualification, slot.day)][: slot.min_qualified]
        for p in ranked:
            if len(picks) >= slot.min_people:
                break
            if p not in picks:
                picks.append(p)
        for p in picks:
            chosen.add((p, j))
            hours[p] += t
            free_from[p] = max(free_from.get(p, ends), ends)
            week[p, wk] += t
            if last_day.get(p) != day:
                run[p] = run[p] + 1 if last_day.get(p) == day - 1 else 1
                last_day[p] = day
    return chosen
