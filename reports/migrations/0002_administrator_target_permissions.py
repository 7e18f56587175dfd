"""Administrators who are not superusers set the targets."""

from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Quản trị viên")
    content_type, _ = ContentType.objects.get_or_create(app_label="reports", model="target")
    for action in ("add", "change", "delete", "view"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_target",
            defaults={"name": f"Can {action} target"},
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("cadres", "0006_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
