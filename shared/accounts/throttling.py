"""Throttling of everything an attacker would guess at: passwords, sign-ups, reset mails, codes.

Counted once for the whole platform, never per region host: django-axes keeps sign-in failures
in public tables, and the other counters live in the ``throttle`` cache alias, whose keys carry
no schema name. Counters are incremented atomically (a database row update with ``F()`` for
axes; Redis ``INCR`` through django-ratelimit for the rest), and counted *before* the check, so
concurrent guesses cannot slip past a limit together.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage
from rest_framework import status
from rest_framework.throttling import BaseThrottle

from kernel.errors import DomainError
from shared.accounts.models import normalize_phone


class ThrottledError(DomainError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "throttled"


# --- who is asking ------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address as the platform's own proxies saw it.

    With ``MPP_TRUSTED_PROXY_COUNT`` proxies in front (the ingress), the client is the entry that
    many places from the right of X-Forwarded-For; anything further left was sent by the client
    and could be forged. Without proxies, REMOTE_ADDR is the client.
    """
    remote = request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104 - a placeholder, not a bind
    count = settings.MPP_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    candidate = hops[-count] if len(hops) >= count else hops[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def axes_client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def client_ip_for_ratelimit(request: HttpRequest) -> str:
    return client_ip(request)


def account_key(identifier: str | None) -> str:
    """One spelling per account: e-mail lower-cased, phone numbers in E.164.

    ``0812-3456-7890`` and ``+6281234567890`` are one account, so a guesser gains nothing by
    alternating spellings.
    """
    value = (identifier or "").strip()
    if not value:
        return ""
    if "@" in value:
        return value.lower()
    return normalize_phone(value) or value.lower()


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    raw = (credentials or {}).get("username") or request.POST.get("username") or ""
    return account_key(raw)


# --- sign-in: django-axes -----------------------------------------------------------------------


class PlatformAxesHandler(AxesDatabaseHandler):
    """Axes' database handler (public tables, so one count for every host) with two limits.

    The account locks after ``AXES_FAILURE_LIMIT`` failures; the address after
    ``MPP_SIGNIN_FAILURES_PER_IP``, higher because one address is often many people (a mobile
    carrier's NAT, an office). Axes compares one number against one limit, so the address's
    failures are scaled to the account's limit.
    """

    def get_failures(self, request, credentials=None) -> int:
        per_parameter = [
            _sum_failures(attempts) for attempts in self.get_user_attempts(request, credentials)
        ]
        limits = _limits()
        account_limit = settings.AXES_FAILURE_LIMIT
        scaled = [
            math.floor(failures * account_limit / limit)
            for failures, limit in zip(per_parameter, limits, strict=True)
        ]
        return max(scaled, default=0)


def _limits() -> list[int]:
    by_parameter = {
        "username": settings.AXES_FAILURE_LIMIT,
        "ip_address": settings.MPP_SIGNIN_FAILURES_PER_IP,
    }
    return [
        by_parameter.get(p, settings.AXES_FAILURE_LIMIT) if isinstance(p, str) else 1
        for p in settings.AXES_LOCKOUT_PARAMETERS
    ]


def _sum_failures(attempts) -> int:
    from django.db.models import Sum

    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, akun ini dan alamat jaringan "
        "Anda dikunci sementara selama %(minutes)d menit. Coba lagi nanti, atau atur ulang kata "
        "sandi lewat “Lupa kata sandi?”."
    ) % {"minutes": lockout_minutes()}


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")


def lockout_response(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What axes answers once an account or address is locked: 429 with a clear message."""
    message = lockout_message()
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if _wants_json(request):
        locked: HttpResponse = JsonResponse(
            {"detail": message, "code": "locked_out"}, status=status.HTTP_429_TOO_MANY_REQUESTS
        )
    else:
        locked = render(
            request,
            "accounts/locked_out.html",
            {"message": message},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    locked["Retry-After"] = retry_after
    return locked


def on_locked_out(*, request, username: str | None, ip_address: str | None) -> None:
    """One audit entry per locked account and per locked address (axes signals every refused
    try while locked; the entry says which limit was reached)."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    window = settings.AXES_COOLOFF_TIME
    since = timezone.now() - window
    checks = (
        ("account", "username", username, settings.AXES_FAILURE_LIMIT),
        ("ip", "ip_address", ip_address, settings.MPP_SIGNIN_FAILURES_PER_IP),
    )
    for kind, field, value, limit in checks:
        if not value:
            continue
        failures = _sum_failures(
            AccessAttempt.objects.filter(**{field: value, "attempt_time__gte": since})
        )
        if failures < limit:
            continue
        if caches["throttle"].add(f"audited:signin:{kind}:{value}", 1, int(window.total_seconds())):
            security_audit(
                request,
                action="accounts.sign_in.locked_out",
                data={"by": kind, "account": username or "", "ip": ip_address or ""},
            )


# --- the other guessable actions: django-ratelimit counters -------------------------------------


@dataclass(frozen=True)
class Scope:
    per_ip: str | None  # django-ratelimit rate, e.g. "10/h"
    per_account: str | None
    message: object  # lazy translation


SCOPES: dict[str, Scope] = {
    "sign_up": Scope(
        per_ip="10/h",
        per_account=None,
        message=gettext_lazy(
            "Terlalu banyak pendaftaran akun dari jaringan Anda. Coba lagi dalam satu jam."
        ),
    ),
    "password_reset": Scope(
        per_ip="10/h",
        per_account="5/h",
        message=gettext_lazy(
            "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi dalam satu jam."
        ),
    ),
    "claim_code": Scope(
        per_ip="30/h",
        per_account="10/h",
        message=gettext_lazy("Terlalu banyak percobaan klaim. Coba lagi dalam satu jam."),
    ),
    # One-time codes and links: e-mail verification, counter consent codes, phone codes.
    "one_time_code": Scope(
        per_ip="30/h",
        per_account="10/h",
        message=gettext_lazy("Terlalu banyak percobaan kode. Coba lagi dalam satu jam."),
    ),
    "verification_send": Scope(
        per_ip="20/h",
        per_account="3/h",
        message=gettext_lazy(
            "Tautan verifikasi sudah beberapa kali dikirim. Periksa kotak masuk (juga folder "
            "spam), atau coba lagi dalam satu jam."
        ),
    ),
    # The second sign-in step: on top of django-otp's own growing delay per device.
    "second_factor": Scope(
        per_ip="30/15m",
        per_account="10/15m",
        message=gettext_lazy(
            "Terlalu banyak kode verifikasi yang salah. Demi keamanan, coba lagi dalam 15 menit."
        ),
    ),
}


def throttle(request: HttpRequest, scope: str, *, account: object = None) -> None:
    """Count one try of ``scope`` for the client's address (and ``account``); raise
    ThrottledError once either is over its limit. Every try counts, before it is checked."""
    rules = SCOPES[scope]
    over = False
    keys: list[tuple[str, str, str]] = []
    if rules.per_ip:
        keys.append(("ip", client_ip(request), rules.per_ip))
    if rules.per_account and account not in (None, ""):
        keys.append(("account", str(account), rules.per_account))
    for kind, value, rate in keys:
        usage = get_usage(
            request,
            group=f"{scope}:{kind}",
            key=lambda _group, _request, value=value: value,
            rate=rate,
            increment=True,
        )
        if usage is not None and usage["should_limit"]:
            over = True
            if caches["throttle"].add(f"audited:{scope}:{kind}:{value}", 1, 3600):
                security_audit(
                    request,
                    action=f"accounts.throttle.{scope}",
                    data={"by": kind, "key": value if kind == "ip" else str(account)},
                )
    if over:
        raise ThrottledError(str(rules.message))


class PlatformThrottle(BaseThrottle):
    """DRF throttle over the same counters as the pages: set ``throttle_scope`` on the view and,
    for a per-account count, ``throttle_account(request)``."""

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scope", None)
        if scope is None or request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        account_of = getattr(view, "throttle_account", None)
        throttle(request, scope, account=account_of(request) if account_of else None)
        return True


# --- audit --------------------------------------------------------------------------------------


def security_audit(request: HttpRequest, *, action: str, data: dict, actor=None) -> None:
    """Security events go to the national log (accounts are national), tagged with the host's
    region; written the same from any host."""
    from django.apps import apps

    region = getattr(request, "region", None)
    user = actor if actor is not None else getattr(request, "user", None)
    apps.get_model("national_audit", "AuditEntry").objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        action=action,
        region_code=region.code if region is not None else "",
        data={**data, "path": request.path},
    )


class SignInLockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first of the authentication backends.

    Every sign-in over HTTP passes its request (the pages, the admin through them, the API), and
    is counted. A call without one (a management command, the test client's ``login()``) is not
    an attempt anybody can repeat from outside: it goes straight to the password check.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
