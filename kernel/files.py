"""Private files: one storage shared by every replica, and one place that decides where a file goes.

Every file the platform keeps (vault documents, application files and results, onboarding
documents, offboarding archives) goes through the ``"private"`` alias of Django's ``STORAGES``,
which settings configure from the environment: a filesystem every web and worker process mounts
at the same path (``make run``; a ReadWriteMany volume in the chart) or S3-compatible object
storage (django-storages). Nothing is ever served from it by URL: views check access and stream.

Paths are ``<prefix><what>/…`` where the prefix is derived from a schema name by
:func:`file_prefix` alone: ``regions/<schema>/`` for everything a region's own tables own, and
``national/`` for the shared schema. Offboarding archives and then deletes exactly a region's
prefix (plus any file its tables reference elsewhere), so no writer may build a path by hand.
"""

import uuid
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

from kernel.schemas import PUBLIC_SCHEMA, validate_schema_name

PRIVATE = "private"


def file_prefix(schema_name: str) -> str:
    """The folder every file owned by ``schema_name`` lives under (with a trailing slash).
    Raises ValueError (InvalidSchemaName) for anything that is not a schema of ours."""
    if schema_name == PUBLIC_SCHEMA:
        return "national/"
    return f"regions/{validate_schema_name(schema_name)}/"


def private_path(schema_name: str, *parts: object, suffix: str = "") -> str:
    """A fresh, random file name under the schema's prefix: ``<prefix>a/b/<uuid><suffix>``.

    The uploader's own file name never reaches the storage (it is kept in the row)."""
    folder = "/".join(str(p).strip("/") for p in parts if str(p).strip("/"))
    name = f"{uuid.uuid4().hex}{suffix}"
    return file_prefix(schema_name) + (f"{folder}/{name}" if folder else name)


def extension_for(content_type: str) -> str:
    """The file suffix for a checked content type (never taken from the uploaded name)."""
    return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(
        content_type, ".bin"
    )


class NoUrlMixin:
    """Private files have no URL: a template or serializer that tries to link one fails loudly
    instead of exposing a path (or a presigned object-storage link)."""

    def url(self, name: str | None, *args: object, **kwargs: object) -> str:
        raise ValueError("Private files have no URL; serve them through an access-checked view.")


class PrivateFileSystemStorage(NoUrlMixin, FileSystemStorage):
    """A directory every web and worker replica mounts at the same path."""


class _PrivateStorage(LazyObject):
    """``storages["private"]``, resolved on first use, so that a FileField can name it at import
    time and a changed ``STORAGES`` setting (tests) is followed."""

    _wrapped: object

    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE]


_private = _PrivateStorage()


def private_storage() -> Storage:
    """The shared private storage. Also the ``storage=`` callable of every private FileField
    (a callable, so migrations name this function instead of a backend class)."""
    return _private  # type: ignore[return-value]


@receiver(setting_changed)
def _follow_storages_setting(*, setting: str, **kwargs: object) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty


def walk(storage: Storage, prefix: str) -> Iterator[str]:
    """Every file name under ``prefix`` (recursive), for filesystem and object storage alike."""
    try:
        dirs, files = storage.listdir(prefix.rstrip("/"))
    except FileNotFoundError:
        return
    base = prefix.rstrip("/") + "/"
    for name in sorted(files):
        yield base + name
    for sub in sorted(dirs):
        yield from walk(storage, base + sub)


def prune_folders(storage: Storage, prefix: str) -> None:
    """Remove the empty folders left under ``prefix`` (a filesystem keeps them after their files
    are deleted; object storage has no folders)."""
    if not isinstance(storage, FileSystemStorage):
        return
    root = Path(storage.path(prefix.rstrip("/")))
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        with suppress(OSError):  # not empty: something new was written there
            folder.rmdir()
    with suppress(OSError):
        root.rmdir()
