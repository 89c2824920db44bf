"""The replay check's index: a phone pass's token id among the passages of its lifetime.

Partial (phone passes only record a token id) and kept out of the model's state on purpose:
`Passage.Meta` is shared by every part of the app, and this index serves one query
(`services.scan._refuse_replay`, which repeats the index's condition so PostgreSQL uses it).
"""

from django.db import migrations

SQL = "CREATE INDEX access_passage_token ON access_passage (token_id, at) WHERE token_id <> ''"


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [
        migrations.RunSQL(SQL, reverse_sql="DROP INDEX access_passage_token"),
    ]
