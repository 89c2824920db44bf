"""Water-quality results at scale: importing results from one CSV file (parse, validate,
evaluate, store) and the compliance report over them. Two scenarios (--scenario):

year (the issue's target: "the compliance report over a year of 3 plants' data in under
1 s") — an organization sampled as the demo's plans sample (quality/demo.py): per plant raw
water 17 indicators daily, finished water 20 daily plus turbidity / pH / free chlorine a
second time each afternoon and the 43 routine indicators monthly; 6 network points every
Monday and Tuesday, 2 secondary-supply tanks monthly and 2 critical customers' taps every
Monday (7 indicators each) by the central lab. Last calendar year, ~51,000 results in
~4,200 samples, imported through the same bulk path, approved, VACUUM ANALYZE, then
`compliance_report` over that calendar year timed (median and max of --runs).

million (the default; the issue's "evaluate and store 1,000,000 results in under 60 s") —
builds its own organization (slug "bench-quality": 3 plants with a raw and a finished water
point each, a dozen network points, the central lab, one quality-department login) in the
database named by DATABASE_URL, writes a CSV of --results rows (the catalog's indicators per
kind of point, a few % exceedances, some "<0.01" values, spread over the last year) and times
`quality.imports.import_results` on it. Then it approves every imported result in one UPDATE
(only approved results count), runs VACUUM ANALYZE as autovacuum would, and times
`quality.reports.compliance_report` over the year (median of --runs) — a stress figure:
a million results is some twenty times a year of 3 plants' data. Each scenario's
organization is deleted afterwards unless --keep.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE hw_bench_quality'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_quality
    .venv/bin/headwater migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_quality \
        .venv/bin/python bench/quality.py --scenario both

--compare also times core.importer.check() with the import's spec on the same file (the
generic path, validation only) beside the import's own streaming check; --profile FILE writes
a cProfile of the import and prints its top functions; --queries prints the report's SQL
queries with their times and EXPLAIN ANALYZE of the slowest. Refuses SQLite unless
--allow-sqlite.
"""

import argparse
import cProfile
import csv
import datetime as dt
import io
import os
import pstats
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")

SLUG = "bench-quality"
YEAR_SLUG = "bench-quality-year"
PLANTS = 3
NETWORK_PER_PLANT = 4
EXCEED = 0.02  # share of values drawn beyond their limit
BELOW_DETECTION = 0.3  # share of toxic indicators reported as "<detection limit"
# A network point's usual daily tests; the rest of the routine list is for finished water.
NETWORK_CODES = (
    "turbidity",
    "colour",
    "odour",
    "visible_matter",
    "ph",
    "free_chlorine",
    "total_coliforms",
    "plate_count",
    "permanganate_index",
)
OTHER_DISINFECTANTS = ("ozone", "chlorine_dioxide")  # the bench plants disinfect with chlorine


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", choices=("million", "year", "both"), default="million")
    p.add_argument("--results", type=int, default=1_000_000, help="million scenario's size")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--runs", type=int, default=7, help="timed runs of the report")
    p.add_argument("--keep", action="store_true", help="keep the organization afterwards")
    p.add_argument("--allow-sqlite", action="store_true")
    p.add_argument("--compare", action="store_true", help="also time core.importer.check()")
    p.add_argument("--profile", metavar="FILE", help="cProfile the import into FILE")
    p.add_argument("--queries", action="store_true", help="the report's SQL, timed; EXPLAIN")
    return p.parse_args()


# --- Organization --------------------------------------------------------------------------


def delete_org(slug: str = SLUG) -> None:
    """The bench organization and everything in it. Results and samples go by SQL: the ORM
    would load a million rows to delete them (and audit each)."""
    from auditlog.context import disable_auditlog
    from django.db import connection, transaction

    from headwater.core.models import Organization, Person, RoleGrant, User
    from headwater.quality.models import Lab, SamplingPoint

    org = Organization.objects.filter(slug=slug).first()
    if org is None:
        return
    with transaction.atomic(), disable_auditlog():
        with connection.cursor() as cur:
            for table in ("quality_result", "quality_sample", "quality_samplingtask"):
                cur.execute(f"DELETE FROM {table} WHERE organization_id = %s", [org.pk])
        SamplingPoint.objects.filter(organization=org).delete()
        Lab.objects.filter(organization=org).delete()
        RoleGrant.objects.filter(user__organization=org).delete()
        User.objects.filter(organization=org).delete()
        Person.objects.filter(organization=org).delete()
        org.delete()
    if connection.vendor == "postgresql":  # or autovacuum cleans up during the next run
        with connection.cursor() as cur:
            cur.execute("VACUUM quality_result, quality_sample")


def build_org():
    """3 plants (a raw and a finished point each, the plant's lab), a dozen network points of
    the central lab, and a quality-department user who may import everywhere."""
    from headwater.core.models import Organization, RoleGrant, Unit, User
    from headwater.quality.models import Lab, SamplingPoint

    org = Organization.objects.create(name="基准水务集团", short_name="基准水务", slug=SLUG)
    company = Unit.objects.add_root({"organization": org, "name": "基准水务集团", "code": "BQ"})
    central = Lab.objects.create(
        organization=org, code="QC", name="中心化验室", kind="central", unit=company
    )
    points = []
    for n in range(1, PLANTS + 1):
        plant = Unit.objects.add_child(
            company, {"organization": org, "name": f"第{n}水厂", "code": f"BP{n}"}
        )
        lab = Lab.objects.create(
            organization=org, code=f"L{n}", name=f"{n}厂化验室", kind="plant", unit=plant
        )
        for kind, name in (("raw", "取水口"), ("finished", "出厂水")):
            points.append((f"{kind[:3].upper()}-{n}", f"{n}厂{name}", kind, plant, lab))
        for k in range(1, NETWORK_PER_PLANT + 1):
            points.append((f"NET-{n}{k:02d}", f"{n}厂供水区管网{k}", "network", company, central))
    SamplingPoint.objects.bulk_create(
        SamplingPoint(organization=org, code=c, name=nm, kind=kd, unit=u, lab=lb)
        for c, nm, kd, u, lb in points
    )
    user = User.objects.create(username="bench-quality", organization=org, password="!bench")
    RoleGrant.objects.create(user=user, role="quality", unit=None)
    return org, user


# --- The CSV -------------------------------------------------------------------------------


def indicator_lists(on: dt.date) -> dict[str, list]:
    """(indicator, its first limit) per kind of point: raw water everything GB 3838 classes,
    finished water the 43 routine indicators, network points their usual few."""
    from headwater.quality import catalog

    def with_limit(codes, kind):
        out = []
        for code in codes:
            limits = catalog.limits_for(code, kind=kind, supply_type="urban", on=on)
            if limits and limits[0].shape == "ratio_sum":
                continue  # derived by the evaluator from its members
            out.append((catalog.indicator(code), limits[0] if limits else None))
        return out

    routine = catalog.routine_codes()
    raw = [
        c
        for c in catalog.indicators()
        if catalog.limits_for(c, kind="raw", supply_type="urban", on=on)
    ]
    network = [c for c in NETWORK_CODES if c in routine] or routine[:9]
    return {
        "raw": with_limit(raw, "raw"),
        "finished": with_limit([c for c in routine if c not in OTHER_DISINFECTANTS], "finished"),
        "network": with_limit(network, "network"),
    }


def _fmt(x: float) -> str:
    return format(Decimal(f"{x:.3g}"), "f")


def value_text(ind, limit, rng: random.Random, exceed: float = EXCEED) -> str:
    """A plausible reported value: mostly within the limit, `exceed` of them beyond it, toxic
    substances often below the detection limit."""
    bad = rng.random() < exceed
    if ind.presence:
        return "检出" if bad else "未检出"
    if limit is None:
        return _fmt(rng.uniform(0.1, 10))
    lo, hi = limit.minimum, limit.maximum
    if limit.shape == "classes" and limit.bounds:
        bounds = [float(b) for b in limit.bounds]
        if limit.higher_is_better:
            return _fmt(
                bounds[0] * rng.uniform(0.3, 0.6) if bad else bounds[2] * rng.uniform(1, 1.4)
            )
        return _fmt(bounds[-1] * rng.uniform(1.1, 1.5) if bad else bounds[2] * rng.uniform(0.1, 1))
    if limit.shape in ("range", "classes"):  # classes without bounds: pH 6–9
        return _fmt(float(hi) * rng.uniform(1.1, 1.4) if bad else rng.uniform(float(lo), float(hi)))
    if limit.shape == "min":
        return _fmt(float(lo) * rng.uniform(0.2, 0.8) if bad else float(lo) * rng.uniform(1.2, 6))
    if limit.shape == "not_detected":
        return "检出" if bad else "未检出"
    if hi is None:
        return _fmt(rng.uniform(0.1, 10))
    if bad:
        return _fmt(float(hi) * rng.uniform(1.1, 1.6))
    if ind.category == "toxic" and rng.random() < BELOW_DETECTION:
        return "<" + _fmt(float(hi) / 10)
    return _fmt(float(hi) * rng.uniform(0.05, 0.8))


def unit_text(ind, rng: random.Random) -> str:
    """The catalog's unit, sometimes in the lower case instruments print ("mg/l", "ntu")."""
    return ind.unit.lower() if rng.random() < 0.2 else ind.unit


def write_csv(org, n: int, seed: int, today: dt.date) -> tuple[bytes, int]:
    """N result rows: every point sampled at evenly spread times over the year before today,
    each sample carrying its kind's indicators. Returns the file and its number of samples."""
    from django.utils import timezone

    from headwater.quality.models import SamplingPoint

    rng = random.Random(seed)
    lists = indicator_lists(today)
    points = list(SamplingPoint.objects.filter(organization=org).order_by("code"))
    per_round = sum(len(lists[p.kind]) for p in points)
    rounds = -(-n // per_round)
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=365), dt.time(8)))
    step = dt.timedelta(days=365) / rounds
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["采样点编号", "采样时间", "指标", "结果", "单位"])
    written = samples = 0
    for r in range(rounds):
        at = (start + r * step).replace(second=0, microsecond=0)
        text = at.strftime("%Y/%-m/%-d %-H:%M") if r % 2 else at.strftime("%Y-%m-%d %H:%M")
        for p in points:
            if written == n:
                break
            samples += 1
            for ind, limit in lists[p.kind][: n - written]:
                name = ind.name_zh if rng.random() < 0.7 else ind.code
                w.writerow([p.code, text, name, value_text(ind, limit, rng), unit_text(ind, rng)])
            written += min(len(lists[p.kind]), n - written)
    return out.getvalue().encode("utf-8-sig"), samples


# --- The realistic year (--scenario year) ----------------------------------------------------

YEAR_EXCEED = 0.005  # a well-run utility: ~99.5% of its tests pass


def build_year_org():
    """As the demo's organization: 3 plants with their lab, a raw and a finished point each;
    the central lab's 6 network points, 2 secondary-supply tanks and 2 critical taps."""
    from headwater.core.models import Organization, RoleGrant, Unit, User
    from headwater.quality.models import Lab, SamplingPoint

    org = Organization.objects.create(name="基准水务年度", short_name="基准年度", slug=YEAR_SLUG)
    company = Unit.objects.add_root({"organization": org, "name": "基准水务年度", "code": "BY"})
    qc_unit = Unit.objects.add_child(
        company, {"organization": org, "name": "水质中心", "code": "QC"}
    )
    ss_unit = Unit.objects.add_child(
        company, {"organization": org, "name": "二次供水公司", "code": "SS"}
    )
    central = Lab.objects.create(
        organization=org, code="QC", name="中心化验室", kind="central", unit=qc_unit
    )
    points = []
    for n in range(1, PLANTS + 1):
        plant = Unit.objects.add_child(
            company, {"organization": org, "name": f"第{n}水厂", "code": f"P{n}"}
        )
        lab = Lab.objects.create(
            organization=org, code=f"L{n}", name=f"{n}厂化验室", kind="plant", unit=plant
        )
        points.append((f"RAW-{n}", f"{n}厂取水口", "raw", plant, lab))
        points.append((f"FIN-{n}", f"{n}厂出厂水", "finished", plant, lab))
    points += [(f"NET-{k:02d}", f"管网末梢{k}", "network", qc_unit, central) for k in range(1, 7)]
    points += [(f"SEC-{k}", f"供水站水箱{k}", "secondary", ss_unit, central) for k in (1, 2)]
    points += [(f"TAP-{k}", f"重点用户龙头水{k}", "tap", qc_unit, central) for k in (1, 2)]
    SamplingPoint.objects.bulk_create(
        SamplingPoint(organization=org, code=c, name=nm, kind=kd, unit=u, lab=lb)
        for c, nm, kd, u, lb in points
    )
    user = User.objects.create(username="bench-quality-year", organization=org, password="!bench")
    RoleGrant.objects.create(user=user, role="quality", unit=None)
    return org, user


def year_visits(points, year: int):
    """(point, sampled_at, indicator codes) of every sample the demo's plans take in `year`."""
    from django.utils import timezone

    from headwater.quality import catalog
    from headwater.quality.demo import FINISHED_20, NETWORK_7, RAW_17, TWICE_DAILY

    monthly_43 = [
        c
        for c in catalog.routine_codes()  # the trihalomethane ratio sum is derived, not sent
        if not any(
            lim.shape == "ratio_sum"
            for lim in catalog.limits_for(
                c, kind="finished", supply_type="urban", on=dt.date(year, 1, 1)
            )
        )
    ]
    by_kind: dict[str, list] = {}
    for p in points:
        by_kind.setdefault(p.kind, []).append(p)
    tz = timezone.get_current_timezone()

    def at(day, hour, minute):
        return dt.datetime.combine(day, dt.time(hour, minute), tz)

    day = dt.date(year, 1, 1)
    while day.year == year:
        for p in by_kind["raw"]:
            yield p, at(day, 8, 10), RAW_17
        for p in by_kind["finished"]:
            yield p, at(day, 9, 5), FINISHED_20
            yield p, at(day, 16, 5), TWICE_DAILY
            if day.day == 1:
                yield p, at(day, 9, 30), monthly_43
        if day.weekday() in (0, 1):
            for i, p in enumerate(by_kind["network"]):
                yield p, at(day, 9, 40 + i), NETWORK_7
        if day.weekday() == 0:
            for i, p in enumerate(by_kind["tap"]):
                yield p, at(day, 10, 30 + i), NETWORK_7
        if day.day == 5:
            for i, p in enumerate(by_kind["secondary"]):
                yield p, at(day, 9, i), NETWORK_7
        day += dt.timedelta(days=1)


def write_year_csv(org, year: int, seed: int) -> tuple[bytes, int, int]:
    """The year's rows (values drawn against each kind's limits, YEAR_EXCEED beyond them).
    Returns the file, its number of samples and of rows."""
    from headwater.quality import catalog
    from headwater.quality.models import SamplingPoint

    rng = random.Random(seed)
    on = dt.date(year, 7, 1)
    limit_cache: dict[tuple[str, str], object] = {}

    def limit_of(code, kind):
        if (code, kind) not in limit_cache:
            limits = catalog.limits_for(code, kind=kind, supply_type="urban", on=on)
            limit_cache[code, kind] = limits[0] if limits else None
        return limit_cache[code, kind]

    points = list(SamplingPoint.objects.filter(organization=org).order_by("code"))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["采样点编号", "采样时间", "指标", "结果", "单位"])
    samples = rows = 0
    for p, when, codes in year_visits(points, year):
        samples += 1
        text = when.strftime("%Y/%-m/%-d %-H:%M") if samples % 2 else f"{when:%Y-%m-%d %H:%M}"
        for code in codes:
            ind = catalog.indicator(code)
            value = value_text(ind, limit_of(code, p.kind), rng, YEAR_EXCEED)
            name = ind.name_zh if rng.random() < 0.7 else ind.code
            w.writerow([p.code, text, name, value, unit_text(ind, rng)])
            rows += 1
    return out.getvalue().encode("utf-8-sig"), samples, rows


# --- Timings -------------------------------------------------------------------------------


def time_import(org, user, data: bytes, profile: str | None):
    from headwater.quality.imports import import_results

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_results(data, "bench.csv", organization=org, by=user)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
    seconds = time.perf_counter() - started
    if not report.ok:
        print(report.errors, report.bad_rows[:5])
        raise SystemExit(f"the import was refused: {report.rejection_message()}")
    return report, seconds


def time_checks(org, user, data: bytes) -> tuple[float, float]:
    """Validation only, two ways: the import's streaming check, and core.importer.check()."""
    from headwater.core import clock
    from headwater.core.importer import check
    from headwater.quality.imports import RowChecker, check_file, spec_for
    from headwater.quality.models import SamplingPoint

    points = list(SamplingPoint.objects.visible_to(user).filter(organization=org))
    started = time.perf_counter()
    report, _good = check_file(data, "bench.csv", RowChecker(points, clock.now()))
    streaming = time.perf_counter() - started
    assert report.ok, report.bad_rows[:3]
    started = time.perf_counter()
    report, _rows = check(data, "bench.csv", spec_for(RowChecker(points, clock.now())))
    generic = time.perf_counter() - started
    return streaming, generic


def approve_all(org) -> float:
    from django.db import connection

    from headwater.core import clock

    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE quality_result SET status = 'approved', approved_at = %s "
            "WHERE organization_id = %s",
            [clock.now(), org.pk],
        )
        if connection.vendor == "postgresql":  # as autovacuum would have by now
            cur.execute("VACUUM ANALYZE quality_result")
            cur.execute("VACUUM ANALYZE quality_sample")
    return time.perf_counter() - started


def time_report(org, date_from: dt.date, date_to: dt.date, runs: int):
    """(median ms, max ms) of `runs` reports after one warm-up run, or None without reports."""
    try:
        from headwater.quality.reports import compliance_report
    except ImportError as e:
        print(f"  (compliance report skipped: {e})")
        return None

    def run():
        return compliance_report(org, date_from=date_from, date_to=date_to, user=None)

    run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def show_queries(org, date_from: dt.date, date_to: dt.date) -> None:
    """The report's SQL queries with their times, and EXPLAIN ANALYZE of the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from headwater.quality.reports import compliance_report

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        compliance_report(org, date_from=date_from, date_to=date_to, user=None)
        total = (time.perf_counter() - started) * 1000
    queries = ctx.captured_queries
    in_sql = sum(float(q["time"]) for q in queries) * 1000
    print(f"  {len(queries)} queries, {in_sql:.0f} ms in SQL of {total:.0f} ms")
    for q in queries:
        print(f"  {float(q['time']) * 1000:>7.1f} ms  {q['sql'][:300]}")
    slowest = max(queries, key=lambda q: float(q["time"]))
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
            print("  EXPLAIN ANALYZE of the slowest:")
            for (line,) in cur.fetchall():
                print(f"    {line}")


# --- Main ----------------------------------------------------------------------------------


def run_year(args) -> None:
    """The issue's target: the compliance report over a calendar year of 3 plants' data."""
    from django.db import connection

    from headwater.core import clock
    from headwater.quality.reports import Period

    delete_org(YEAR_SLUG)
    org, user = build_year_org()
    period = Period.year(clock.today().year - 1)
    try:
        started = time.perf_counter()
        data, samples, rows = write_year_csv(org, period.date_from.year, args.seed)
        print(
            f"[year] database: {connection.vendor}; CSV of {rows:,} results in {samples:,} "
            f"samples ({len(data) / 1e6:.1f} MB) of {period.label} written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        report, seconds = time_import(org, user, data, None)
        approve = approve_all(org)
        if args.queries:
            show_queries(org, period.date_from, period.date_to)
        timing = time_report(org, period.date_from, period.date_to, args.runs)
        print("-" * 72)
        print("realistic year of 3 plants (the issue's target: report < 1 s)")
        print(f"import_results    {report.results:>10,} results  {report.samples:>8,} samples")
        print(f"                  {report.exceedances:>10,} exceedances")
        print(f"                  {seconds:>10.1f} s total")
        print(f"approve + VACUUM  {approve:>10.1f} s")
        if timing:
            print(
                f"compliance_report {timing[0]:>10.0f} ms median of {args.runs} "
                f"(max {timing[1]:.0f} ms) over {period.label} ({period.date_from} – "
                f"{period.date_to})"
            )
        print("-" * 72)
    finally:
        if not args.keep:
            delete_org(YEAR_SLUG)


def run_million(args) -> None:
    """The issue's import target (1,000,000 results in < 60 s); its report is a stress figure."""
    from django.db import connection

    from headwater.core import clock

    delete_org(SLUG)
    org, user = build_org()
    today = clock.today()
    date_from = today - dt.timedelta(days=365)
    try:
        started = time.perf_counter()
        data, samples = write_csv(org, args.results, args.seed, today)
        print(
            f"[million] database: {connection.vendor}; CSV of {args.results:,} results in "
            f"{samples:,} samples ({len(data) / 1e6:.1f} MB) written in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if args.compare:
            streaming, generic = time_checks(org, user, data)
            print(
                f"validation only: streaming check {streaming:.1f} s; core check() {generic:.1f} s"
            )
        report, seconds = time_import(org, user, data, args.profile)
        approve = approve_all(org)
        if args.queries:
            show_queries(org, date_from, today)
        timing = time_report(org, date_from, today, args.runs)
        print("-" * 72)
        print(f"{args.results:,} results (the issue's target: import < 60 s)")
        print(f"import_results    {report.results:>10,} results  {report.samples:>8,} samples")
        print(f"                  {report.exceedances:>10,} exceedances")
        rate = report.results / seconds
        print(f"                  {seconds:>10.1f} s total  {rate:>10,.0f} results/s")
        print(f"approve + VACUUM  {approve:>10.1f} s")
        if timing:
            print(
                f"compliance_report {timing[0]:>10.0f} ms median of {args.runs} "
                f"(max {timing[1]:.0f} ms) over {date_from} – {today}: a stress figure, "
                f"~20× a year of 3 plants"
            )
        print("-" * 72)
    finally:
        if not args.keep:
            delete_org(SLUG)


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite" and not args.allow_sqlite:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (or pass --allow-sqlite).")
    if args.scenario in ("year", "both"):
        run_year(args)
    if args.scenario in ("million", "both"):
        run_million(args)


if __name__ == "__main__":
    main()
