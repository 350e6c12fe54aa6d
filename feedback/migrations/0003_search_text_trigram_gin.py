from django.db import migrations


def create_index(apps, schema_editor):
    # The `q` filter (list API, triage page, export) asks for every word anywhere in
    # the normalised text: LIKE '%word%', which a trigram GIN index answers without
    # reading every insight. PostgreSQL only; SQLite scans.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS insight_search_trgm_idx "
        "ON feedback_insight USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS insight_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_categories_and_trigram_index")]

    operations = [migrations.RunPython(create_index, drop_index)]
