from django.db import migrations

CHANNELS = [
    ("branch", "Branch", "الفرع"),
    ("phone", "Phone", "الهاتف"),
    ("email", "E-mail", "البريد الإلكتروني"),
    ("chat", "Web chat", "المحادثة الفورية"),
    ("app", "Mobile app", "تطبيق الجوال"),
    ("web", "Website", "الموقع الإلكتروني"),
    ("social", "Social media", "وسائل التواصل الاجتماعي"),
    ("delivery", "Delivery", "التوصيل"),
]


def seed_channels(apps, schema_editor):
    Channel = apps.get_model("portal", "Channel")
    for code, name_en, name_ar in CHANNELS:
        Channel.objects.update_or_create(code=code, defaults={"name_en": name_en, "name_ar": name_ar})


def unseed_channels(apps, schema_editor):
    apps.get_model("portal", "Channel").objects.filter(code__in=[c[0] for c in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(seed_channels, unseed_channels)]
