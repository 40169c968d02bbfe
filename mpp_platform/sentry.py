"""Sentry, on only when SENTRY_DSN is set. Every event carries the region's schema; personal data
(NIK, phone numbers, emails) and secrets (passwords, codes, tokens, cookies, session and kiosk
headers, tokens inside URL paths) are masked before anything leaves the process."""

import re

import sentry_sdk
from lokal import Samaran
from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber

from kernel.tenancy import connection

FILTERED = "[disaring]"

# Keys whose values are secrets wherever they appear (form data, JSON bodies, headers, cookies,
# local variables, extra). Compared lower-case, with "-" read as "_".
SECRET_KEYS = frozenset(
    {
        "password",
        "password1",
        "password2",
        "new_password1",
        "new_password2",
        "old_password",
        "passwd",
        "secret",
        "token",
        "key",
        "code",
        "otp_code",
        "claim_code",
        "recovery_code",
        "codes",
        "csrfmiddlewaretoken",
        "csrftoken",
        "mpp_csrftoken",
        "sessionid",
        "mpp_session",
        "mpp_kiosk",
        "authorization",
        "cookie",
        "cookies",
        "set_cookie",
        "x_kiosk_token",
        "http_x_kiosk_token",
        "x_csrftoken",
        "http_authorization",
        "http_cookie",
        "digest",
        "auth_hash",
        "api_key",
        "apikey",
    }
)

# Secrets that travel in URL paths: password-reset and e-mail verification links, the kiosk
# set-up link, booking codes, tokens in query strings.
_PATH_SECRETS = [
    (
        re.compile(r"(/akun/atur-sandi/)[^/\s?#\"']+/[^/\s?#\"']+"),
        r"\1" + FILTERED + "/" + FILTERED,
    ),
    (re.compile(r"(/akun/verifikasi-email/)[^/\s?#\"']+"), r"\1" + FILTERED),
    (re.compile(r"(/kiosk/pasang/)[^/\s?#\"']+"), r"\1" + FILTERED),
    (re.compile(r"(/booking/)[^/\s?#\"']+"), r"\1" + FILTERED),
    (re.compile(r"(/queue/bookings/)[^/\s?#\"']+"), r"\1" + FILTERED),
    (
        re.compile(r"([?&](?:token|code|key|otp_code|claim_code|secret)=)[^&#\s\"']+", re.I),
        r"\1" + FILTERED,
    ),
    (re.compile(r"(\bToken\s+)[A-Za-z0-9_\-.]{8,}"), r"\1" + FILTERED),
]


def _is_secret_key(key) -> bool:
    return isinstance(key, str) and key.lower().replace("-", "_") in SECRET_KEYS


def _mask_text(value: str) -> str:
    from shared.citizens.privacy import mask_personal

    for pattern, replacement in _PATH_SECRETS:
        value = pattern.sub(replacement, value)
    # Samaran for valid-looking data, plus any 16-digit run (a mistyped NIK is still one).
    return mask_personal(Samaran(mode="partial").mask(value).text)


def _mask(value, key=None):
    if _is_secret_key(key):
        return FILTERED
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, dict):
        return {k: _mask(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        # Headers arrive as [name, value] pairs.
        if len(value) == 2 and _is_secret_key(value[0]):
            return [value[0], FILTERED]
        return [_mask(v) for v in value]
    return value


def before_send(event, hint):
    try:
        schema = connection.schema_name
    except Exception:
        schema = None
    event.setdefault("tags", {})["schema"] = schema or "unknown"
    request = event.get("request")
    if isinstance(request, dict) and "cookies" in request:
        request["cookies"] = FILTERED
    return _mask(event)


def before_breadcrumb(crumb, hint):
    return _mask(crumb)


def init_sentry(dsn: str, *, environment: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        send_default_pii=False,
        traces_sample_rate=0.0,
        # Sentry's own scrubber first (its default list plus ours), then ours over every string.
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, *sorted(SECRET_KEYS)], recursive=True
        ),
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
    )
