"""Review before publishing: trainers submit, reviewers approve.

Trainers lose the publish permission; reviewers ("Duyệt nội dung") may edit
and publish; administrators may do anything on pages, images, documents and
programmes. The course tree gets one workflow, "Duyệt nội dung", whose only
task is approval by the reviewers' group; it replaces Wagtail's default
"Moderators approval" on the root page."""

from django.db import migrations

TRAINER = "Giảng viên"
REVIEWER = "Duyệt nội dung"
HR_OFFICER = "Cán bộ tổ chức"
ADMINISTRATOR = "Quản trị viên"
WORKFLOW_NAME = "Duyệt nội dung"

PAGE_CODENAMES = {
    REVIEWER: ["change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATOR: [
        "add_page",
        "change_page",
        "publish_page",
        "lock_page",
        "unlock_page",
        "bulk_delete_page",
        "delete_page",
    ],
}
COLLECTION_CODENAMES = {
    REVIEWER: {
        ("wagtailimages", "image"): ["choose_image"],
        ("wagtaildocs", "document"): ["choose_document"],
    },
    ADMINISTRATOR: {
        ("wagtailimages", "image"): ["add_image", "change_image", "delete_image", "choose_image"],
        ("wagtaildocs", "document"): [
            "add_document",
            "change_document",
            "delete_document",
            "choose_document",
        ],
    },
}
MODEL_CODENAMES = {
    ADMINISTRATOR: {
        ("courses", "programme"): [
            "add_programme",
            "change_programme",
            "delete_programme",
            "view_programme",
        ]
    },
    HR_OFFICER: {("courses", "programme"): ["add_programme", "change_programme", "view_programme"]},
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


def _review_workflow(apps, root, reviewers):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"content_type": content_type, "active": True}
    )
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    # Wagtail's default, left without a page and without its sample group.
    for old in Workflow.objects.exclude(pk=workflow.pk).filter(name="Moderators approval"):
        if not old.workflow_pages.exists():
            old.active = False
            old.save(update_fields=["active"])
    GroupApprovalTask.objects.exclude(pk=task.pk).filter(name="Moderators approval").update(
        active=False
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (TRAINER, REVIEWER, HR_OFFICER, ADMINISTRATOR)
    }
    root = Page.objects.filter(depth=1).order_by("path").first()
    collection = Collection.objects.filter(depth=1).order_by("path").first()

    if root is not None:
        # The tree's root shows in the explorer's breadcrumbs as "Root".
        if root.title == "Root":
            Page.objects.filter(pk=root.pk).update(title="Gốc", draft_title="Gốc")
        GroupPagePermission.objects.filter(
            group=groups[TRAINER], permission__codename="publish_page"
        ).delete()
        for name, codenames in PAGE_CODENAMES.items():
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name],
                    page=root,
                    permission=_permission(apps, "wagtailcore", "page", codename),
                )
        _review_workflow(apps, root, groups[REVIEWER])
    if collection is not None:
        for name, models in COLLECTION_CODENAMES.items():
            for (app_label, model), codenames in models.items():
                for codename in codenames:
                    GroupCollectionPermission.objects.get_or_create(
                        group=groups[name],
                        collection=collection,
                        permission=_permission(apps, app_label, model, codename),
                    )
    for name, models in MODEL_CODENAMES.items():
        for (app_label, model), codenames in models.items():
            for codename in codenames:
                groups[name].permissions.add(_permission(apps, app_label, model, codename))


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0004_enrolment_course_cadre"),
        ("cadres", "0006_staff_groups"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
