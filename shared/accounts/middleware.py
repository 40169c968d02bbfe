"""Two rules for a signed-in session, enforced here once for every page, API call and the
Django admin, on every host, whatever gate a view uses:

1. An official (superadmin, Django-admin staff, DPMPTSP admin) whose session has not passed
   the second factor reaches only the second-factor pages and sign-out. Pages redirect there;
   the API answers 403 with a code the app can act on.
2. A staff session ends after ``MPP_STAFF_IDLE_SECONDS`` without a request; citizens keep the
   ordinary two-week session.

Who is an official or staff is looked up at most once a minute per session (a role granted
mid-session applies within that minute), so an ordinary request adds no query.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from shared.accounts.selectors import has_second_factor, session_roles

ROLES_KEY = "mpp_roles"
SEEN_KEY = "mpp_seen"
_RECHECK_SECONDS = 60
_SEEN_PRECISION_SECONDS = 30

# Reachable before the second factor: the second-factor pages themselves, sign-out, assets,
# the language switch, probes and the API sign-in (which asks for the code itself).
_OPEN_PREFIXES = (
    "/akun/dua-langkah/",
    "/akun/keluar/",
    "/static/",
    "/i18n/",
    "/jsi18n/",
    "/healthz",
    "/readyz",
    "/api/v1/auth/sign-in/",
)


def remember_roles(request: HttpRequest, user) -> dict:
    """Store who the session belongs to (official? staff?) in it: called at sign-in, so that
    ordinary requests spend no query on it, and again once a minute."""
    official, staff = session_roles(user)
    fresh = {"uid": user.pk, "at": time.time(), "official": official, "staff": staff}
    request.session[ROLES_KEY] = fresh
    return fresh


def _roles(request: HttpRequest, now: float) -> dict:
    session = request.session
    cached = session.get(ROLES_KEY)
    if (
        isinstance(cached, dict)
        and cached.get("uid") == request.user.pk
        and now - cached.get("at", 0) < _RECHECK_SECONDS
    ):
        return cached
    return remember_roles(request, request.user)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class OfficialSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        now = time.time()
        roles = _roles(request, now)
        if roles["staff"]:
            ended = self._idle_check(request, now)
            if ended is not None:
                return ended
        if roles["official"] and not user.is_verified() and not self._open(request):
            return self._second_factor_first(request)
        return self.get_response(request)

    @staticmethod
    def _open(request: HttpRequest) -> bool:
        return request.path.startswith(_OPEN_PREFIXES)

    @staticmethod
    def _idle_check(request: HttpRequest, now: float) -> HttpResponse | None:
        seen = request.session.get(SEEN_KEY)
        if seen is not None and now - seen > settings.MPP_STAFF_IDLE_SECONDS:
            logout(request)
            message = _(
                "Sesi petugas berakhir karena tidak ada aktivitas selama %(minutes)d menit. "
                "Silakan masuk kembali."
            ) % {"minutes": settings.MPP_STAFF_IDLE_SECONDS // 60}
            if _is_api(request):
                return JsonResponse({"detail": message, "code": "session_idle"}, status=401)
            messages.info(request, message)
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(f"{reverse('accounts:login')}{'?' + query if query else ''}")
        if seen is None or now - seen > _SEEN_PRECISION_SECONDS:
            request.session[SEEN_KEY] = now
        return None

    @staticmethod
    def _second_factor_first(request: HttpRequest) -> HttpResponse:
        enrolled = has_second_factor(request.user)
        if _is_api(request):
            return JsonResponse(
                {
                    "detail": _(
                        "Akun petugas ini wajib verifikasi dua langkah. Selesaikan dulu di situs."
                    ),
                    "code": "second_factor_required",
                },
                status=403,
            )
        target = reverse("accounts:second_factor" if enrolled else "accounts:second_factor_enrol")
        next_path = request.get_full_path() if request.method == "GET" else "/"
        return redirect(f"{target}?{urlencode({'next': next_path})}")
