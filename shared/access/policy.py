"""Who may do this here: the one predicate behind every view of both sites.

Four audiences, and each view belongs to exactly one (``shared.access.api`` for the API bases,
``shared.access.pages`` for the page mixins; both call :func:`refusal`):

- ``REGION_STAFF``: a member of *this* region with one of the view's roles (host, membership,
  role, suspension). National superadmins pass, so KemenPANRB can support a region. What a staff
  member then sees inside the region is narrowed by the booth scope
  (``tenants.mpp.access.booth_scope``).
- ``CITIZEN``: any signed-in account (one account for every region; citizens are not members).
- ``PUBLIC``: everyone, or, for a view that names a ``device`` (the kiosk), a registered device
  of this region or this region's staff.
- ``SUPERADMIN``: a KemenPANRB national superadmin, on the national site.

A view may let another audience write than read (``write_audience``, the national catalogue:
everyone reads, superadmins write) and other roles write than read (``write_roles``); both are
declared on the view, and both are decided here.

A suspended region keeps its public site (with the notice) and its citizens, but its staff and
its kiosks are refused everywhere.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from shared.accounts.models import STAFF_ROLES
from shared.accounts.selectors import membership_for

if TYPE_CHECKING:
    from django.http import HttpRequest

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Audience(enum.StrEnum):
    REGION_STAFF = "region_staff"
    CITIZEN = "citizen"
    PUBLIC = "public"
    SUPERADMIN = "superadmin"


class Host(enum.StrEnum):
    REGION = "region"  # a region's site (<slug>.<base domain>)
    NATIONAL = "national"  # the bare base domain
    ANY = "any"  # both (accounts, the citizen's profile, the national catalogue)


# Where each audience may be served; the first is the default.
AUDIENCE_HOSTS: dict[Audience, tuple[Host, ...]] = {
    Audience.REGION_STAFF: (Host.REGION,),
    Audience.CITIZEN: (Host.REGION, Host.ANY, Host.NATIONAL),
    Audience.PUBLIC: (Host.REGION, Host.ANY, Host.NATIONAL),
    Audience.SUPERADMIN: (Host.NATIONAL,),
}


class Refusal(enum.Enum):
    HIDDEN = "hidden"  # nothing here for you: 404 (wrong host, another region, not a member)
    SIGN_IN = "sign_in"  # anonymous where an account is needed
    NOT_PERMITTED = "not_permitted"  # signed in, but not a superadmin (national endpoints)
    SUSPENDED = "suspended"  # this region is suspended: its staff and kiosks are refused
    NOT_A_DEVICE = "not_a_device"  # a device view, and neither a registered device nor staff


@dataclass(frozen=True)
class Device:
    """A device credential a public view accepts instead of a staff sign-in (the kiosk).

    ``identify(request)`` returns the device (and may record that it was seen) or None; the gate
    keeps it on ``request.device``. ``refused_template`` is the page shown to anyone else.
    """

    name: str
    identify: Callable[[Any], Any]
    refused_template: str = ""


@dataclass(frozen=True)
class Rule:
    audience: Audience
    host: Host
    roles: tuple[str, ...] = STAFF_ROLES  # REGION_STAFF: roles that may read (and write)
    write_roles: tuple[str, ...] | None = None  # REGION_STAFF: roles that may write, if fewer
    device: Device | None = None  # PUBLIC: a registered device of this region, or its staff
    write_audience: Audience | None = None  # who writes, when not the readers (catalogue)

    def __post_init__(self) -> None:
        if self.host not in AUDIENCE_HOSTS[self.audience]:
            raise ValueError(f"{self.audience} is not served on host {self.host}")
        if self.device is not None and (self.audience, self.host) != (
            Audience.PUBLIC,
            Host.REGION,
        ):
            raise ValueError("a device credential belongs to a public view on a region's host")

    def for_method(self, method: str) -> Rule:
        """The rule a request with ``method`` must pass."""
        if method in SAFE_METHODS:
            return self
        if self.write_audience is not None and self.write_audience != self.audience:
            return Rule(audience=self.write_audience, host=AUDIENCE_HOSTS[self.write_audience][0])
        if self.write_roles is not None:
            return replace(self, roles=self.write_roles, write_roles=None)
        return self


def _host_matches(request: HttpRequest, host: Host) -> bool:
    on_region = getattr(request, "region", None) is not None
    if host is Host.REGION:
        return on_region
    if host is Host.NATIONAL:
        return not on_region
    return True


def _staff_refusal(request: HttpRequest, roles: tuple[str, ...]) -> Refusal | None:
    user: Any = request.user
    if not user.is_authenticated:
        return Refusal.SIGN_IN
    if user.is_superadmin:
        return None
    region = request.region  # type: ignore[attr-defined]
    membership = membership_for(user, region)
    if membership is None or membership.role not in roles:
        return Refusal.HIDDEN
    if request.tenant.is_suspended:  # type: ignore[attr-defined]
        return Refusal.SUSPENDED
    request.membership = membership  # type: ignore[attr-defined]
    return None


def refusal(request: HttpRequest, rule: Rule) -> Refusal | None:
    """Why ``request`` may not use a view with ``rule``, or None when it may.

    The one predicate: host, sign-in, membership, role, suspension, device. It records what it
    found on the request (``membership`` for staff, ``device`` for a device view).
    """
    rule = rule.for_method(request.method or "GET")
    if not _host_matches(request, rule.host):
        return Refusal.HIDDEN
    user: Any = request.user
    if rule.audience is Audience.PUBLIC:
        if rule.device is None:
            return None
        tenant = request.tenant  # type: ignore[attr-defined]
        request.device = rule.device.identify(request)  # type: ignore[attr-defined]
        if request.device is not None:  # type: ignore[attr-defined]
            return Refusal.SUSPENDED if tenant.is_suspended else None
        if not user.is_authenticated:
            return Refusal.NOT_A_DEVICE
        staff = _staff_refusal(request, rule.roles)
        return Refusal.NOT_A_DEVICE if staff in (Refusal.HIDDEN, Refusal.SIGN_IN) else staff
    if not user.is_authenticated:
        return Refusal.SIGN_IN
    if rule.audience is Audience.CITIZEN:
        return None
    if rule.audience is Audience.SUPERADMIN:
        return None if user.is_superadmin else Refusal.NOT_PERMITTED
    return _staff_refusal(request, rule.roles)


def is_region_staff(request: HttpRequest, roles: tuple[str, ...] = STAFF_ROLES) -> bool:
    """Whether the requester is staff of this region with one of ``roles`` (for what a page
    shows, e.g. links to the console; never instead of a view's gate)."""
    if getattr(request, "region", None) is None:
        return False
    return _staff_refusal(request, roles) is None
