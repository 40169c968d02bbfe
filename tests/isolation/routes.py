"""Every route of both URL configurations, with its audience, and how to point it at an object.

Generic on purpose: a route added later (complaints, survey, monitoring …) is walked without
anyone listing it. Two things a new route may need here, and the tests say so when it does:
its audience (declared on the view, ``shared.access``), and, when its URL takes an id, which
object of a region's world that id stands for (``OBJECTS`` below).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shared.access.policy import Rule

NATIONAL = "mpp_platform.urls_national"
REGIONAL = "mpp_platform.urls_regional"
API_METHODS = ("get", "post", "put", "patch", "delete")
PAGE_METHODS = ("get", "post")


@dataclass(frozen=True)
class Route:
    conf: str
    name: str  # namespaced URL name
    pattern: str
    kwargs: tuple[str, ...]
    view: Any  # the callback
    view_class: type | None
    namespaces: tuple[str, ...]

    @property
    def rule(self) -> Rule | None:
        if self.view_class is not None and hasattr(self.view_class, "access_rule"):
            return self.view_class.access_rule
        return getattr(self.view, "access_rule", None)

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/") or hasattr(self.view, "cls")

    @property
    def methods(self) -> tuple[str, ...]:
        return API_METHODS if self.is_api else PAGE_METHODS

    def supports_get(self) -> bool:
        actions = getattr(self.view, "actions", None)
        if actions is not None:
            return "get" in actions
        if self.view_class is not None:
            return hasattr(self.view_class, "get")
        return True

    def url(self, kwargs: dict[str, Any]) -> str:
        return reverse(self.name, urlconf=self.conf, kwargs=kwargs or None)


def _walk(patterns, prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[Route]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            pattern = prefix + str(p.pattern)
            kwargs = tuple(a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", pattern))
            callback = p.callback
            view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
            name = ":".join((*namespaces, p.name)) if p.name else ""
            yield Route(
                conf="",
                name=name,
                pattern=pattern,
                kwargs=kwargs,
                view=callback,
                view_class=view_class,
                namespaces=namespaces,
            )


def all_routes(conf: str) -> list[Route]:
    out = []
    for route in _walk(get_resolver(conf).url_patterns):
        if "format" in route.kwargs:  # DRF's format-suffix twins of routes walked already
            continue
        out.append(Route(**{**route.__dict__, "conf": conf}))
    return out


def own_gate_reason(route: Route) -> str | None:
    """The declared reason when ``route`` keeps its own gate (urls_*.DANGEROUSLY_OWN_GATE)."""
    import importlib

    declared = getattr(importlib.import_module(route.conf), "DANGEROUSLY_OWN_GATE", {})
    for namespace in route.namespaces:
        if namespace in declared:
            return declared[namespace]
    return None


# --- what an id in a URL stands for ---------------------------------------------------------------
# (route-name regex, kwarg) -> world -> value. The first match wins; ``*`` matches any route.
Filler = Callable[[Any], Any]
OBJECTS: list[tuple[str, str, Filler]] = [
    # applications
    (r"\*", "application_id", lambda w: w.application.pk),
    (r"\*", "file_id", lambda w: w.result.pk),
    (r"\*", "requirement_id", lambda w: w.requirement.pk),
    (r"\*", "profile_id", lambda w: w.walk_in.pk),
    (r"\*", "document_id", lambda w: w.document.pk),
    (r"^queue:book$", "offering_id", lambda w: w.queue_offering.pk),
    (r"\*", "offering_id", lambda w: w.offering.pk),
    (r"^applications:staff_action$", "action", lambda w: "verify"),
    (r"verify$", "token", lambda w: w.application.public_token),
    # queue
    (r"booking", "code", lambda w: w.booking.code),
    (r"^api-queue-slots$", "pk", lambda w: w.queue_offering.pk),
    (r"^api-queue-counter", "pk", lambda w: w.counter.pk),
    (r"^api-queue-counter-action$", "action", lambda w: "call-next"),
    (r"^queue:(desk|desk_data)$", "pk", lambda w: w.counter.pk),
    (r"^queue:kiosk_ticket$", "pk", lambda w: w.ticket.pk),
    (r"^queue:kiosk_setup$", "token", lambda w: w.kiosk_token),
    (r"^queue:kiosk_revoke$", "pk", lambda w: w.kiosk.pk),
    (r"^queue:offering_config$", "pk", lambda w: w.queue_offering.pk),
    # the region's console and admin API
    (r"booth", "pk", lambda w: w.booth.pk),
    (r"closure", "pk", lambda w: w.closure.pk),
    (r"local", "pk", lambda w: w.offering.pk),
    (r"offering", "pk", lambda w: w.offering.pk),
    (r"counter", "pk", lambda w: w.counter.pk),
    (r"staff", "pk", lambda w: w.membership.pk),
    (r"announcement", "pk", lambda w: w.announcement.pk),
    (r"^webhook-", "pk", lambda w: w.webhook.pk),
    (r"^mpp:offering$|public-offering", "code", lambda w: w.offering.code),
    # survey: the invitation of the world's completed application, a follow-up plan row
    (r"^survey:(respond|thanks)$", "token", lambda w: w.survey_token),
    (r"^survey:follow_up_delete$", "pk", lambda w: w.follow_up.pk),
    # accounts: tokens of nobody (these pages answer "link invalid" to everyone)
    (r"^accounts:verify_email$", "token", lambda w: "token-tidak-sah"),
    (r"^accounts:password_reset_confirm$", "uidb64", lambda w: "MQ"),
    (r"^accounts:password_reset_confirm$", "token", lambda w: "set-password"),
    # national data (not a region's): the catalogue and onboarding
    (r"^catalogue-service", "pk", lambda w: w.national.service.pk),
    (r"^catalogue-service-version$", "number", lambda w: 1),
    (r"^catalogue-agency", "pk", lambda w: w.national.agency.pk),
    (r"^catalogue-document-type", "pk", lambda w: w.national.document_type.pk),
    (r"^catalogue-(category|life-event)", "pk", lambda w: 1),
    (r"^catalogue:(service|service-history)$", "code", lambda w: w.national.service.code),
    (r"^catalogue:agency$", "code", lambda w: w.national.agency.code),
    (r"onboarding", "code", lambda w: w.region.code),
    (r"onboarding", "action", lambda w: "suspend"),
    (r"^onboarding:action$", "slug", lambda w: "suspend"),
    (r"onboarding", "pk", lambda w: 1),
    (r"\*", "complaint_id", lambda w: w.complaint.pk),
    (r"\*", "attachment_id", lambda w: w.complaint_attachment.pk),
    (r"^complaints:staff_action$", "action", lambda w: "verify"),
    (r"\*", "fmt", lambda w: "csv"),
    # the yearly evaluation: the period is national, its evidence the region's
    (r"\*", "period_id", lambda w: w.period.pk),
    (r"^monitoring:", "code", lambda w: w.region.code),
    (
        r"^(region_monitoring:evidence|monitoring:evaluation_evidence)$",
        "pk",
        lambda w: w.evidence.pk,
    ),
    (r"^monitoring:evaluation", "pk", lambda w: w.period.pk),
    # A token of nobody (tokens are a person's, not a region's): refused to everyone.
    (r"^(api-auth-token|accounts:device_sign_out)$", "token_id", lambda w: "tidak-ada"),
]

PLACEHOLDER = re.compile(r"^(api-auth-token|accounts:device_sign_out)$")

# Routes whose ids are national data or nobody's token, not a region's object.
# An evaluation period is national: each region's admin opens their own region's evaluation of it.
NOT_REGIONAL = re.compile(
    r"^(catalogue[-:]|accounts:|onboarding:|api-onboarding"
    r"|region_monitoring:evaluation(_report)?$)"
)


def points_at_region_object(route: Route) -> bool:
    # A format suffix (ekspor.csv) names no object.
    ids = [k for k in route.kwargs if k != "fmt"]
    return bool(ids) and not NOT_REGIONAL.search(route.name)


# Routes whose id points at a region's booth-scoped object (an operator of another booth must
# get 404 there, like an outsider).
BOOTH_SCOPED = re.compile(
    r"^(applications:(staff_|counter_edit|counter_receipt)|api-staff-application|api-counter-submit"
    r"|api-queue-counter|queue:desk)"
)


class MissingFiller(LookupError):
    pass


def fill(route: Route, world: Any) -> dict[str, Any]:
    """The URL kwargs pointing at ``world``'s objects."""
    kwargs = {}
    for kwarg in route.kwargs:
        for name_re, key, filler in OBJECTS:
            if key == kwarg and (name_re == r"\*" or re.search(name_re, route.name)):
                kwargs[kwarg] = filler(world)
                break
        else:
            raise MissingFiller(
                f"{route.name} ({route.pattern}): say in tests/isolation/routes.py OBJECTS which "
                f"object its <{kwarg}> stands for"
            )
    return kwargs
