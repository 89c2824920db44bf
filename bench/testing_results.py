"""A 20,000-row results import (issue 14: under 10 s): a campaign of --people sampled people
pooled --pool to a tube (100,000 in fives: 20,000 tubes), and the laboratory's sheet with one
row per tube imported through headwater.testing.services.results_import, as the office.

Builds what it needs with bulk_create in the database named by DATABASE_URL (a copy, never
the shared one):

    createdb -h 127.0.0.1 -U postgres -T hw_bench_14 hw_bench_14_results
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_14_results \
        .venv/bin/python bench/testing_results.py

Each run adds a new campaign. Prints the build time, then the import's time (all new results:
--positive positive and as many invalid tubes, the rest negative, so --positive × pool
retests and 2 × --positive alerts), and the time of importing the same file again (nothing
changes)."""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--people", type=int, default=100_000)
    p.add_argument("--pool", type=int, default=5)
    p.add_argument("--positive", type=int, default=5)
    p.add_argument(
        "--campaign",
        type=int,
        help="reuse this campaign built by an earlier run (its results are reset first)",
    )
    return p.parse_args()


def build(org, people: int, pool: int):
    from django.db import connection

    from headwater.core import clock
    from headwater.core.models import Person
    from headwater.testing.choices import CampaignState, EntrySource, EntryStatus, TubeState
    from headwater.testing.models import Campaign, RosterEntry, Sample, Tube

    today = clock.today()
    campaign = Campaign.objects.create(
        organization=org,
        name=f"基准测试检测 {clock.now():%H%M%S}",
        starts_on=today,
        ends_on=today,
        pool_size=pool,
        state=CampaignState.OPEN,
    )
    staff = list(
        Person.objects.filter(organization=org).order_by("pk").values_list("pk", "unit_id")[:people]
    )
    if len(staff) < people:
        sys.exit(f"only {len(staff)} people in the organization")
    entries = RosterEntry.objects.bulk_create(
        (
            RosterEntry(
                organization=org,
                campaign=campaign,
                person_id=pk,
                unit_id=unit_id,
                source=EntrySource.UNIT,
                status=EntryStatus.SAMPLED,
            )
            for pk, unit_id in staff
        ),
        batch_size=5000,
    )
    now = clock.now()
    tubes = Tube.objects.bulk_create(
        (
            Tube(
                organization=org,
                campaign=campaign,
                barcode=f"B{campaign.pk:04d}{i:06d}",
                capacity=pool,
                state=TubeState.CLOSED,
                closed_at=now,
            )
            for i in range((people + pool - 1) // pool)
        ),
        batch_size=5000,
    )
    Sample.objects.bulk_create(
        (
            Sample(
                organization=org,
                campaign=campaign,
                entry=entry,
                tube=tubes[i // pool],
                taken_at=now,
            )
            for i, entry in enumerate(entries)
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        # As autovacuum would after a load this size: the import is not measured against
        # statistics that still say the tables are empty.
        cursor.execute("ANALYZE testing_rosterentry; ANALYZE testing_sample; ANALYZE testing_tube")
    return campaign, tubes


def reset(campaign_id: int):
    """An earlier run's campaign as built: no results, every entry sampled, no retests."""
    from headwater.testing.choices import EntryStatus, TubeResult
    from headwater.testing.models import Campaign, Retest, RosterEntry, Tube

    campaign = Campaign.objects.get(pk=campaign_id)
    Retest.objects.filter(campaign=campaign).delete()
    RosterEntry.objects.filter(campaign=campaign).update(status=EntryStatus.SAMPLED)
    Tube.objects.filter(campaign=campaign).update(
        result=TubeResult.PENDING, result_at=None, result_by=None, lab_members=None
    )
    return campaign, list(Tube.objects.filter(campaign=campaign).order_by("pk"))


def sheet(tubes, positive: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["试管编码", "结果", "检测时间", "混采人数"])
    for i, tube in enumerate(tubes):
        result = "阳性" if i < positive else "无效" if i < 2 * positive else "阴性"
        writer.writerow([tube.barcode, result, f"2020-02-01 {8 + i % 10:02d}:{i % 60:02d}", ""])
    return out.getvalue().encode("utf-8")


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.db import connection

    from headwater.core.models import Organization, RoleGrant
    from headwater.testing.models import Retest, RosterEntry
    from headwater.testing.services.results_import import import_results

    grant = RoleGrant.objects.filter(role="office", unit=None, user__is_active=True).first()
    if grant is None:
        sys.exit("no office user: build the organization with bench/checkin.py first")
    office = grant.user
    org = Organization.objects.get(pk=office.organization_id)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    started = time.perf_counter()
    if args.campaign:
        campaign, tubes = reset(args.campaign)
        print(f"reusing campaign {campaign.pk}: {len(tubes)} tubes")
    else:
        campaign, tubes = build(org, args.people, args.pool)
        print(
            f"built campaign {campaign.pk}: {args.people} people in {len(tubes)} tubes of "
            f"{args.pool} in {time.perf_counter() - started:.1f} s"
        )
    data = sheet(tubes, args.positive)

    started = time.perf_counter()
    report = import_results(org, data, "检测结果.csv", by=office)
    first = time.perf_counter() - started
    assert report.ok, report.bad_rows[:5]
    statuses = dict(
        RosterEntry.objects.filter(campaign=campaign)
        .values_list("status")
        .annotate(n=django.db.models.Count("pk"))
    )
    print(
        f"import of {report.total} rows: {first:.2f} s "
        f"({report.tally.updated} tubes recorded; entries {statuses}; "
        f"{Retest.objects.filter(campaign=campaign).count()} retests)"
    )

    started = time.perf_counter()
    again = import_results(org, data, "检测结果.csv", by=office)
    print(
        f"re-import of the same file: {time.perf_counter() - started:.2f} s "
        f"({again.tally.updated} recorded, {again.tally.unchanged} unchanged)"
    )


if __name__ == "__main__":
    main()
