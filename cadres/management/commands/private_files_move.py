"""Move personal files stored before private storage existed into it.

Every FileField whose storage is the private one (certificates, their ZIP exports,
roster uploads — whichever app declares them) is looked at; a file still in the
default (public) storage is copied to private storage under a new random name,
the row is pointed at it, and the public copy is deleted. Files already in private
storage are left alone, so the command can run again at any time.
"""

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import models

from cadres.private_files import private_storage


def _private_file_fields():
    private = private_storage()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and field.storage is private:
                yield model, field


class Command(BaseCommand):
    help = "Move certificates, exports and roster uploads out of public media storage."

    def handle(self, *args, **options):
        private = private_storage()
        moved = missing = 0
        for model, field in _private_file_fields():
            rows = model._default_manager.exclude(**{field.attname: ""}).values_list(
                "pk", field.attname
            )
            for pk, name in rows.iterator():
                if private.exists(name):
                    continue
                if not default_storage.exists(name):
                    missing += 1
                    self.stderr.write(f"{model._meta.label} {pk}: {name} is in neither storage")
                    continue
                instance = model._default_manager.get(pk=pk)
                new_name = field.generate_filename(instance, name.rsplit("/", 1)[-1])
                with default_storage.open(name, "rb") as source:
                    new_name = private.save(new_name, source)
                model._default_manager.filter(pk=pk).update(**{field.attname: new_name})
                default_storage.delete(name)
                moved += 1
        self.stdout.write(f"{moved} files moved to private storage, {missing} missing.")
