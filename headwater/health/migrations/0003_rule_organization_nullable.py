# Every organization-owned table carries its organization key directly (ADR 0006): a rule,
# so far reached only through its rule set, gets its own column — nullable first, filled from
# the rule set by 0004, then required by 0005.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("health", "0002_checkin_abnormal_by_unit_day"),
    ]

    operations = [
        migrations.AddField(
            model_name="rule",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.organization",
            ),
        ),
    ]
