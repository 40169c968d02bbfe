"""Domain errors and the one place that turns them into 4xx answers."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class DomainError(Exception):
    """Base of every rule the domain refuses. Carries a human message (Bahasa Indonesia)."""

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, message: str | None = None, *, code: str | None = None, extra=None):
        self.message = str(message or _("Permintaan tidak dapat diproses."))
        if code:
            self.code = code
        self.extra = extra or {}
        super().__init__(self.message)


class NotFoundError(DomainError):
    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ConflictError(DomainError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class MissingRegionSchemaError(RuntimeError):
    """A region task was asked to run without an explicit region schema. Fails closed."""


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(
            {"detail": exc.message, "code": exc.code, **exc.extra}, status=exc.status_code
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Tidak ditemukan."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)


class DomainErrorPageMiddleware:
    """The pages' counterpart of ``api_exception_handler``: a domain error a page view did not
    handle itself answers 404 (``NotFoundError``: another region's or another person's object
    does not exist for you) or its message on an error page with its 4xx status, never a 500.

    A page that can show the message next to the input (a form) catches the error itself; this
    is the one place for everything else. DRF views never reach it: DRF handles their errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        if isinstance(exception, NotFoundError):
            raise Http404(exception.message) from exception
        if isinstance(exception, DomainError):
            return render(
                request,
                "errors/domain_error.html",
                {"message": exception.message, "code": exception.code},
                status=exception.status_code,
            )
        return None
