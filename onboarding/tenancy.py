"""Django's default connection, typed as what it is in this project: django-tenants' PostgreSQL
wrapper (``set_tenant``, ``set_schema``, ``set_schema_to_public``, ``schema_name``). The same
object as ``django.db.connection``; only the static type differs."""

from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

connection = cast("DatabaseWrapper", _connection)
