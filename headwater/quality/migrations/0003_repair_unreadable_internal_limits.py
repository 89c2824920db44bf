"""Internal limits stored with a bound no limit may have — "1e999" or an absurd number kept
by SQLite as a float that no Decimal of 20 digits holds, NaN on PostgreSQL, a negative number
— before the services refused them: reading such a row raised, so the limits page, the API
and every evaluation of the organization's results failed.

Such a bound is cleared (NULL) and the row's note says so; a row left with no bound at all
means nothing and is deleted. Everything is decided and written in SQL (UPDATE / DELETE with
the same comparisons as InternalLimitQuerySet.unreadable): the rows are never read into
Python, where the bad value would raise again. Comparisons with a number work alike on SQLite
(an infinity compares as the largest number) and PostgreSQL (NaN sorts above every number)."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Q, Value
from django.db.models.functions import Concat, Left

MAX_BOUND = Decimal(10) ** 12  # quality.querysets.MAX_BOUND when this was written
NOTE = "［原{field}无效，已清除］"


def _bad(name: str) -> Q:
    return Q(**{f"{name}__lt": 0}) | Q(**{f"{name}__gte": MAX_BOUND})


def repair(apps, schema_editor):
    InternalLimit = apps.get_model("quality", "InternalLimit")
    for name, label in (("minimum", "下限"), ("maximum", "上限")):
        InternalLimit.objects.filter(_bad(name)).update(
            **{name: None},
            note=Left(Concat(Value(NOTE.format(field=label)), "note"), 200),
        )
    InternalLimit.objects.filter(minimum__isnull=True, maximum__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0002_sample_keys_to_core_idempotency"),
    ]

    operations = [
        migrations.RunPython(repair, migrations.RunPython.noop),
    ]
