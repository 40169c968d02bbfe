"""An expired session in the middle of a form must not lose what the citizen typed.

A POST from a visitor whose session ended is kept (text fields only: files cannot be kept) in
the new anonymous session under the form's path; after signing in again, the same page shows
the form filled in from it, once. Django's ``login()`` keeps an anonymous session's data.
"""

import time

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext as _

from shared.access.pages import CitizenRequiredMixin
from shared.access.policy import Host

STASH_KEY = "mpp_form_stash"
STASH_SECONDS = 2 * 3600
OWNER_FIELD = "form_owner"
_OWNER_SALT = "citizens.form-owner"
_SKIP = {"csrfmiddlewaretoken"}


def form_owner_token(user) -> str:
    """A hidden field in every kept form: who filled it in. A kept form is given back only to
    the same person (a shared computer must not hand one citizen's answers to the next)."""
    return signing.dumps(user.pk, salt=_OWNER_SALT) if user.is_authenticated else ""


def _owner_matches(data: dict, user) -> bool:
    token = (data.get(OWNER_FIELD) or [""])[0]
    try:
        return signing.loads(token, salt=_OWNER_SALT) == user.pk
    except signing.BadSignature:
        return False


def stash_and_sign_in(request):
    """Keep the POST, tell the visitor why, and send them to sign in and back."""
    stash = request.session.get(STASH_KEY, {})
    stash[request.path] = {
        "data": {k: request.POST.getlist(k) for k in request.POST if k not in _SKIP},
        "at": time.time(),
        "files": bool(request.FILES),
    }
    request.session[STASH_KEY] = stash
    text = _("Sesi Anda berakhir. Masuk lagi untuk melanjutkan: isian Anda sudah disimpan.")
    if request.FILES:
        text += " " + _("Berkas yang dipilih perlu diunggah ulang.")
    messages.warning(request, text)
    return redirect_to_login(request.get_full_path())


def stash_pop(request) -> QueryDict | None:
    """The kept POST for this page, once, or None."""
    stash = request.session.get(STASH_KEY) or {}
    entry = stash.pop(request.path, None)
    if entry is None:
        return None
    request.session[STASH_KEY] = stash
    if time.time() - entry.get("at", 0) > STASH_SECONDS:
        return None
    if not _owner_matches(entry["data"], request.user):
        return None
    data = QueryDict(mutable=True)
    for key, values in entry["data"].items():
        data.setlist(key, values)
    messages.info(request, _("Isian Anda sebelum sesi berakhir dipulihkan. Periksa lalu kirim."))
    return data


class SignInRequiredKeepingPostMixin(CitizenRequiredMixin):
    """The citizen audience on every host (shared.access): anonymous visitors are sent to sign
    in, and a POST whose session ended is kept, not lost (the gate stashes it)."""

    host = Host.ANY
