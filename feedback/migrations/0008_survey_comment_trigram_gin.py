from django.db import migrations


def create_index(apps, schema_editor):
    # "Customer evidence" looks for survey comments similar to an insight's text, and
    # the `q` filter for words anywhere in them: both on the normalised comment,
    # both answered by one trigram GIN index (GIN, not GiST: a million-row import
    # inserts into it far faster). PostgreSQL only; SQLite scans.
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS surveyresponse_comment_trgm_idx "
        "ON feedback_surveyresponse USING gin (comment_match gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS surveyresponse_comment_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [("feedback", "0007_survey")]

    operations = [migrations.RunPython(create_index, drop_index)]
