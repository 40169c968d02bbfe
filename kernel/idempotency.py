"""``Idempotency-Key`` for API writes that create or start something (Stripe's semantics).

Decorate a DRF view method::

    class StartView(APIView):
        @idempotent
        def post(self, request, ...): ...

A POST carrying ``Idempotency-Key: <key>`` runs once per (user, key): the first answer (any
status below 500) is stored in the same transaction as the view's own writes, and a retry with
the same key gets that answer again, marked ``Idempotent-Replayed: true``, without running the
view. Two requests racing with one key are serialised by the key's unique index: the second
waits for the first to commit, then replays it. A key reused for a different request (method,
path or body) is refused with 422. If the view raises, nothing is stored (its writes are rolled
back too), so the client may retry. Keys are kept for 24 hours.

Records live in ``onboarding.IdempotencyRecord`` (``mpp_platform`` has no migrations of its own);
any app's API may use this decorator.
"""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from kernel.errors import problem

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_RE = re.compile(r"^[\x21-\x7e]{1,255}$")
TTL = timedelta(hours=24)


def _record_model():
    return apps.get_model("onboarding", "IdempotencyRecord")


def _request_hash(request) -> str:
    """A fingerprint of what the request asks for: method, path and parsed body (files by their
    content), so a multipart retry with a new boundary still matches."""
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):
        for key, values in sorted(data.lists(), key=lambda kv: kv[0]):
            for value in values:
                if hasattr(value, "read") and hasattr(value, "seek"):
                    value.seek(0)
                    file_digest = hashlib.sha256()
                    while chunk := value.read(1 << 16):
                        file_digest.update(chunk)
                    value.seek(0)
                    part = f"{key}=file:{getattr(value, 'name', '')}:{file_digest.hexdigest()}"
                else:
                    part = f"{key}={value}"
                digest.update(part.encode() + b"\n")
    else:
        digest.update(json.dumps(data, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _replay(record, request, fingerprint: str) -> Response:
    if (record.method, record.path, record.request_hash) != (
        request.method,
        request.path,
        fingerprint,
    ):
        return problem(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
            code="idempotency_key_reused",
            detail=str(_("Idempotency-Key ini sudah dipakai untuk permintaan lain.")),
        )
    return Response(record.body, status=record.status_code, headers={REPLAYED_HEADER: "true"})


def idempotent(method):
    """Make a DRF view method honour the ``Idempotency-Key`` header (see the module docs)."""

    @functools.wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return method(view, request, *args, **kwargs)
        if not KEY_RE.fullmatch(key):
            return problem(
                status_code=status.HTTP_400_BAD_REQUEST,
                code="invalid_idempotency_key",
                detail=str(
                    _("Idempotency-Key harus 1–255 karakter ASCII yang terlihat, tanpa spasi.")
                ),
            )
        record_model = _record_model()
        fingerprint = _request_hash(request)
        with transaction.atomic():
            # Forget this user's expired keys (bounded: one user's, by an indexed date).
            record_model.objects.filter(
                user=request.user, created_at__lt=timezone.now() - TTL
            ).delete()
            try:
                with transaction.atomic():
                    record = record_model.objects.create(
                        user=request.user,
                        key=key,
                        method=request.method,
                        path=request.path[:500],
                        request_hash=fingerprint,
                    )
            except IntegrityError:
                # Another request with this key committed first (we waited for it): replay.
                record = record_model.objects.get(user=request.user, key=key)
                return _replay(record, request, fingerprint)
            response = method(view, request, *args, **kwargs)
            if response.status_code >= 500:
                record.delete()
                return response
            record.status_code = response.status_code
            data = getattr(response, "data", None)
            record.body = None if data is None else json.loads(JSONRenderer().render(data))
            record.save(update_fields=["status_code", "body"])
            return response

    return wrapper
