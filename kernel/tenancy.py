"""The typed tenant connection and region request.

``connection`` is Django's default connection, typed as what it is in this project: django-tenants'
PostgreSQL wrapper (``set_tenant``, ``set_schema``, ``set_schema_to_public``, ``schema_name``). The
same object as ``django.db.connection``; only the static type differs."""

from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from django.db import connection as _connection
from django.http import HttpRequest

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

connection = cast("DatabaseWrapper", _connection)


@runtime_checkable
class Actor(Protocol):
    """Who does something (``actor=`` of every mutating service): a signed-in user, or an
    anonymous one (a kiosk, a public form), or None for the system itself."""

    pk: Any

    @property
    def is_authenticated(self) -> bool: ...


class RegionRequest(HttpRequest):
    """A request as the routing middleware leaves it (for type checking only: the object is
    the plain ``HttpRequest``). On the national site ``tenant`` and ``region`` are None."""

    tenant: Any  # shared.regions.models.Mpp | None (the kernel imports no app)
    region: Any  # shared.regions.models.Region | None
    membership: Any  # the staff member's Membership of this region, set by the access gate
    device: Any  # a device credential's object (the kiosk), set by the access gate
    kiosk: Any
    unknown_site: bool


def region_request(request: HttpRequest) -> RegionRequest:
    return cast(RegionRequest, request)
