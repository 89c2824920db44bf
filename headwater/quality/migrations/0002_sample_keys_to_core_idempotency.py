"""A sample's idempotency key moves from the sample to core.IdempotencyKey (the one write
contract, core.writes.idempotent): every non-empty key of a sample with a known author is
copied there (action "quality.sample", created), so that a phone retrying after the upgrade
still gets its first sample back; then the column and its constraint go."""

from django.db import migrations

ACTION = "quality.sample"


def keys_to_core(apps, schema_editor):
    Sample = apps.get_model("quality", "Sample")
    IdempotencyKey = apps.get_model("core", "IdempotencyKey")
    rows = (
        Sample.objects.exclude(idempotency_key="")
        .filter(entered_by__isnull=False)
        .values_list("pk", "organization_id", "entered_by_id", "idempotency_key", "entered_at")
    )
    IdempotencyKey.objects.bulk_create(
        (
            IdempotencyKey(
                organization_id=organization_id,
                user_id=user_id,
                action=ACTION,
                key=key,
                object_id=pk,
                created=True,
                recorded_at=entered_at,
            )
            for pk, organization_id, user_id, key, entered_at in rows.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def keys_to_samples(apps, schema_editor):
    Sample = apps.get_model("quality", "Sample")
    IdempotencyKey = apps.get_model("core", "IdempotencyKey")
    keys = IdempotencyKey.objects.filter(action=ACTION)
    first = keys.filter(created=True).values_list("object_id", "user_id", "key")
    for object_id, user_id, key in first.iterator():
        Sample.objects.filter(pk=object_id, entered_by_id=user_id).update(idempotency_key=key)
    # A correction's key has no column to go back to.
    keys.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_idempotency_keys"),
        ("quality", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(keys_to_core, keys_to_samples),
        migrations.RemoveConstraint(
            model_name="sample",
            name="quality_sample_idempotency_key",
        ),
        migrations.RemoveField(
            model_name="sample",
            name="idempotency_key",
        ),
    ]
