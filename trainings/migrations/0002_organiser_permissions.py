"""Trainers ("Giảng viên") and HR officers ("Cán bộ tổ chức", see cadres.roles)
author training sessions and series; the admin narrows them to their units."""

from django.db import migrations

MODELS = ["trainingsession", "trainingseries"]
GROUPS = ["Giảng viên", "Cán bộ tổ chức"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    ).first()
    for name in GROUPS:
        group, _created = Group.objects.get_or_create(name=name)
        for model in MODELS:
            content_type, _c = ContentType.objects.get_or_create(app_label="trainings", model=model)
            for action in ("add", "change", "delete", "view"):
                permission, _c = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)
        if admin:
            group.permissions.add(admin)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
