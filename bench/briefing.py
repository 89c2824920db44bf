"""The daily briefing at scale: generating it (and, apart, the sections' SQL aggregates alone)
and rendering it in every format — the web page, PDF, Word and Excel — for the demo
organization in the database named by DATABASE_URL.

    createdb -h 127.0.0.1 -U postgres -T hw_bench_12 hw_bench_12_a   # 100,000 staff, 14 days
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_12_a \\
        .venv/bin/python bench/briefing.py

Applies the migrations; adds the water-quality demo data (14 days) when the organization has
none. Each run regenerates the briefing of yesterday (a new version each run, so the write is
timed too) and renders it; prints the median of --runs per step and the total.
"""

import argparse
import datetime as dt
import logging
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
TARGET_SECONDS = 5.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--history-days", type=int, default=14)
    return p.parse_args()


class SqlTimer:
    """Time spent inside the database driver (execute) while installed."""

    def __init__(self):
        self.seconds = 0.0
        self.queries = 0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1


@contextmanager
def sql_timed():
    from django.db import connection

    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        yield timer


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def ensure_quality(org, history_days: int) -> None:
    from headwater.quality import demo as quality_demo
    from headwater.quality.models import SamplingPoint

    if SamplingPoint.objects.of(org).exists():
        return
    seconds, _ = timed(lambda: quality_demo.build(org, 2020, history_days))
    print(f"water-quality demo data added for {history_days} days in {seconds:.1f} s")


def one_run(org, day, client, url_for) -> dict[str, float]:
    from headwater.briefing import files, services
    from headwater.core import tiles

    figures: dict[str, float] = {}
    with sql_timed() as sql:
        figures["sections"], sections = timed(lambda: tiles.briefing_for(org, day + ONE_DAY))
    figures["sections: SQL alone"] = sql.seconds
    figures["sections: queries"] = sql.queries
    for provider in tiles.BRIEFING_SECTIONS:
        name = f"  section {provider.__module__.split('.')[1]}.{provider.__name__}"
        figures[name], _ = timed(lambda p=provider: p(org, day + ONE_DAY))
    bump_level_reason(org)
    figures["generate (sections, both languages, store)"], (briefing, created) = timed(
        lambda: services.generate(org, day)
    )
    doc = briefing.doc("zh-hans")
    figures["web page"], response = timed(lambda: client.get(url_for(briefing)))
    assert response.status_code == 200, response.status_code
    for fmt in ("pdf", "docx", "xlsx"):
        figures[fmt], data = timed(lambda f=fmt: files.render(doc, f))
        figures[f"{fmt} bytes"] = len(data)
    figures["total"] = sum(
        figures[k]
        for k in ("generate (sections, both languages, store)", "web page", "pdf", "docx", "xlsx")
    )
    return figures


def bump_level_reason(org) -> None:
    """Make each run's content differ (the issuing office's name), so that every generation
    stores a new version, as a regeneration after corrections does."""
    from headwater.core import levels
    from headwater.core.models import LevelSettingValue

    LevelSettingValue.objects.update_or_create(
        organization=org,
        key="briefing.issuer",
        level=org.response_level,
        defaults={"value": f"疫情防控办公室{time.time_ns() % 1000}"},
    )
    levels.forget(org)


ONE_DAY = dt.timedelta(days=1)


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from headwater.core import clock
    from headwater.core.demo import SLUG
    from headwater.core.models import Organization, Person, User

    call_command("migrate", verbosity=0)
    org = Organization.objects.get(slug=SLUG)
    ensure_quality(org, args.history_days)
    day = clock.today() - ONE_DAY
    staff = Person.objects.filter(organization=org).active().count()
    print(f"{connection.vendor}, {staff:,} staff, briefing of {day} (runs: {args.runs})")
    client = Client()
    client.force_login(User.objects.get(organization=org, username="office"))
    runs = [
        one_run(org, day, client, lambda b: reverse("briefing:detail", args=[b.pk]))
        for _ in range(args.runs)
    ]
    for key in runs[0]:
        values = [r[key] for r in runs]
        median = statistics.median(values)
        if key.endswith(("queries", "bytes")):
            print(f"{key:48} {median:>12,.0f}")
        else:
            print(f"{key:48} {median * 1000:>9,.0f} ms")
    total = statistics.median(r["total"] for r in runs)
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    print(f"total {total:.2f} s — {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
