"""Adding 20,000 people of whole units to a test campaign's roster (services.setup_roster.
add_units), in a copy of the 100,000-staff benchmark database:

    createdb -h 127.0.0.1 -U postgres -T hw_bench_14 hw_bench_14_setup
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hw_bench_14_setup \\
        .venv/bin/python bench/testing_setup.py

Applies the migrations; picks top-level units until they hold at least --people active
people; for each run makes a new campaign with one site and adds those units (timed), then
adds them again (timed: everyone is skipped). Prints the median of --runs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "headwater.settings")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,testserver")
TARGET_SECONDS = 5.0


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--people", type=int, default=20_000)
    return p.parse_args()


def main() -> None:
    args = parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count

    call_command("migrate", verbosity=0)
    from headwater.core import clock
    from headwater.core.models import Organization, Person, Unit, User
    from headwater.testing.inputs_setup import CampaignInput, SiteInput
    from headwater.testing.services import setup, setup_roster

    org = Organization.objects.order_by("pk").first()
    office = next(
        u
        for u in User.objects.filter(organization=org, is_active=True).order_by("pk")
        if u.has_perm("testing.manage_campaigns")
    )
    units, total = [], 0
    sizes = (
        Person.objects.active()
        .filter(organization=org)
        .values("unit__path")
        .annotate(n=Count("pk"))
    )
    by_path = {row["unit__path"]: row["n"] for row in sizes}
    for unit in Unit.objects.filter(organization=org).order_by("path"):
        if any(unit.path.startswith(u.path) for u in units):
            continue
        held = sum(n for path, n in by_path.items() if path.startswith(unit.path))
        if total + held > args.people * 1.1 or held == 0:
            continue
        units.append(unit)
        total += held
        if total >= args.people:
            break
    print(f"{org.name}: {len(units)} units holding {total} active people")
    firsts, agains = [], []
    for run in range(args.runs):
        today = clock.today()
        data = CampaignInput.parse(
            {"name": f"bench {run}", "starts_on": today, "ends_on": today, "pool_size": 10}
        )
        campaign, _c = setup.create_campaign(org, data, by=office)
        setup.save_site(campaign, SiteInput.parse({"name": "bench"}, org), by=office)
        ids = [u.pk for u in units]
        start = time.perf_counter()
        added, _c = setup_roster.add_units(campaign, ids, by=office)
        firsts.append(time.perf_counter() - start)
        start = time.perf_counter()
        again, _c = setup_roster.add_units(campaign, ids, by=office)
        agains.append(time.perf_counter() - start)
        print(
            f"run {run + 1}: added {added.added} in {firsts[-1]:.2f} s; "
            f"again skipped {again.skipped} in {agains[-1]:.2f} s"
        )
    first, again = statistics.median(firsts), statistics.median(agains)
    verdict = "ok" if first < TARGET_SECONDS else "SLOW"
    print(
        f"add units ({total} people): median {first:.2f} s [{verdict}, target {TARGET_SECONDS} s]"
    )
    print(f"add the same units again (all skipped): median {again:.2f} s")


if __name__ == "__main__":
    main()
