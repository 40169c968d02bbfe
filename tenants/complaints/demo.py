"""Demo complaints for ``make run``: the complaint officer of each demo region
(``pengaduan.<slug>@mpp.go.id``, demo password) and a queue of complaints in several states,
made with the real services and then dated back so that deadlines, overdue marks and the
transparency page have something to show.

``seed_demo_complaints(mpp=, citizen=)`` is called once per demo region by ``onboarding.demo``
after the region's offerings and queue were seeded. Idempotent: each demo complaint carries a
fixed client key, and a second run changes nothing. Returns the sign-ins to print.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shared.accounts.models import Membership, Role, User
from shared.accounts.services import membership_grant
from shared.complaints.models import ComplaintStatus
from tenants.complaints.models import (
    RESOLUTION_DAYS,
    RESPONSE_DAYS,
    Channel,
    Complaint,
    Complexity,
    Event,
    Privacy,
)
from tenants.complaints.services import (
    Filing,
    complaint_close,
    complaint_file,
    complaint_forward_to_lapor,
    complaint_mark_not_complaint,
    complaint_message_citizen,
    complaint_message_staff,
    complaint_rate,
    complaint_route,
)
from tenants.complaints.services.common import index_write
from tenants.complaints.tenancy import connection
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import add_region_working_days, region_today

_NAMESPACE = uuid.UUID("5f0c7a52-7f1e-4d55-9d0e-1a5e0c0ffee4")


def officer_email(slug: str) -> str:
    return f"pengaduan.{slug}@mpp.go.id"


def _officer(region) -> User:
    email = officer_email(region.slug)
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=settings.MPP_DEMO_PASSWORD,
            full_name=f"Pengelola Pengaduan {region.name}",
        )
    if not Membership.objects.filter(user=user, region=region).exists():
        membership_grant(actor=None, user=user, region=region, role=Role.COMPLAINT_OFFICER)
    return user


def _key(region, n: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{region.code}/{n}")


def _age(complaint: Complaint, working_days: int) -> Complaint:
    """Move a fresh complaint's receipt ``working_days`` back, with its first deadline."""
    received = add_region_working_days(region_today(), -working_days)
    at = timezone.make_aware(dt.datetime.combine(received, dt.time(9, 30)))
    Complaint.objects.filter(pk=complaint.pk).update(
        received_on=received,
        response_due=add_region_working_days(received, RESPONSE_DAYS),
        created_at=at,
    )
    Event.objects.filter(complaint=complaint, action="filed").update(created_at=at)
    complaint.refresh_from_db()
    return complaint


def _age_triage(complaint: Complaint, working_days: int) -> None:
    """Move the triage of a routed complaint back, with its follow-up deadline."""
    triaged = add_region_working_days(region_today(), -working_days)
    at = timezone.make_aware(dt.datetime.combine(triaged, dt.time(11, 0)))
    due = add_region_working_days(
        triaged, RESOLUTION_DAYS[Complexity(complaint.complexity or Complexity.SIMPLE)]
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        triaged_at=at, first_response_at=at, resolution_due=due
    )
    for event in Event.objects.filter(complaint=complaint, action="routed"):
        # The note names the deadline the routing set; keep it in step with the new date.
        old = f"{complaint.resolution_due:%d-%m-%Y}"
        event.note = event.note.replace(old, f"{due:%d-%m-%Y}")
        event.created_at = at
        event.save(update_fields=["note", "created_at"])
    complaint.refresh_from_db()
    index_write(complaint)


def _demo_items(region) -> list[dict]:
    """The demo queue; Banyuwangi gets all of it, the other regions the first four."""
    return [
        {
            "state": "received",
            "owner": True,
            "kind": "pengaduan",
            "subject": "Antrean tidak dipanggil sesuai nomor",
            "description": "Nomor saya B-014 dilewati dua kali; petugas tidak menjelaskan "
            "alasannya.",
            "age": 0,
        },
        {
            "state": "routed",
            "owner": True,
            "kind": "pengaduan",
            "subject": "Dokumen hasil belum bisa diunduh",
            "description": "Status permohonan sudah selesai tetapi tombol unduh tidak muncul.",
            "age": 3,
            "complexity": "no_field_check",
            "triage_age": 2,
        },
        {
            "state": "closed",
            "owner": True,
            "kind": "informasi",
            "subject": "Syarat legalisir ijazah",
            "description": "Apakah legalisir ijazah perlu membawa ijazah asli dan fotokopi?",
            "age": 6,
            "answer": "Ya: bawa ijazah asli dan fotokopi yang jelas; legalisir selesai hari itu.",
            "rating": 5,
        },
        {
            "state": "received",
            "channel": Channel.KIOSK,
            "privacy": Privacy.ANONYMOUS,
            "kind": "pengaduan",
            "subject": "Ada yang menawarkan jasa percepatan berbayar",
            "description": "Di depan gerai ada orang menawarkan jasa mempercepat izin dengan "
            "bayaran.",
            "age": 5,  # past its first-response date: overdue
        },
        {
            "state": "routed",
            "channel": Channel.COUNTER,
            "privacy": Privacy.CONFIDENTIAL,
            "name": "Ibu Sumarni",
            "phone": "081234567001",
            "kind": "pengaduan",
            "subject": "Petugas meminta biaya tambahan",
            "description": "Saya diminta membayar Rp50.000 untuk layanan yang tertulis gratis.",
            "age": 9,
            "complexity": "simple",
            "triage_age": 8,  # follow-up due after 5 working days: overdue
        },
        {
            "state": "received",
            "owner": True,
            "privacy": Privacy.CONFIDENTIAL,
            "kind": "aspirasi",
            "subject": "Mohon tambah kursi prioritas untuk lansia",
            "description": "Ruang tunggu sering penuh; lansia dan ibu hamil berdiri lama.",
            "age": 1,
        },
        {
            "state": "closed",
            "owner": True,
            "kind": "pengaduan",
            "subject": "AC ruang tunggu mati",
            "description": "Sejak pagi AC ruang tunggu lantai 1 tidak menyala.",
            "age": 4,
            "answer": "AC sudah diperbaiki teknisi; terima kasih atas laporannya.",
        },
        {
            "state": "not_complaint",
            "channel": Channel.KIOSK,
            "kind": "aspirasi",
            "subject": "Terima kasih pelayanannya cepat",
            "description": "Saya hanya ingin berterima kasih, pelayanan hari ini cepat sekali.",
            "age": 7,
            "reason": "Apresiasi untuk petugas; kami teruskan sebagai masukan, bukan pengaduan.",
        },
        {
            "state": "forwarded",
            "owner": True,
            "kind": "pengaduan",
            "subject": "Jalan menuju MPP rusak berat",
            "description": "Jalan masuk ke gedung MPP berlubang dan berbahaya bagi motor.",
            "age": 8,
            "note": "Kewenangan Dinas PUPR; diteruskan melalui SP4N-LAPOR!.",
        },
    ]


def _booths() -> list[Booth]:
    booths = list(Booth.objects.filter(is_active=True).order_by("number"))
    agency = [b for b in booths if b.number != "INFO"]
    return agency or booths


def _seed_one(item: dict, *, n: int, region, officer, citizen, booths) -> None:
    owner = citizen if item.get("owner") else None
    channel = item.get("channel") or (Channel.ONLINE if owner else Channel.KIOSK)
    offering = Offering.objects.active().filter(booth__in=booths).order_by("code").first()
    complaint = complaint_file(
        actor=owner if owner else (officer if channel == Channel.COUNTER else None),
        channel=channel,
        owner=owner,
        filing=Filing(
            kind=item["kind"],
            subject=item["subject"],
            description=item["description"],
            privacy=item.get("privacy", Privacy.NORMAL),
            offering_id=offering.pk if offering and n % 2 else None,
            name=item.get("name", ""),
            phone=item.get("phone", ""),
            client_key=_key(region, n),
        ),
    )
    complaint = _age(complaint, item["age"])
    state = item["state"]
    if state in ("routed", "closed") and booths and item["kind"] != "informasi":
        complaint = complaint_route(
            actor=officer,
            complaint=complaint,
            booth=booths[n % len(booths)],
            complexity=item.get("complexity", "simple"),
            note="Mohon ditindaklanjuti sesuai standar pelayanan.",
        )
        if state == "routed":
            _age_triage(complaint, item["triage_age"])
            complaint_message_staff(
                actor=officer,
                complaint=complaint,
                body="Laporan Anda sudah kami teruskan ke gerai terkait.",
            )
            if owner:
                complaint_message_citizen(
                    actor=owner, complaint=complaint, body="Terima kasih, saya tunggu kabarnya."
                )
    if state == "closed":
        complaint = complaint_close(actor=officer, complaint=complaint, answer=item["answer"])
        if item.get("rating"):
            complaint_rate(
                actor=owner, complaint=complaint, rating=item["rating"], comment="Jelas dan cepat."
            )
    elif state == "not_complaint":
        complaint_mark_not_complaint(actor=officer, complaint=complaint, reason=item["reason"])
    elif state == "forwarded":
        complaint_forward_to_lapor(actor=officer, complaint=complaint, note=item["note"])


def seed_demo_complaints(*, mpp, citizen) -> list[tuple[str, str, str]]:
    """The complaint officer of ``mpp``'s region and its demo complaints (see module doc)."""
    region = mpp.region
    with transaction.atomic():
        officer = _officer(region)
    connection.set_tenant(mpp)
    try:
        items = _demo_items(region)
        if region.code != "35.10":
            items = items[:4]
        booths = _booths()
        for n, item in enumerate(items, start=1):
            if Complaint.objects.filter(client_key=_key(region, n)).exists():
                continue
            with transaction.atomic():
                _seed_one(item, n=n, region=region, officer=officer, citizen=citizen, booths=booths)
    finally:
        connection.set_schema_to_public()
    return [("pengelola pengaduan", officer.email or "", region.slug)]


def demo_summary(mpp) -> dict[str, int]:
    """How many demo complaints the region has per status (for tests and the seed output)."""
    connection.set_tenant(mpp)
    try:
        return {
            status: Complaint.objects.filter(status=status).count()
            for status in ComplaintStatus.values
        }
    finally:
        connection.set_schema_to_public()
