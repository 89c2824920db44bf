# Each rule takes its rule set's organization (one UPDATE; the rule sets keep theirs).

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Rule = apps.get_model("health", "Rule")
    RuleSet = apps.get_model("health", "RuleSet")
    owner = RuleSet.objects.filter(pk=OuterRef("rule_set_id")).values("organization_id")[:1]
    Rule.objects.filter(organization__isnull=True).update(organization_id=Subquery(owner))


class Migration(migrations.Migration):
    dependencies = [
        ("health", "0003_rule_organization_nullable"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
