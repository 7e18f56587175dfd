"""Trainers (the "Giảng viên" group) author courses in the Wagtail admin:
admin access, add/edit/publish on the page tree (the course tree: the site's
root is the catalogue), and add/edit/choose on images and documents."""

from django.db import migrations

# cadres.roles.ROLE_GROUPS, frozen here as migrations must be.
TRAINER_GROUP = "Giảng viên"
HR_GROUP = "Cán bộ tổ chức"
PAGE_CODENAMES = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION = {
    ("wagtailimages", "image"): ["add_image", "change_image", "choose_image"],
    ("wagtaildocs", "document"): ["add_document", "change_document", "choose_document"],
}


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
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    group, _ = Group.objects.get_or_create(name=TRAINER_GROUP)
    group.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin"))
    root = Page.objects.filter(depth=1).order_by("path").first()
    if root is not None:
        for codename in PAGE_CODENAMES:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
    collection = Collection.objects.filter(depth=1).order_by("path").first()
    if collection is not None:
        for (app_label, model), codenames in COLLECTION.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=collection,
                    permission=_permission(apps, app_label, model, codename),
                )


    # HR officers manage programmes (the admin narrows them to their subtree).
    hr, _ = Group.objects.get_or_create(name=HR_GROUP)
    hr.permissions.add(_permission(apps, "wagtailadmin", "admin", "access_admin"))
    for codename in ["add_programme", "change_programme", "view_programme"]:
        hr.permissions.add(_permission(apps, "courses", "programme", codename))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_video_progress"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
