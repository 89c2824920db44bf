# A check-in's idempotency key moves to core.IdempotencyKey (action "health.checkin"), where
# every retried write of every capability keeps its key (core.writes.idempotent). A key is
# kept for the login linked to the person; a person without a login cannot have sent one.
# `recorded_at` is the check-in's first submission, so the keys age out like new ones.

from django.db import migrations

ACTION = "health.checkin"
BATCH = 5000


def keys_to_core(apps, schema_editor):
    CheckIn = apps.get_model("health", "CheckIn")
    IdempotencyKey = apps.get_model("core", "IdempotencyKey")
    User = apps.get_model("core", "User")
    users = dict(User.objects.filter(person__isnull=False).values_list("person_id", "pk"))
    rows = []
    keyed = CheckIn.objects.exclude(idempotency_key="").values_list(
        "pk", "organization_id", "person_id", "idempotency_key", "submitted_at"
    )
    for pk, organization_id, person_id, key, submitted_at in keyed.iterator(chunk_size=BATCH):
        if person_id not in users:
            continue
        rows.append(
            IdempotencyKey(
                organization_id=organization_id,
                user_id=users[person_id],
                action=ACTION,
                key=key,
                object_id=pk,
                created=True,
                recorded_at=submitted_at,
            )
        )
        if len(rows) >= BATCH:
            IdempotencyKey.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    IdempotencyKey.objects.bulk_create(rows, ignore_conflicts=True)


def keys_back(apps, schema_editor):
    """The first key of each check-in goes back on the row (corrections' keys are dropped)."""
    CheckIn = apps.get_model("health", "CheckIn")
    IdempotencyKey = apps.get_model("core", "IdempotencyKey")
    first = IdempotencyKey.objects.filter(action=ACTION, created=True).values_list(
        "object_id", "key"
    )
    for object_id, key in first.iterator(chunk_size=BATCH):
        CheckIn.objects.filter(pk=object_id).update(idempotency_key=key)
    IdempotencyKey.objects.filter(action=ACTION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_idempotency_keys"),
        ("health", "0005_rule_organization_required"),
    ]

    operations = [
        migrations.RunPython(keys_to_core, keys_back),
    ]
