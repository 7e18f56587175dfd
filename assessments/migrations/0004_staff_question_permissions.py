"""Reviewers read the question bank (to review quizzes); administrators keep it."""

from django.db import migrations

GRANTS = {
    "Duyệt nội dung": {"question": ["view"], "questioncategory": ["view"]},
    "Quản trị viên": {
        "question": ["add", "change", "delete", "view"],
        "questioncategory": ["add", "change", "delete", "view"],
    },
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for model, actions in models.items():
            content_type, _ = ContentType.objects.get_or_create(
                app_label="assessments", model=model
            )
            for action in actions:
                permission, _ = Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )
                group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_quiz_answers_wait_for_the_last_attempt"),
        ("cadres", "0006_staff_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
