"""Private file storage: documents live under ``settings.PRIVATE_STORAGE_ROOT`` and have no URL.

They are only ever served by views that check access first (``shared.citizens.views`` for the
owner, ``tenants.applications`` for staff of the region the document was submitted to).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """FileSystemStorage rooted at PRIVATE_STORAGE_ROOT, read at use time (tests override it)."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through an access-checked view.")

    def deconstruct(self):
        return ("shared.citizens.storage.PrivateStorage", (), {})


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
