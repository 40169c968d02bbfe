"""The S3-compatible backend of the private storage (django-storages), imported only when
``MPP_STORAGE=s3`` selects it, so the filesystem setup never loads boto3."""

from storages.backends.s3 import S3Storage

from kernel.files import NoUrlMixin


class PrivateS3Storage(NoUrlMixin, S3Storage):
    """A private bucket (or a prefix of one); objects are read and written by the platform only."""
