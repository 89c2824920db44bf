from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0006_checkin_keys_to_core"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="checkin",
            name="checkin_idempotency_key",
        ),
        migrations.RemoveField(
            model_name="checkin",
            name="idempotency_key",
        ),
    ]
