"""Plans stored whole in RosterImport.plan move to one RosterImportRow per row."""

from django.db import migrations

KEYS = {
    "n": "number",
    "a": "action",
    "c": "cadre_id",
    "f": "family_name",
    "g": "given_name",
    "s": "split",
    "u": "unit_id",
    "v": "values",
    "ch": "changes",
    "e": "errors",
}


def forwards(apps, schema_editor):
    RosterImport = apps.get_model("cadres", "RosterImport")
    RosterImportRow = apps.get_model("cadres", "RosterImportRow")
    for roster_import in RosterImport.objects.filter(plan__has_key="rows").iterator(chunk_size=1):
        rows = roster_import.plan.pop("rows") or []
        RosterImportRow.objects.bulk_create(
            [
                RosterImportRow(
                    roster_import=roster_import,
                    number=row.get("n", 0),
                    action=row.get("a", ""),
                    data={KEYS.get(key, key): value for key, value in row.items()},
                )
                for row in rows
            ],
            batch_size=1000,
        )
        roster_import.save(update_fields=["plan"])


class Migration(migrations.Migration):
    dependencies = [("cadres", "0007_roster_import_rows")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
