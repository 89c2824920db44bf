"""Water-quality results at scale: importing a year of results from one CSV file (parse,
validate, evaluate, store) and the compliance report over that year.

Builds its own organization (slug "bench-quality": 3 plants with a raw and a finished water
point each, a dozen network points, the central lab, one quality-department login) in the
database named by DATABASE_URL, writes a CSV of --results rows (the catalog's indicators per
kind of point, a few % exceedances, some "<0.01" values, spread over the last year) and times
`quality.imports.import_results` on it. Then it approves every imported result in one UPDATE
(only approved results count), runs VACUUM ANALYZE as autovacuum would, and times
`quality.reports.compliance_report` over the year (median of --runs). The organization is
deleted afterwards unless --keep.

    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE hw_bench_quality'
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_quality
    .venv/bin/headwater migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_quality \
        .venv/bin/python bench/quality.py

--compare also times core.importer.check() with the import's spec on the same file (the
generic path, validation only) beside the import's own streaming check; --profile FILE writes
a cProfile of the import and prints its top functions. Refuses SQLite unless --allow-sqlite.
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
    p.add_argument("--results", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--runs", type=int, default=5, help="timed runs of the report")
    p.add_argument("--keep", action="store_true", help="keep the organization afterwards")
    p.add_argument("--allow-sqlite", action="store_true")
    p.add_argument("--compare", action="store_true", help="also time core.importer.check()")
    p.add_argument("--profile", metavar="FILE", help="cProfile the import into FILE")
    return p.parse_args()


# --- Organization --------------------------------------------------------------------------


def delete_org() -> None:
    """The bench organization and everything in it. Results and samples go by SQL: the ORM
    would load a million rows to delete them (and audit each)."""
    from auditlog.context import disable_auditlog
    from django.db import connection, transaction

    from headwater.core.models import Organization, Person, RoleGrant, User
    from headwater.quality.models import Lab, SamplingPoint

    org = Organization.objects.filter(slug=SLUG).first()
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


def value_text(ind, limit, rng: random.Random) -> str:
    """A plausible reported value: mostly within the limit, EXCEED of them beyond it, toxic
    substances often below the detection limit."""
    bad = rng.random() < EXCEED
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


def time_report(org, today: dt.date, runs: int) -> tuple[float, float] | None:
    try:
        from headwater.quality.reports import compliance_report
    except ImportError as e:
        print(f"  (compliance report skipped: {e})")
        return None

    def run():
        return compliance_report(org, date_from=today - dt.timedelta(days=365), date_to=today)

    run()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


# --- Main ----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.db import connection

    from headwater.core import clock

    if connection.vendor == "sqlite" and not args.allow_sqlite:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (or pass --allow-sqlite).")
    delete_org()
    org, user = build_org()
    today = clock.today()
    try:
        started = time.perf_counter()
        data, samples = write_csv(org, args.results, args.seed, today)
        print(
            f"database: {connection.vendor}; CSV of {args.results:,} results in {samples:,} "
            f"samples ({len(data) / 1e6:.1f} MB) written in {time.perf_counter() - started:.1f} s"
        )
        if args.compare:
            streaming, generic = time_checks(org, user, data)
            print(
                f"validation only: streaming check {streaming:.1f} s; core check() {generic:.1f} s"
            )
        report, seconds = time_import(org, user, data, args.profile)
        approve = approve_all(org)
        timing = time_report(org, today, args.runs)
        print("-" * 72)
        print(f"import_results    {report.results:>10,} results  {report.samples:>8,} samples")
        print(f"                  {report.exceedances:>10,} exceedances")
        rate = report.results / seconds
        print(f"                  {seconds:>10.1f} s total  {rate:>10,.0f} results/s")
        print(f"approve + VACUUM  {approve:>10.1f} s")
        if timing:
            print(
                f"compliance_report {timing[0]:>10.0f} ms median of {args.runs} "
                f"(max {timing[1]:.0f} ms) over {today - dt.timedelta(days=365)} – {today}"
            )
        print("-" * 72)
    finally:
        if not args.keep:
            delete_org()


if __name__ == "__main__":
    main()
