"""Sentry, on only when SENTRY_DSN is set. Every event carries the region's schema; personal data
(NIK, phone numbers, emails) is masked before anything leaves the process."""

import sentry_sdk
from lokal import Samaran

from kernel.tenancy import connection


def _mask(value):
    if isinstance(value, str):
        from shared.citizens.privacy import mask_personal

        # Samaran for valid-looking data, plus any 16-digit run (a mistyped NIK is still one).
        return mask_personal(Samaran(mode="partial").mask(value).text)
    if isinstance(value, dict):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask(v) for v in value]
    return value


def before_send(event, hint):
    try:
        schema = connection.schema_name
    except Exception:
        schema = None
    event.setdefault("tags", {})["schema"] = schema or "unknown"
    return _mask(event)


def init_sentry(dsn: str, *, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        traces_sample_rate=0.0,
        before_send=before_send,
    )
