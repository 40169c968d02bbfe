"""Django's default connection, typed as what it is here: django-tenants' PostgreSQL wrapper
(``schema_name``, ``set_tenant``, ``set_schema_to_public``). The same object as
``django.db.connection``; only the static type differs."""

from typing import TYPE_CHECKING, cast

from django.db import connection as _connection

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

connection = cast("DatabaseWrapper", _connection)
