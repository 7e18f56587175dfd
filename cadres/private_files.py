"""Personal files — certificates, their ZIP exports, uploaded rosters — are never public.

They live in the ``private`` storage (``STORAGES["private"]``): locally a folder
outside ``MEDIA_ROOT`` (``PRIVATE_MEDIA_ROOT``) that no URL maps to; on S3 private
objects reached only through short presigned URLs. Their names are random tokens,
never a unit, a holder or a date. A view that has already checked the user with a
scoped selector hands the file over with :func:`private_file_response`:

- ``PRIVATE_MEDIA_SERVE = "django"``: Django streams it (``FileResponse``);
- ``PRIVATE_MEDIA_SERVE = "nginx"``: Django answers with ``X-Accel-Redirect`` and
  the web server sends the file from an ``internal`` location (see README);
- S3 (``AWS_STORAGE_BUCKET_NAME`` set): a redirect to a presigned URL valid
  ``PRIVATE_MEDIA_URL_SECONDS``.
"""

import secrets
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header


def private_storage() -> Storage:
    """The storage of every personal file (a callable, so fields follow the settings)."""
    return storages["private"]


@deconstructible(path="cadres.private_files.TokenName")
class TokenName:
    """``upload_to`` giving ``<folder>/<random token><extension>``: a name nobody can guess."""

    def __init__(self, folder: str, extension: str = ""):
        self.folder = folder
        self.extension = extension

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{secrets.token_urlsafe(32)}{self.extension}"

    def __eq__(self, other) -> bool:
        return isinstance(other, TokenName) and (self.folder, self.extension) == (
            other.folder,
            other.extension,
        )

    def __hash__(self) -> int:
        return hash((self.folder, self.extension))


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside ``MEDIA_ROOT`` (``PRIVATE_MEDIA_ROOT``) with no URL at all."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError("A private file has no URL; serve it with private_file_response().")


def _is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name")


def private_file_response(
    storage: Storage,
    name: str,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool = True,
) -> HttpResponse:
    """Hand a private file to a user the calling view has already checked."""
    disposition = content_disposition_header(as_attachment, filename)
    if _is_s3(storage):
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=settings.PRIVATE_MEDIA_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
    elif settings.PRIVATE_MEDIA_SERVE == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = disposition
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["Cache-Control"] = "private, no-store"
    return response


@checks.register(checks.Tags.security)
def private_media_check(app_configs=None, **kwargs) -> list:
    """Private files inside MEDIA_ROOT would be public again under /media/."""
    errors = []
    if settings.PRIVATE_MEDIA_SERVE not in ("django", "nginx"):
        errors.append(
            checks.Error("PRIVATE_MEDIA_SERVE must be 'django' or 'nginx'.", id="cadres.E001")
        )
    if not _is_s3(private_storage()):
        private = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        public = Path(settings.MEDIA_ROOT).resolve()
        if private == public or private.is_relative_to(public):
            errors.append(
                checks.Error(
                    "PRIVATE_MEDIA_ROOT is inside MEDIA_ROOT: personal files would be public.",
                    hint="Set PRIVATE_MEDIA_ROOT to a folder outside MEDIA_ROOT.",
                    id="cadres.E002",
                )
            )
    return errors
