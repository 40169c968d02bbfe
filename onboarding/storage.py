"""Private file storage: under ``settings.PRIVATE_STORAGE_ROOT``, never under a public URL.

The location is read from settings on every use (not frozen at import), so a test that points
PRIVATE_STORAGE_ROOT at a temporary folder really writes there.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="onboarding.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a checked view")


private_storage = PrivateStorage()


def document_upload_to(instance, filename: str) -> str:
    """A random name: the original name is kept in the row, never in the path."""
    import uuid

    from django.utils import timezone

    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return f"onboarding/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix[:10]}"
