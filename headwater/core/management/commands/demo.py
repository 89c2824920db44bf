"""`headwater demo`: build the demo organization 星城水务集团 and its logins (see core.demo)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from headwater.core import demo


class Command(BaseCommand):
    help = (
        "Build the demo organization 星城水务集团 with its demo logins. An existing one is kept "
        "as it is (only its demo logins are made sure of); --reset deletes and rebuilds it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff",
            type=int,
            default=demo.DEFAULT_STAFF,
            help="number of staff to create (default %(default)s)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help="random seed; the same seed gives the same people",
        )
        parser.add_argument(
            "--history-days",
            type=int,
            default=14,
            help="days of past activity (check-ins …) to make up; 0 for none (benchmarks)",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="delete the demo organization and its users, then rebuild",
        )

    def handle(self, *args, staff: int, seed: int, reset: bool, history_days: int, **options):
        if staff < 1:
            raise CommandError("--staff 须为正整数")
        with translation.override(settings.LANGUAGE_CODE):
            result = demo.run(staff=staff, seed=seed, reset=reset, history_days=history_days)
            self.stdout.write(demo.render(result), ending="")
