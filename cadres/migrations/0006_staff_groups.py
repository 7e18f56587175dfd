"""The four staff groups, each with the admin permissions its job needs, so
that no one needs to be a superuser: trainers ("Giảng viên"), reviewers
("Duyệt nội dung"), HR officers ("Cán bộ tổ chức") and administrators
("Quản trị viên"). Each app grants its own models' permissions in its own
migration; this one creates the groups and grants what cadres owns.

Wagtail's sample groups "Moderators" and "Editors" carry English names into
the user editor; they go when nobody is in them."""

from django.db import migrations

# Frozen here as migrations must be (see cadres.roles).
STAFF_GROUPS = ["Giảng viên", "Duyệt nội dung", "Cán bộ tổ chức", "Quản trị viên"]
ADMINISTRATOR = "Quản trị viên"
ADMINISTRATOR_CODENAMES = {
    ("cadres", "user"): ["add_user", "change_user", "view_user"],
    ("cadres", "securitysettings"): ["change_securitysettings", "view_securitysettings"],
}
WAGTAIL_SAMPLE_GROUPS = ["Moderators", "Editors"]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": codename.replace("_", " ").capitalize()},
    )
    return permission


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")
    for name in STAFF_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
    administrator = Group.objects.get(name=ADMINISTRATOR)
    for (app_label, model), codenames in ADMINISTRATOR_CODENAMES.items():
        for codename in codenames:
            administrator.permissions.add(_permission(apps, app_label, model, codename))
    Group.objects.filter(name__in=WAGTAIL_SAMPLE_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cadres", "0005_private_storage_for_personal_files"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # The sample groups are referenced by Wagtail's default workflow task.
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
