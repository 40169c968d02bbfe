"""Answers while the database is unreachable (a restart, a failover): 503, never a traceback.

Django turns any uncaught exception into the ``handler500`` view of the URL configuration, also
when it comes from a middleware (the routing middleware is the first to query). A database
connection that cannot be had, or is lost mid-request, is transient: the visitor is told that
nothing was saved and to try again shortly, with ``Retry-After``; the next request reconnects by
itself (``CONN_HEALTH_CHECKS``). The page touches neither the database nor the session.
"""

import logging
import sys

from django.contrib.sessions import middleware as sessions_middleware
from django.contrib.sessions.exceptions import SessionInterrupted
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

RETRY_AFTER_SECONDS = 5
logger = logging.getLogger(__name__)


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    message = _(
        "Layanan sedang dipulihkan. Data Anda belum tersimpan; silakan coba lagi sebentar lagi."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "code": "unavailable"}, status=503
        )
    else:
        response = HttpResponse(
            render_to_string("errors/unavailable.html", {"message": message}), status=503
        )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the exception being handled decides between 503 and 500."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request)


def _database_cause(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if database_unavailable(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class SessionMiddleware(sessions_middleware.SessionMiddleware):
    """Django's, except that losing the database while the session is saved does not undo the
    answer. The session is saved after the view has committed its work; what it holds then is a
    cache (roles, last seen, the second factor). A booking committed just before PostgreSQL went
    down must not be answered "session deleted" (400) or "nothing was saved" (503): the citizen
    would book again. The session keeps its last saved state, and the next request carries on."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, OperationalError, InterfaceError) as exc:
            if not _database_cause(exc):
                raise
            logger.warning("session not saved: the database went away after the view answered")
            return response
