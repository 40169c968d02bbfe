"""Message templates, one text per language (Bahasa Indonesia and English), chosen by the
recipient's language (shared.messaging.models.ChannelPreference.language).

Why not gettext: a WhatsApp Business template is approved by the provider per name and per
language, and the text sent must match the approved copy word for word. So each template's
text in each language lives here, reviewed with the code and sent as written, not taken from
whichever catalogue a worker happens to have compiled. Pages and API messages still go through
gettext as usual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

INDONESIAN = "id"
ENGLISH = "en"
LANGUAGES = (INDONESIAN, ENGLISH)


@dataclass(frozen=True)
class Template:
    subject: str
    body: str


TEMPLATES: dict[str, dict[str, Template]] = {
    "booking_created": {
        INDONESIAN: Template(
            "Booking antrean {code}",
            "{service}, {date} pukul {time} di MPP {mpp}. Tunjukkan kode {code} di kios saat tiba.",
        ),
        ENGLISH: Template(
            "Queue booking {code}",
            "{service}, {date} at {time} at MPP {mpp}. Show code {code} at the kiosk when you "
            "arrive.",
        ),
    },
    "booking_cancelled": {
        INDONESIAN: Template(
            "Booking {code} dibatalkan",
            "Booking {service} pada {date} pukul {time} telah dibatalkan.",
        ),
        ENGLISH: Template(
            "Booking {code} cancelled",
            "Your booking for {service} on {date} at {time} has been cancelled.",
        ),
    },
    "booking_reminder": {
        INDONESIAN: Template(
            "Pengingat: besok {date} pukul {time}",
            "Besok Anda terjadwal untuk {service} pukul {time} di MPP {mpp}. Tunjukkan kode "
            "{code} di kios saat tiba. Berhalangan? Batalkan booking lewat situs MPP agar "
            "slotnya dipakai warga lain.",
        ),
        ENGLISH: Template(
            "Reminder: tomorrow {date} at {time}",
            "Tomorrow you are booked for {service} at {time} at MPP {mpp}. Show code {code} at "
            "the kiosk when you arrive. Cannot come? Cancel the booking on the MPP website so "
            "someone else can have the slot.",
        ),
    },
    "application_due_tomorrow": {
        INDONESIAN: Template(
            "{count} permohonan jatuh tempo besok di {booth}",
            "Target penyelesaian permohonan ini besok ({date}):\n{lines}",
        ),
        ENGLISH: Template(
            "Due tomorrow at {booth}: {count} application(s)",
            "These applications are due tomorrow ({date}):\n{lines}",
        ),
    },
}


def message_render(name: str, *, language: str, values: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of template ``name`` in ``language`` (Bahasa Indonesia for a language
    without a text)."""
    texts = TEMPLATES[name]
    template = texts.get(language) or texts[INDONESIAN]
    return template.subject.format_map(values), template.body.format_map(values)


def language_of(user) -> str:
    """The language ``user`` reads their messages in (``id`` until they choose)."""
    if user is None or not getattr(user, "pk", None):
        return INDONESIAN
    from shared.messaging.models import ChannelPreference

    chosen = (
        ChannelPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    )
    return chosen if chosen in LANGUAGES else INDONESIAN
