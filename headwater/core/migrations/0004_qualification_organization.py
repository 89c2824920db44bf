"""Qualifications carry their organization key directly, like every organization-owned table
(ADR 0006): added nullable, filled from the person, then required."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    Qualification = apps.get_model("core", "Qualification")
    Person = apps.get_model("core", "Person")
    for org_id in Person.objects.values_list("organization_id", flat=True).distinct():
        Qualification.objects.filter(person__organization_id=org_id).update(
            organization_id=org_id
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_idempotency_keys")]

    operations = [
        migrations.AddField(
            model_name="qualification",
            name="organization",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.organization",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="qualification",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="core.organization",
            ),
        ),
    ]
