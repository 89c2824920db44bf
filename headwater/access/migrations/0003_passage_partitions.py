"""On PostgreSQL, the passages table becomes partitioned by month on `at` (primary key
(id, at), a DEFAULT partition, the months from the first row — or this month — to three
months ahead; rows there are copied over). SQLite keeps the plain table. ADR 0025."""

from django.db import migrations


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from headwater.access import partitions
    from headwater.core import clock

    partitions.partition(clock.today())


class Migration(migrations.Migration):
    dependencies = [("access", "0002_dining")]

    # Going back leaves the partitioned table: Django sees the same columns either way.
    operations = [migrations.RunPython(partition, migrations.RunPython.noop, elidable=False)]
