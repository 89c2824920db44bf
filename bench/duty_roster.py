"""A month's duty roster for 100 posts and 3,000 people, generated with CP-SAT
(headwater.duty.services.rosters.generate) in the database named by DATABASE_URL.

    createdb -h 127.0.0.1 -U postgres hw_bench_16
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_16 .venv/bin/headwater migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_16 \\
        .venv/bin/python bench/duty_roster.py

Builds (once, with bulk_create) an organization "bench-duty": 100 units under one company,
one post each (day and night shifts of 2 people, at least 1 licensed operator; every tenth
post three 8-hour shifts), a team of 30 people per post (20 licensed, 2 leaders), a reserve
pool of 3 people from the paired unit (posts 2k and 2k+1 share reserves: components of two
posts), some sick leave and wishes. Then generates the roster of the whole company for 30
days --runs times (a regeneration replaces the draft) and prints, per run, the wall time of
generate() (reading the problem, solving, writing ~6,600 shifts and their assignments), the
solver's time limit, status, objective and solve time, and then the breaks rules.check finds
(0 expected) and the spread of hours within each team (people available every day).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
TARGET_SECONDS = 10.0
POSTS, TEAM = 100, 30
START = dt.date(2026, 3, 1)


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--days", type=int, default=30)
    p.add_argument("--seconds", type=float, default=None, help="solver time limit")
    return p.parse_args()


def build():
    from django.db import transaction

    from headwater.core.models import Organization, Person, Qualification, RoleGrant, Unit, User
    from headwater.duty.choices import PostKind, ShiftPattern
    from headwater.duty.models import Eligibility, Leave, Post, Preference, ShiftDef
    from headwater.duty.patterns import specs

    org = Organization.objects.filter(slug="bench-duty").first()
    if org is not None:
        return (
            org,
            Unit.objects.get(organization=org, depth=1),
            User.objects.get(username="bench-duty-office"),
        )
    with transaction.atomic():
        org = Organization.objects.create(name="值班基准水务", slug="bench-duty")
        company = Unit.objects.add_root({"organization": org, "name": "值班基准水务", "code": "BD"})
        units = [
            Unit.objects.add_child(
                company, {"organization": org, "name": f"站点{i:03d}", "code": f"BD{i:03d}"}
            )
            for i in range(POSTS)
        ]
        people = Person.objects.bulk_create(
            [
                Person(
                    organization=org,
                    unit=units[i // TEAM],
                    employee_no=f"BD{i:05d}",
                    name=f"值守{i:05d}",
                )
                for i in range(POSTS * TEAM)
            ],
            batch_size=2000,
        )
        Qualification.objects.bulk_create(
            [
                Qualification(organization=org, person=p, kind="plant_operator")
                for i, p in enumerate(people)
                if i % TEAM < 20
            ],
            batch_size=2000,
        )
        posts = Post.objects.bulk_create(
            [
                Post(
                    organization=org,
                    name=f"站点{i:03d}值班室",
                    kind=PostKind.CONTROL_ROOM,
                    unit=u,
                    min_people=2,
                    qualification="plant_operator",
                    min_qualified=1,
                    duty_phone=f"0571-8{i:07d}",
                )
                for i, u in enumerate(units)
            ]
        )
        ShiftDef.objects.bulk_create(
            [
                ShiftDef(
                    organization=org,
                    post=post,
                    label=s.label,
                    starts=s.starts,
                    hours=s.hours,
                    night=s.night,
                )
                for i, post in enumerate(posts)
                for s in specs(ShiftPattern.THREE if i % 10 == 9 else ShiftPattern.DAY_NIGHT)
            ]
        )
        rows = []
        for i, post in enumerate(posts):
            team = people[i * TEAM : (i + 1) * TEAM]
            rows += [
                Eligibility(organization=org, post=post, person=p, is_leader=k < 2)
                for k, p in enumerate(team)
            ]
            pair = i + 1 if i % 2 == 0 else i - 1
            rows += [
                Eligibility(organization=org, post=post, person=p, reserve=True)
                for p in people[pair * TEAM + 27 : pair * TEAM + 30]
            ]
        Eligibility.objects.bulk_create(rows, batch_size=5000)
        Leave.objects.bulk_create(
            [
                Leave(
                    organization=org,
                    person=people[i * TEAM + 25],
                    kind="sick",
                    starts_on=START + dt.timedelta(days=i % 20),
                    ends_on=START + dt.timedelta(days=i % 20 + 4),
                )
                for i in range(POSTS)
            ]
        )
        Preference.objects.bulk_create(
            [
                Preference(
                    organization=org,
                    person=people[i * TEAM + k],
                    day=START + dt.timedelta(days=(i + k) % 28),
                    kind="day_off" if k % 2 else "no_night",
                )
                for i in range(POSTS)
                for k in range(5)
            ]
        )
        office = User.objects.create(username="bench-duty-office", organization=org)
        RoleGrant.objects.create(user=office, role="office")
    return org, company, office


def spread(roster) -> tuple[float, float]:
    """(largest, median) max − min of hours within a team, people away no day."""
    from headwater.duty.models import Assignment, Eligibility, Leave

    away = set(
        Leave.objects.filter(organization=roster.organization).values_list("person_id", flat=True)
    )
    hours: dict[int, float] = defaultdict(float)
    for pid, s, e in Assignment.objects.filter(shift__roster=roster).values_list(
        "person_id", "shift__starts_at", "shift__ends_at"
    ):
        hours[pid] += (e - s).total_seconds() / 3600
    teams = defaultdict(list)
    for post_id, pid in Eligibility.objects.filter(
        post__unit__path__startswith=roster.unit.path, reserve=False
    ).values_list("post_id", "person_id"):
        if pid not in away:
            teams[post_id].append(hours.get(pid, 0.0))
    spreads = [max(h) - min(h) for h in teams.values() if h]
    return max(spreads), statistics.median(spreads)


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    from headwater.duty import rules
    from headwater.duty.models import Assignment
    from headwater.duty.services import rosters

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    org, company, office = build()
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    end = START + dt.timedelta(days=args.days - 1)
    limit = args.seconds if args.seconds is not None else rosters.time_limit()
    times = []
    for run in range(args.runs):
        t = time.perf_counter()
        roster, _ = rosters.generate(company, START, end, by=office, seconds=limit)
        times.append(time.perf_counter() - t)
        print(
            f"run {run + 1}: generate {times[-1]:.2f} s · time limit {limit:g} s · "
            f"status {roster.solver_status} · objective {roster.objective or 0:,.0f} · "
            f"solve {roster.solve_seconds:.2f} s"
        )
    for item in roster.explanation[:5]:
        print("  ", item["message"])
    shifts = roster.shifts.count()
    assignments = Assignment.objects.filter(shift__roster=roster).count()
    breaks = rules.roster_breaks(roster)
    worst, median = spread(roster)
    print(f"{shifts:,} shifts, {assignments:,} assignments, {len(breaks)} breaks (rules.check)")
    print(f"hours spread within a team (max − min): worst {worst:g} h, median {median:g} h")
    best = min(times)
    verdict = "OK" if best < TARGET_SECONDS else "OVER"
    print(
        f"generate: median {statistics.median(times):.2f} s, best {best:.2f} s "
        f"(target < {TARGET_SECONDS:g} s: {verdict})"
    )


if __name__ == "__main__":
    main()
