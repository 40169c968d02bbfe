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


PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:mpp-digital:problem:"

# Titles of the problem types DRF raises itself (RFC 9457 "title": the same for every occurrence).
_TITLES = {
    "invalid": _("Data tidak valid"),
    "parse_error": _("Permintaan tidak dapat dibaca"),
    "authentication_failed": _("Autentikasi gagal"),
    "not_authenticated": _("Perlu masuk"),
    "permission_denied": _("Tidak diizinkan"),
    "not_found": _("Tidak ditemukan"),
    "method_not_allowed": _("Metode tidak diizinkan"),
    "not_acceptable": _("Format tidak tersedia"),
    "unsupported_media_type": _("Jenis konten tidak didukung"),
    "throttled": _("Terlalu banyak permintaan"),
    "conflict": _("Konflik dengan keadaan saat ini"),
}


def problem(
    *,
    status_code: int,
    code: str,
    detail: str,
    errors: dict | None = None,
    extra: dict | None = None,
    headers: dict | None = None,
) -> Response:
    """One RFC 9457 problem-details answer: the shape of every API error of both sites.

    ``type`` is a URN per code (stable, needs no dereferencing), ``title`` the code's summary,
    ``detail`` this occurrence's message, ``code`` the machine-readable code; field errors go in
    ``errors`` as ``{field: [message, ...]}``. Extra members a domain error carries are kept.
    """
    body: dict = {
        "type": PROBLEM_TYPE_PREFIX + code,
        "title": str(_TITLES.get(code, _("Permintaan tidak dapat diproses"))),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors:
        body["errors"] = errors
    for key, value in (extra or {}).items():
        body.setdefault(key, value)
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def _field_errors(detail) -> dict:
    """DRF's nested ValidationError detail as ``{field: [messages]}`` (nested fields dotted)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in _flatten(detail)]}
    out: dict = {}
    for field, value in detail.items():
        if isinstance(value, dict):
            for sub, messages in _field_errors(value).items():
                out[f"{field}.{sub}"] = messages
        else:
            out[str(field)] = [str(item) for item in _flatten(value)]
    return out


def _flatten(value) -> list:
    if isinstance(value, list):
        return [m for item in value for m in _flatten(item)]
    if isinstance(value, dict):
        return [m for item in value.values() for m in _flatten(item)]
    return [value]


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        extra = dict(exc.extra)
        errors = extra.pop("errors", None)
        return problem(
            status_code=exc.status_code,
            code=exc.code,
            detail=exc.message,
            errors=errors if isinstance(errors, dict) else None,
            extra=extra,
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Tidak ditemukan."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    headers = {k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After")}
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        only = errors.get("detail") or errors.get("non_field_errors")
        detail = only[0] if only and len(errors) == 1 else str(_("Periksa kembali isian berikut."))
        return problem(
            status_code=response.status_code,
            code="invalid",
            detail=detail,
            errors=errors,
            headers=headers,
        )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.default_detail)
    return problem(status_code=response.status_code, code=code, detail=str(detail), headers=headers)


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


def apply_domain_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: per-field messages next to their fields, so a refused
    write shows where it belongs and nothing the person typed is lost."""
    errors = exc.extra.get("errors") if exc.extra else None
    if not errors:
        form.add_error(None, exc.message)
        return
    for field, messages in errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
