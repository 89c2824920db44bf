"""Contact tracing two levels deep on 10 million passages (PostgreSQL, partitioned by month),
in the database named by DATABASE_URL (a fresh one; migrated here).

    createdb -h 127.0.0.1 -U postgres hw_bench_tracing
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_tracing \\
        .venv/bin/python bench/access_tracing.py

The world (built once, kept for later runs): 45,500 staff at 16 sites; 80 posts — per site
two gates and a production-area door (48), 8 canteens (one per two sites, three lunch slots
rotating daily), 24 commute bus routes (8 trips a day each); 35 days. People keep habits (see
`passages_sql`): each day in and out at their own gate around their own times, four passes
of the production-area door; 15 % eat in the canteen (in their unit's slot of the day); 10 %
ride a bus both ways. About 10.1 million passages, written in the database by INSERT …
SELECT generate_series. Then ANALYZE, and `tracing.trace(depth=2)` of --people random
people over the last 14 days: median and max time, level sizes. Target: < 300 ms. As a web
worker does: the loaded application frozen out of the garbage collector's sight
(`gcpause.settle()`, as headwater/wsgi.py), each answer dropped before the next trace; the
collector's runs during the traces and between them are printed last.
"""

import argparse
import datetime as dt
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
TARGET_MS = 300
PEOPLE, SITES, CANTEENS, BUSES, DAYS = 45_500, 16, 8, 24, 35
SLOTS = ((11, 10), (11, 25), (11, 40))
TRIPS = ((6, 30), (6, 50), (7, 10), (7, 30), (17, 30), (17, 50), (18, 10), (18, 30))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--people", type=int, default=8, help="people traced")
    p.add_argument("--seed", type=int, default=15)
    return p.parse_args()


def build_world(first_day: dt.date):
    from django.db import connection, transaction

    from headwater.access import partitions
    from headwater.access.models import BusRoute, BusTrip, Gate, MealSlot
    from headwater.core.models import Organization, Person, Site
    from headwater.core.tests.factories import make_unit

    with transaction.atomic():
        org = Organization.objects.create(
            name="追踪基准水务", short_name="基准", slug="bench-trace"
        )
        root = make_unit(org, "基准水务", "B")
        units = [make_unit(org, f"单位{i}", f"B{i:02d}", root) for i in range(SITES)]
        sites = Site.objects.bulk_create(
            Site(
                organization=org,
                unit=units[i],
                name=f"第{i}厂",
                code=f"S{i:02d}",
                kind="water_plant",
            )
            for i in range(SITES)
        )
        Person.objects.bulk_create(
            (
                Person(
                    organization=org,
                    unit=units[i % SITES],
                    name=f"职工{i}",
                    employee_no=f"T{i:06d}",
                )
                for i in range(PEOPLE)
            ),
            batch_size=5000,
        )
        posts = Gate.objects.bulk_create(
            Gate(organization=org, site=sites[s], name=f"{s}厂{n}", kind=kind)
            for s in range(SITES)
            for n, kind in (("东门", "gate"), ("西门", "gate"), ("生产区", "production"))
        )
        canteens = Gate.objects.bulk_create(
            Gate(organization=org, site=sites[2 * c], name=f"食堂{c}", kind="canteen")
            for c in range(CANTEENS)
        )
        buses = Gate.objects.bulk_create(
            Gate(organization=org, site=sites[b % SITES], name=f"班车{b}", kind="bus")
            for b in range(BUSES)
        )
        slots = MealSlot.objects.bulk_create(
            MealSlot(
                organization=org,
                canteen=g.site,
                name=f"第{k + 1}批",
                starts=dt.time(h, m),
                minutes=15,
                capacity=300,
                position=k,
            )
            for g in canteens
            for k, (h, m) in enumerate(SLOTS)
        )
        routes = BusRoute.objects.bulk_create(
            BusRoute(organization=org, name=f"{b + 1}路", gate=g) for b, g in enumerate(buses)
        )
        trips = BusTrip.objects.bulk_create(
            BusTrip(
                organization=org,
                route=r,
                day=first_day + dt.timedelta(days=d),
                departs=dt.time(h, m),
            )
            for r in routes
            for d in range(DAYS)
            for h, m in TRIPS
        )
    ids = list(Person.objects.filter(organization=org).order_by("pk").values_list("pk", flat=True))
    assert ids == list(range(ids[0], ids[0] + PEOPLE)), "people ids must be contiguous"
    first = {
        "org": org.pk,
        "person": ids[0],
        "post": posts[0].pk,
        "canteen": canteens[0].pk,
        "bus": buses[0].pk,
        "slot": slots[0].pk,
        "trip": trips[0].pk,
    }
    assert [g.pk for g in posts] == list(range(first["post"], first["post"] + 3 * SITES))
    assert [s.pk for s in slots] == list(range(first["slot"], first["slot"] + 3 * CANTEENS))
    assert [t.pk for t in trips] == list(range(first["trip"], first["trip"] + len(trips)))
    partitions.ensure_months(first_day, since=first_day)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.15)")
        # The ids are the rows just made: no foreign-key check per row (30 million deferred
        # trigger events took longer than writing the rows). Needs a superuser.
        cursor.execute("SET session_replication_role = replica")
        for sql in passages_sql(first, first_day):
            cursor.execute(sql)
        cursor.execute("SET session_replication_role = DEFAULT")
        # A live table is written in time order; the statements above wrote person by
        # person. Put the months in time order, and set the visibility map (autovacuum does
        # on a live table) so that tracing's index-only scans need not visit the heap.
        for month in ("y2026m10", "y2026m11"):
            table = f"access_passage_{month}"
            cursor.execute(f"CLUSTER {table} USING {table}_organization_id_at_idx")
        cursor.execute("VACUUM ANALYZE access_passage")
        cursor.execute("SELECT count(*) FROM access_passage")
        count = cursor.fetchone()[0]
    print(f"generated {count:,} passages in {time.perf_counter() - started:.0f} s")
    return org


COLUMNS = (
    "organization_id, gate_id, at, recorded_at, person_id, credential, direction, decision, "
    "reason, override_reason, slot_id, trip_id, device_decision, token_id, key"
)


def passages_sql(f: dict, first_day: dt.date) -> list[str]:
    """Three INSERT … SELECT statements (site posts, canteen, buses), times in UTC (local −8 h).

    People keep habits, as staff of a plant do: 30 % work three shifts (arriving 07:40,
    15:40 or 23:40 plus their own minute of 0–19, for 8 hours), the rest days (arriving at
    07:30 plus their own minute of 0–59, for 9 hours); each day's times vary ±5 minutes.
    Each day: in and out at their own gate of the site (the other one day in ten), and four
    passes of the production-area door (15 minutes after arriving, after 3½ and 5 hours, 15
    minutes before leaving)."""
    day0 = f"TIMESTAMPTZ '{first_day:%Y-%m-%d} 00:00:00+08'"
    values = (
        "{org}, {gate}, {at}, {at}, {person}, 'pass', 'in', 'allow', '', '', {slot}, {trip}, "
        "'', '', md5(random()::text)"
    )
    site = f"i % {SITES}"
    shift = "(i % 10 < 3)"
    arrive = (
        f"CASE WHEN {shift} THEN INTERVAL '7 hours 40 minutes' + ((i / 10) % 3) "
        "* INTERVAL '8 hours' + ((i * 7919) % 20) * INTERVAL '1 minute' "
        "ELSE INTERVAL '7 hours 30 minutes' + ((i * 7919) % 60) * INTERVAL '1 minute' END"
    )
    length = f"CASE WHEN {shift} THEN INTERVAL '8 hours' ELSE INTERVAL '9 hours' END"
    offset = (
        f"CASE j WHEN 1 THEN INTERVAL '0' WHEN 2 THEN {length} "
        "WHEN 3 THEN INTERVAL '15 minutes' WHEN 4 THEN INTERVAL '3 hours 30 minutes' "
        f"WHEN 5 THEN INTERVAL '5 hours' ELSE {length} - INTERVAL '15 minutes' END"
    )
    own_gate = "(i / 7) % 2"
    posts = values.format(
        org=f["org"],
        gate=(
            f"{f['post']} + ({site}) * 3 + CASE WHEN j <= 2 THEN "
            f"CASE WHEN random() < 0.9 THEN {own_gate} ELSE 1 - {own_gate} END ELSE 2 END"
        ),
        at=(
            f"{day0} + d * INTERVAL '1 day' + {arrive} + {offset} "
            "+ (random() - 0.5) * INTERVAL '10 minutes'"
        ),
        person=f"{f['person']} + i",
        slot="NULL",
        trip="NULL",
    )
    canteen_slot = f"(((i / {SITES}) + d) % 3)"
    canteen = values.format(
        org=f["org"],
        gate=f"{f['canteen']} + ({site}) / 2",
        at=(
            f"{day0} + d * INTERVAL '1 day' + INTERVAL '11 hours 10 minutes' "
            f"+ {canteen_slot} * INTERVAL '15 minutes' + random() * INTERVAL '15 minutes'"
        ),
        person=f"{f['person']} + i",
        slot=f"{f['slot']} + (({site}) / 2) * 3 + {canteen_slot}",
        trip="NULL",
    )
    # Riders: every tenth person; route (i / 10) % 24; morning trip (i / 40) % 4, evening the
    # same + 4: about 47 riders a trip (a bus's seats).
    trip_index = f"(((i / 10) % {BUSES}) * {DAYS} + d) * {len(TRIPS)} + ((i / 40) % 4) + 4 * k"
    buses = values.format(
        org=f["org"],
        gate=f"{f['bus']} + (i / 10) % {BUSES}",
        at=(
            f"{day0} + d * INTERVAL '1 day' + INTERVAL '6 hours 20 minutes' "
            "+ ((i / 40) % 4) * INTERVAL '20 minutes' + k * INTERVAL '11 hours' "
            "+ random() * INTERVAL '10 minutes'"
        ),
        person=f"{f['person']} + i",
        slot="NULL",
        trip=f"{f['trip']} + {trip_index}",
    )
    t = f"access_passage ({COLUMNS})"
    people = f"generate_series(0, {PEOPLE - 1}) i"
    days = f"generate_series(0, {DAYS - 1}) d"
    return [
        f"INSERT INTO {t} SELECT {posts} FROM {days}, {people}, generate_series(1, 6) j",
        f"INSERT INTO {t} SELECT {canteen} FROM {days}, {people} WHERE random() < 0.15",
        f"INSERT INTO {t} SELECT {buses} FROM {days}, {people}, generate_series(0, 1) k "
        "WHERE i % 10 = 0",
    ]


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from headwater.access.services import tracing
    from headwater.core import gcpause
    from headwater.core.models import Organization, Person, RoleGrant, User

    assert connection.vendor == "postgresql", "run on PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    first_day = dt.date(2026, 10, 27)
    org = Organization.objects.filter(slug="bench-trace").first() or build_world(first_day)
    office = User.objects.filter(username="bench-trace-office").first()
    if office is None:
        office = User.objects.create_user("bench-trace-office", password="x", organization=org)
        RoleGrant.objects.create(user=office, role="office", unit=None)
    end = timezone.make_aware(dt.datetime.combine(first_day + dt.timedelta(days=DAYS), dt.time()))
    start = end - dt.timedelta(days=14)
    ids = list(Person.objects.filter(organization=org).values_list("pk", flat=True))
    rng = random.Random(args.seed)
    chosen = rng.sample(ids, args.people)
    tracing.trace(Person.objects.get(pk=chosen[0]), start, end, by=office)  # warm the caches
    gcpause.settle()  # as the web worker does once loaded (headwater/wsgi.py)
    collections = Collections()
    times = []
    for pk in chosen:
        person = Person.objects.get(pk=pk)
        collections.inside = True
        began = time.perf_counter()
        result = tracing.trace(person, start, end, depth=2, by=office)
        took = (time.perf_counter() - began) * 1000
        collections.inside = False
        times.append(took)
        print(
            f"person {pk:>6}: {took:6.0f} ms  level 1 {len(result.level1):5}  "
            f"level 2 {len(result.level2):5}  expanded {result.expanded}"
            f"{' (capped)' if result.capped else ''}  edges {len(result.edges):6}"
        )
        del result  # a web worker drops each answer once sent
    median, worst = statistics.median(times), max(times)
    verdict = "OK" if worst < TARGET_MS else "MISSED"
    print(
        f"trace depth 2, 14 days: median {median:.0f} ms, max {worst:.0f} ms "
        f"(target < {TARGET_MS} ms) {verdict}"
    )
    print(collections.report())


class Collections:
    """The garbage collector's runs during the traces and between them (the collector is
    held through a trace: what it leaves is walked by the next run, outside the timing)."""

    def __init__(self):
        self.inside, self.runs, self.started = False, {True: [], False: []}, 0.0
        gc.callbacks.append(self.callback)

    def callback(self, phase, info):
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.runs[self.inside].append((time.perf_counter() - self.started) * 1000)

    def report(self) -> str:
        def part(runs):
            longest = max(runs, default=0)
            return f"{len(runs)} runs, {sum(runs):.0f} ms in all, longest {longest:.1f} ms"

        return (
            f"collector: during the traces {part(self.runs[True])}; "
            f"between them {part(self.runs[False])}"
        )


if __name__ == "__main__":
    main()
