import django.utils.timezone
from django.db import migrations, models


def seal_anonymous_recipients(apps, schema_editor):
    """Give existing anonymous insights and their notifications the sealed id of their
    author, found once per person (one HMAC per active user, here only)."""
    from portal.anonymity import coarse, seal_user_id, token_for_user_id

    Insight = apps.get_model("feedback", "Insight")
    Notification = apps.get_model("portal", "Notification")
    User = apps.get_model("portal", "User")
    tokens = set(
        Insight.objects.exclude(author_token="").values_list("author_token", flat=True)
    ) | set(Notification.objects.exclude(recipient_token="").values_list("recipient_token", flat=True))
    if not tokens:
        return
    owner = {}
    for user_id in User.objects.values_list("pk", flat=True).iterator(chunk_size=2000):
        token = token_for_user_id(user_id)
        if token in tokens:
            owner[token] = user_id
    for insight in Insight.objects.exclude(author_token="").only("pk", "author_token", "created_at"):
        if insight.author_token in owner:
            Insight.objects.filter(pk=insight.pk).update(
                author_sealed=seal_user_id(owner[insight.author_token]),
                created_at=coarse(insight.created_at),
                updated_at=coarse(insight.created_at),
            )
    for notification in Notification.objects.exclude(recipient_token="").only(
        "pk", "recipient_token", "created_at", "read_at"
    ):
        if notification.recipient_token in owner:
            Notification.objects.filter(pk=notification.pk).update(
                recipient_sealed=seal_user_id(owner[notification.recipient_token]),
                created_at=coarse(notification.created_at),
                read_at=coarse(notification.read_at) if notification.read_at else None,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_verbose_names"),
        ("portal", "0005_notification_sealed_recipient"),
    ]

    operations = [
        migrations.AddField(
            model_name="insight",
            name="author_sealed",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AlterField(
            model_name="insight",
            name="updated_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, editable=False, verbose_name="updated"
            ),
        ),
        migrations.RunPython(seal_anonymous_recipients, migrations.RunPython.noop),
    ]
