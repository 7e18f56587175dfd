"""Administrators ("Quản trị viên") who are not superusers also manage every
training session and series (0002 granted only trainers and HR officers)."""

from django.db import migrations

MODELS = ["trainingsession", "trainingseries"]
ADMINISTRATOR = "Quản trị viên"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    for model in MODELS:
        content_type, _c = ContentType.objects.get_or_create(app_label="trainings", model=model)
        for action in ("add", "change", "delete", "view"):
            permission, _c = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0003_session_checkout"),
        ("cadres", "0006_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
