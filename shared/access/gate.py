"""What makes a view belong to exactly one audience, checked when its module is imported.

Every API base and page mixin of ``shared.access`` derives from :class:`Gated`. A subclass
declares its audience only through the data the predicate reads (``allowed_roles``,
``write_roles``, ``host``, ``device``, ``write_audience``); redefining a method or attribute that
decides access (``permission_classes``, ``dispatch`` of the gate, ``as_view`` …) raises
:class:`GateOverride` at import. An exception to that is an attribute named ``dangerously_*``
whose value is the reason, so every one of them can be grepped and is listed by the isolation test.
"""

from __future__ import annotations

from typing import Any, ClassVar

from shared.access.policy import AUDIENCE_HOSTS, Audience, Device, Host, Rule
from shared.accounts.models import STAFF_ROLES


class GateOverride(TypeError):
    """A view tried to decide access another way than through its audience's gate."""


class Gated:
    """Base of the four audiences' API bases and page mixins (see ``shared.access.policy``)."""

    request: Any  # the view's request (Django's or DRF's), for type checking

    # What a view declares (plain class attributes, so a view sets them without annotations).
    audience: Audience
    host: Host | None = None  # None: the audience's default host
    allowed_roles: tuple[str, ...] = STAFF_ROLES
    write_roles: tuple[str, ...] | None = None
    device: Device | None = None
    write_audience: Audience | None = None
    access_rule: Rule

    # Names a view may not define itself: they decide access. Extended per kind (API, page).
    gate_names: ClassVar[frozenset[str]] = frozenset({"access_rule", "audience", "as_view"})
    # Set by the classes of shared.access that implement a gate; nobody else.
    _is_gate: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        is_gate = cls.__dict__.get("_is_gate", False)
        if not is_gate:
            overridden = sorted(cls.gate_names & set(cls.__dict__))
            if overridden:
                raise GateOverride(
                    f"{cls.__module__}.{cls.__qualname__} redefines {', '.join(overridden)}: "
                    "access is decided by its audience's gate (shared.access); declare "
                    "allowed_roles/write_roles/host/device, or name an exception dangerously_*"
                )
            shadowed = sorted(
                name
                for name in cls.gate_names - {"access_rule"}
                if _defined_by_gate_further_down(cls, name)
            )
            if shadowed:
                raise GateOverride(
                    f"{cls.__module__}.{cls.__qualname__}: a base listed before the audience's "
                    f"gate redefines {', '.join(shadowed)}; list the shared.access base first"
                )
            for name, value in cls.__dict__.items():
                if name.startswith("dangerously_") and not (isinstance(value, str) and value):
                    raise GateOverride(
                        f"{cls.__qualname__}.{name} must be a non-empty string saying why"
                    )
        audiences = {
            base.__dict__["audience"]
            for base in cls.__mro__
            if isinstance(base.__dict__.get("audience"), Audience)
        }
        if len(audiences) > 1:
            raise GateOverride(
                f"{cls.__qualname__} derives from more than one audience: {sorted(audiences)}"
            )
        if audiences:
            (audience,) = audiences
            cls.access_rule = Rule(
                audience=audience,
                host=cls.host or AUDIENCE_HOSTS[audience][0],
                roles=tuple(cls.allowed_roles),
                write_roles=None if cls.write_roles is None else tuple(cls.write_roles),
                device=cls.device,
                write_audience=cls.write_audience,
            )


def _defined_by_gate_further_down(cls: type, name: str) -> bool:
    """Whether ``name`` resolves to a class that is not a gate while a gate defines it later in
    the MRO (a base listed before the audience's mixin would silently replace the gate)."""
    owners = [klass for klass in cls.__mro__ if name in klass.__dict__]
    if not owners:
        return False
    first_is_gate = bool(owners[0].__dict__.get("_is_gate", False))
    return not first_is_gate and any(k.__dict__.get("_is_gate", False) for k in owners[1:])


def dangerous_exceptions(view_class: type) -> dict[str, str]:
    """The ``dangerously_*`` attributes of a view class, with their reasons."""
    return {
        name: getattr(view_class, name)
        for name in dir(view_class)
        if name.startswith("dangerously_") and isinstance(getattr(view_class, name), str)
    }
