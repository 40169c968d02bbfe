"""The page mixins of the four audiences: the same predicate as the API bases.

Every page view of both sites derives from exactly one of :class:`RegionStaffRequiredMixin`,
:class:`CitizenRequiredMixin`, :class:`PublicPageMixin`, :class:`SuperadminRequiredMixin`
(listed before Django's view classes); a function view is wrapped by :func:`gated_view`. The
gate runs in ``as_view``, before the view's own ``dispatch``, so a page may override ``dispatch``
and still never run for someone the gate refuses.

Refusals: anonymous visitors are sent to sign in (a POST is kept, ``formstash``); anyone else
the audience does not include gets 404; a suspended region's staff get the suspension page (403);
a device page (the kiosk) shows the device's own refusal page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import classonlymethod
from django.utils.translation import gettext as _

from shared.access.gate import Gated
from shared.access.policy import AUDIENCE_HOSTS, Audience, Host, Refusal, Rule, refusal


def refused_page(request: HttpRequest, rule: Rule, answer: Refusal) -> HttpResponse:
    """The answer a page gives for a refusal (one place for every page of both sites)."""
    if answer is Refusal.SIGN_IN:
        if request.method == "POST":
            from shared.citizens.formstash import stash_and_sign_in

            return stash_and_sign_in(request)
        return redirect_to_login(request.get_full_path())
    if answer is Refusal.SUSPENDED:
        return region_suspended_for_staff(request)
    if answer is Refusal.NOT_A_DEVICE and rule.device is not None and rule.device.refused_template:
        return render(request, rule.device.refused_template, status=403)
    raise Http404(_("Tidak ditemukan."))


def region_suspended_for_staff(request: HttpRequest) -> HttpResponse:
    """A suspended region keeps its data but its staff are refused (onboarding)."""
    return render(request, "onboarding/staff_suspended.html", status=403)


def _gate(view: Callable[..., HttpResponse], rule: Rule) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        answer = refusal(request, rule)
        if answer is not None:
            return refused_page(request, rule, answer)
        return view(request, *args, **kwargs)

    gated.access_rule = rule  # type: ignore[attr-defined]
    return gated


class GatedPage(Gated):
    """What the four page mixins share; not a base for views itself."""

    _is_gate = True

    @classonlymethod
    def as_view(cls, **initkwargs: Any) -> Any:
        view = super().as_view(**initkwargs)  # type: ignore[misc]
        gated = _gate(view, cls.access_rule)
        gated.view_class = view.view_class  # type: ignore[attr-defined]
        gated.view_initkwargs = view.view_initkwargs  # type: ignore[attr-defined]
        return gated


class RegionStaffRequiredMixin(GatedPage):
    """Pages for this region's staff with one of ``allowed_roles`` (``write_roles`` for POST)."""

    _is_gate = True
    audience = Audience.REGION_STAFF


class CitizenRequiredMixin(GatedPage):
    """Pages for any signed-in account, on a region's host unless ``host`` says otherwise."""

    _is_gate = True
    audience = Audience.CITIZEN


class PublicPageMixin(GatedPage):
    """Pages for everyone, on a region's host unless ``host`` says otherwise (``device``: only
    a registered device of this region, or its staff)."""

    _is_gate = True
    audience = Audience.PUBLIC


class SuperadminRequiredMixin(GatedPage):
    """Pages for KemenPANRB superadmins, on the national site."""

    _is_gate = True
    audience = Audience.SUPERADMIN


def gated_view(
    audience: Audience,
    *,
    host: Host | None = None,
    roles: tuple[str, ...] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The gate for a function view (ours, or a third-party one in a URL configuration)."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        kwargs: dict[str, Any] = {}
        if roles is not None:
            kwargs["roles"] = roles
        rule = Rule(audience=audience, host=host or AUDIENCE_HOSTS[audience][0], **kwargs)
        return _gate(view, rule)

    return wrap


def public_view(*, host: Host = Host.REGION) -> Callable[..., Any]:
    return gated_view(Audience.PUBLIC, host=host)


def citizen_view(*, host: Host = Host.REGION) -> Callable[..., Any]:
    return gated_view(Audience.CITIZEN, host=host)


def superadmin_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return gated_view(Audience.SUPERADMIN)(view)


__all__ = [
    "CitizenRequiredMixin",
    "PublicPageMixin",
    "RegionStaffRequiredMixin",
    "SuperadminRequiredMixin",
    "citizen_view",
    "gated_view",
    "public_view",
    "refused_page",
    "region_suspended_for_staff",
    "superadmin_view",
]
