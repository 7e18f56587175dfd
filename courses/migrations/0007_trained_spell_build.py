"""Build the trained fact once from the completions already recorded; from
here on the services keep it (and ``manage.py trained_rebuild`` mends it)."""

from django.db import migrations


def build(apps, schema_editor):
    # The live function, not historical models: it is the one definition of
    # the fact, and it runs on the schema this migration leaves.
    from courses.trained import trained_rebuild

    if not apps.get_model("courses", "ProgrammeCourse").objects.exists():
        return
    tables = schema_editor.connection.introspection.table_names()
    if "trainings_trainingcompletion" not in tables:
        return  # trainings not migrated yet: run ``manage.py trained_rebuild`` after
    trained_rebuild()


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_trained_spell")]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
