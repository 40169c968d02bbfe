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
    # An application's status changes, to the citizen. The subject names the new status; the
    # sender adds the completion note (the officer's own words) and the link after the body.
    "application_submitted": {
        INDONESIAN: Template(
            "Permohonan {number} diterima",
            "Permohonan {service} di MPP {mpp} sudah kami terima. Target selesai: {due_date}.",
        ),
        ENGLISH: Template(
            "Application {number} received",
            "We have received your {service} application at MPP {mpp}. Target completion: "
            "{due_date}.",
        ),
    },
    "application_submitted_no_due_date": {
        INDONESIAN: Template(
            "Permohonan {number} diterima",
            "Permohonan {service} di MPP {mpp} sudah kami terima.",
        ),
        ENGLISH: Template(
            "Application {number} received",
            "We have received your {service} application at MPP {mpp}.",
        ),
    },
    "application_verified": {
        INDONESIAN: Template(
            "Permohonan {number}: Terverifikasi",
            "Berkas permohonan {service} sudah diverifikasi petugas.",
        ),
        ENGLISH: Template(
            "Application {number}: Verified",
            "The documents for your {service} application have been verified by staff.",
        ),
    },
    "application_returned": {
        INDONESIAN: Template(
            "Permohonan {number}: Perlu perbaikan",
            "Permohonan {service} perlu perbaikan: {reason}",
        ),
        ENGLISH: Template(
            "Application {number}: Needs correction",
            "Your {service} application needs correction: {reason}",
        ),
    },
    "application_processing": {
        INDONESIAN: Template(
            "Permohonan {number}: Diproses",
            "Permohonan {service} sedang diproses.",
        ),
        ENGLISH: Template(
            "Application {number}: Processing",
            "Your {service} application is being processed.",
        ),
    },
    "application_completed_document": {
        INDONESIAN: Template(
            "Permohonan {number}: Selesai",
            "Permohonan {service} selesai. Dokumen hasil dapat diunduh.\n"
            "Bagaimana layanan kami? Isi survei kepuasan (tanpa akun, 2 menit): {survey_url}",
        ),
        ENGLISH: Template(
            "Application {number}: Completed",
            "Your {service} application is complete. The result document is available to "
            "download.\nHow was our service? Fill in the satisfaction survey (no account, "
            "2 minutes): {survey_url}",
        ),
    },
    "application_completed_pickup": {
        INDONESIAN: Template(
            "Permohonan {number}: Selesai",
            "Permohonan {service} selesai. Hasil siap diambil di {booth}.\n"
            "Bagaimana layanan kami? Isi survei kepuasan (tanpa akun, 2 menit): {survey_url}",
        ),
        ENGLISH: Template(
            "Application {number}: Completed",
            "Your {service} application is complete. The result is ready for collection at "
            "{booth}.\nHow was our service? Fill in the satisfaction survey (no account, "
            "2 minutes): {survey_url}",
        ),
    },
    "application_rejected": {
        INDONESIAN: Template(
            "Permohonan {number}: Ditolak",
            "Permohonan {service} ditolak: {reason}",
        ),
        ENGLISH: Template(
            "Application {number}: Rejected",
            "Your {service} application has been rejected: {reason}",
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
    # A complaint, to the complainant (the sender adds the link to follow it after the body).
    "complaint_received": {
        INDONESIAN: Template(
            "Pengaduan {number} diterima",
            "Laporan Anda diterima MPP {mpp}. Tanggapan pertama paling lambat {due}. "
            "Kode lacak: {code}",
        ),
        ENGLISH: Template(
            "Complaint {number} received",
            "MPP {mpp} has received your report. First response by {due} at the latest. "
            "Tracking code: {code}",
        ),
    },
    "complaint_routed": {
        INDONESIAN: Template(
            "Pengaduan {number} ditindaklanjuti",
            "Laporan Anda sudah diverifikasi dan ditangani {booth}. Tindak lanjut paling "
            "lambat {due}.",
        ),
        ENGLISH: Template(
            "Complaint {number} is being followed up",
            "Your report has been verified and is handled by {booth}. Follow-up by {due} at "
            "the latest.",
        ),
    },
    "complaint_not_complaint": {
        INDONESIAN: Template(
            "Pengaduan {number}: bukan pengaduan",
            "Laporan Anda dinyatakan bukan pengaduan: {reason}",
        ),
        ENGLISH: Template(
            "Complaint {number}: not a complaint",
            "Your report was found not to be a complaint: {reason}",
        ),
    },
    "complaint_forwarded": {
        INDONESIAN: Template(
            "Pengaduan {number} diteruskan ke SP4N-LAPOR!",
            "Laporan Anda diteruskan ke SP4N-LAPOR! (lapor.go.id), nomor tracking {tracking_id}.",
        ),
        ENGLISH: Template(
            "Complaint {number} forwarded to SP4N-LAPOR!",
            "Your report has been forwarded to SP4N-LAPOR! (lapor.go.id), tracking number "
            "{tracking_id}.",
        ),
    },
    "complaint_closed": {
        INDONESIAN: Template(
            "Pengaduan {number} selesai",
            "Jawaban: {answer}\nNilai penanganannya (1–5) di halaman pengaduan.",
        ),
        ENGLISH: Template(
            "Complaint {number} resolved",
            "Answer: {answer}\nRate how it was handled (1–5) on the complaint's page.",
        ),
    },
    "complaint_reopened": {
        INDONESIAN: Template(
            "Pengaduan {number} dibuka kembali",
            "Tanggapan paling lambat {due}.",
        ),
        ENGLISH: Template(
            "Complaint {number} reopened",
            "Response by {due} at the latest.",
        ),
    },
    "complaint_message": {
        INDONESIAN: Template("Pesan baru tentang pengaduan {number}", "{message}"),
        ENGLISH: Template("New message about complaint {number}", "{message}"),
    },
    # A complaint, to the staff concerned (sent in Bahasa Indonesia: staff have no stored
    # message language). Never the complainant's identity: number, kind, subject and link only.
    "complaint_new_staff": {
        INDONESIAN: Template("Pengaduan baru {number}", "Verifikasi paling lambat {due}."),
        ENGLISH: Template("New complaint {number}", "Verify by {due} at the latest."),
    },
    "complaint_routed_staff": {
        INDONESIAN: Template(
            "Pengaduan {number} untuk gerai Anda", "Tindak lanjut paling lambat {due}."
        ),
        ENGLISH: Template("Complaint {number} for your booth", "Follow up by {due} at the latest."),
    },
    "complaint_reopened_staff": {
        INDONESIAN: Template("Pengaduan {number} dibuka kembali oleh pelapor", ""),
        ENGLISH: Template("Complaint {number} reopened by the complainant", ""),
    },
    "complaint_message_staff": {
        INDONESIAN: Template("Pesan pelapor pada pengaduan {number}", ""),
        ENGLISH: Template("Message from the complainant on complaint {number}", ""),
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
