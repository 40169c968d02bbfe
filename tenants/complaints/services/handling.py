"""Working a complaint: access checks, triage by the complaint officer (route to a booth with a
complexity, "not a complaint", forward to SP4N-LAPOR!), answers and closing, messages both ways,
reopening and rating by the complainant. Runs inside the region's schema.

Every transition locks the row, checks the status it starts from (a transition out of order is a
409 with a clear message and changes nothing), records an event, audits, updates the public
index and queues the notices of the complainant and the staff concerned (sent by a worker
after commit, in the complainant's language: services/notify.py).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.complaints.models import ComplaintKind, ComplaintStatus
from shared.webhooks.models import EventKind
from shared.webhooks.services import region_event_emit
from tenants.complaints.lapor import LaporError, LaporReport, LaporReporter, get_lapor_gateway
from tenants.complaints.models import (
    REOPEN_DAYS,
    RESOLUTION_DAYS,
    RESPONSE_DAYS,
    Complaint,
    Complexity,
    Event,
    Message,
    Privacy,
)
from tenants.complaints.services.common import (
    CITIZEN,
    MAX_COMMENT,
    MAX_MESSAGE,
    MAX_RESOLUTION,
    Viewer,
    clean_text,
    current_region,
    field_error,
    index_write,
    local_date,
    viewer_for,
)
from tenants.complaints.services.filing import (
    check_uploads,
    normalize_tracking_code,
    store_attachments,
)
from tenants.complaints.services.notify import event_notice_enqueue, message_notice_enqueue
from tenants.mpp.models import Booth
from tenants.mpp.selectors import add_region_working_days, region_today


class Throttled(DomainError):
    status_code = 429
    code = "throttled"


# --- access --------------------------------------------------------------------------------------
def staff_visible(viewer: Viewer):
    """Complaints a staff member may see: everything for triage roles; for booth staff only the
    ones routed to their booths (never unverified ones)."""
    qs = Complaint.objects.all()
    if viewer.can_triage:
        return qs
    qs = qs.exclude(booth__isnull=True).exclude(status=ComplaintStatus.RECEIVED)
    if viewer.booth_ids is not None:
        qs = qs.filter(booth_id__in=viewer.booth_ids)
    return qs


def _by_id(qs, complaint_id) -> Complaint:
    try:
        return qs.select_related("booth", "offering", "application", "ticket").get(
            pk=int(complaint_id)
        )
    except (Complaint.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Pengaduan tidak ditemukan.")) from exc


def access_complaint_for_staff(*, user, complaint_id) -> tuple[Complaint, Viewer]:
    """The complaint and how this staff member sees it, or NotFoundError (404) — also for one
    outside their booths, which for them does not exist."""
    viewer = viewer_for(user)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    return _by_id(staff_visible(viewer), complaint_id), viewer


def access_complaint_for_citizen(*, user, complaint_id) -> Complaint:
    """The signed-in citizen's own complaint in this region, else NotFoundError."""
    if user is None or not user.is_authenticated:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    return _by_id(Complaint.objects.filter(owner=user), complaint_id)


#: Wrong tracking codes allowed per client and region before lookups are refused for a while.
TRACK_ATTEMPTS = 10
TRACK_WINDOW_SECONDS = 3600


def _track_key(client: str) -> str:
    return f"complaints:track-failures:{client}"


def access_complaint_by_code(*, code, client: str) -> Complaint:
    """The complaint holding this tracking code. Wrong codes are counted per client (IP) and
    region (cache keys carry the schema); past the limit every lookup is refused (429), right
    or wrong, so codes cannot be guessed."""
    key = _track_key(client or "unknown")
    failures = cache.get(key, 0)
    if failures >= TRACK_ATTEMPTS:
        raise Throttled(
            _("Terlalu banyak kode lacak yang salah. Coba lagi dalam satu jam."),
            extra={"errors": {"code": [_("Terlalu banyak percobaan.")]}},
        )
    normalized = normalize_tracking_code(code)
    complaint = (
        Complaint.objects.select_related("booth", "offering")
        .filter(tracking_code=normalized)
        .first()
        if normalized
        else None
    )
    if complaint is None:
        cache.set(key, failures + 1, TRACK_WINDOW_SECONDS)
        raise NotFoundError(
            _("Kode lacak tidak ditemukan. Periksa kembali kode pada bukti pengaduan."),
            extra={"errors": {"code": [_("Kode lacak tidak ditemukan.")]}},
        )
    return complaint


# --- transitions ---------------------------------------------------------------------------------
def _not_available(complaint: Complaint) -> ConflictError:
    return ConflictError(
        _("Pengaduan berstatus “%(status)s”; aksi ini tidak tersedia.")
        % {"status": complaint.get_status_display()},
        code="invalid_transition",
    )


def _lock(complaint: Complaint, allowed_from: tuple[str, ...]) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in allowed_from:
        raise _not_available(locked)
    return locked


def _event(complaint, *, action, previous, actor, role, note="") -> Event:
    return Event.objects.create(
        complaint=complaint,
        action=action,
        from_status=previous,
        to_status=complaint.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=role,
        note=note,
    )


def _first_response(complaint: Complaint) -> None:
    if complaint.first_response_at is None:
        complaint.first_response_at = timezone.now()
        # The webhook event "answered": the complainant's first response, whichever step it was.
        region_event_emit(
            kind=EventKind.COMPLAINT_ANSWERED,
            subject_type="complaint",
            subject_id=complaint.pk,
            data={"number": complaint.number, "status": complaint.status},
        )


def _finish(complaint: Complaint, status: str, due) -> None:
    now = timezone.now()
    complaint.status = status
    complaint.closed_at = now
    complaint.closed_on_time = due is None or local_date(now) <= due
    _first_response(complaint)


def _require_triage(viewer: Viewer) -> None:
    if not viewer.can_triage:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))


def complaint_route(
    *, actor, complaint: Complaint, booth, complexity: str, note: str = ""
) -> Complaint:
    """Verify and route to a booth with a complexity (or re-route one in progress). The
    follow-up deadline counts from the day of triage; information requests are simple."""
    viewer = viewer_for(actor)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    _require_triage(viewer)
    if not isinstance(booth, Booth):
        booth_id = _int(booth)
        booth = Booth.objects.filter(pk=booth_id, is_active=True).first() if booth_id else None
    if booth is None or not booth.is_active:
        raise field_error("booth", _("Pilih gerai yang aktif."))
    if complaint.kind == ComplaintKind.INFORMATION:
        complexity = Complexity.SIMPLE
    if complexity not in Complexity.values:
        raise field_error("complexity", _("Pilih kompleksitas."))
    note = (note or "").strip()
    if len(note) > MAX_MESSAGE:
        raise field_error("note", _("Catatan terlalu panjang."))
    with transaction.atomic():
        locked = _lock(complaint, (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS))
        previous = locked.status
        now = timezone.now()
        if previous == ComplaintStatus.RECEIVED or locked.triaged_at is None:
            locked.triaged_at = now
        start = local_date(locked.triaged_at)
        moved = locked.booth_id != booth.pk
        locked.booth = booth
        locked.complexity = complexity
        locked.resolution_due = add_region_working_days(
            start, RESOLUTION_DAYS[Complexity(complexity)]
        )
        locked.status = ComplaintStatus.IN_PROGRESS
        locked.reminded_for = locked.escalated_for = None
        _first_response(locked)
        locked.save()
        event = _event(
            locked,
            action="routed" if previous == ComplaintStatus.RECEIVED else "rerouted",
            previous=previous,
            actor=actor,
            role=viewer.role,
            note=_("Diteruskan ke %(booth)s; tindak lanjut paling lambat %(due)s.")
            % {"booth": booth.display_name, "due": f"{locked.resolution_due:%d-%m-%Y}"},
        )
        if note:
            Message.objects.create(
                complaint=locked,
                side=Message.Side.STAFF,
                author=actor,
                author_role=viewer.role,
                is_internal=True,
                body=note,
            )
        audit_log(
            actor=actor,
            action="complaints.complaint.routed",
            target=locked,
            data={"booth": booth.pk, "complexity": complexity, "from": previous},
        )
        index_write(locked)
        if previous == ComplaintStatus.RECEIVED or moved:
            # The complainant and the booth's staff are told by a worker after commit.
            event_notice_enqueue(event)
    return locked


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def complaint_mark_not_complaint(*, actor, complaint: Complaint, reason: str) -> Complaint:
    viewer = viewer_for(actor)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    _require_triage(viewer)
    reason = clean_text(reason, field="reason", max_length=MAX_MESSAGE)
    with transaction.atomic():
        locked = _lock(complaint, (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS))
        previous = locked.status
        locked.not_complaint_reason = reason
        _finish(locked, ComplaintStatus.NOT_COMPLAINT, locked.due_date)
        locked.save()
        event = _event(
            locked,
            action="not_complaint",
            previous=previous,
            actor=actor,
            role=viewer.role,
            note=reason,
        )
        audit_log(actor=actor, action="complaints.complaint.not_complaint", target=locked)
        index_write(locked)
        event_notice_enqueue(event)
    return locked


def complaint_forward_to_lapor(*, actor, complaint: Complaint, note: str = "") -> Complaint:
    """Outside the MPP's reach: forward to SP4N-LAPOR! through the adapter and keep its tracking
    number. Anonymous reports go without a reporter; confidential ones with LAPOR!'s *rahasia*
    flag. A refusal of the gateway changes nothing here."""
    viewer = viewer_for(actor)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    _require_triage(viewer)
    note = (note or "").strip()[:MAX_MESSAGE]
    with transaction.atomic():
        locked = _lock(complaint, (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS))
        previous = locked.status
        reporter = None
        if locked.privacy != Privacy.ANONYMOUS:
            reporter = LaporReporter(
                name=locked.complainant_name or _("(tanpa nama)"),
                phone=locked.complainant_phone,
                email=locked.complainant_email,
            )
        report = LaporReport(
            reference=locked.number,
            kind=locked.kind,
            title=locked.subject,
            body=locked.description + (f"\n\n{note}" if note else ""),
            region_code=current_region().code,
            agency_hint=locked.booth.agency_name if locked.booth is not None else "",
            reporter=reporter,
            is_confidential=locked.privacy == Privacy.CONFIDENTIAL,
            attachments=list(locked.attachments.values_list("sha256", flat=True)),
        )
        try:
            with transaction.atomic():
                receipt = get_lapor_gateway().submit(report)
        except LaporError as exc:
            raise DomainError(
                _("SP4N-LAPOR! menolak laporan: %(reason)s") % {"reason": exc.message},
                code="lapor_refused",
            ) from exc
        locked.lapor_tracking_id = receipt.tracking_id
        locked.forwarded_at = timezone.now()
        _finish(locked, ComplaintStatus.FORWARDED, locked.due_date)
        locked.save()
        event = _event(
            locked,
            action="forwarded",
            previous=previous,
            actor=actor,
            role=viewer.role,
            note=_("Diteruskan ke SP4N-LAPOR! dengan nomor tracking %(id)s.")
            % {"id": receipt.tracking_id},
        )
        audit_log(
            actor=actor,
            action="complaints.complaint.forwarded",
            target=locked,
            data={"tracking_id": receipt.tracking_id},
        )
        index_write(locked)
        event_notice_enqueue(event)
    return locked


def complaint_close(*, actor, complaint: Complaint, answer: str) -> Complaint:
    """Answer and close: booth staff for a complaint routed to their booth, or the complaint
    officer (who may also answer a simple one directly at verification)."""
    viewer = viewer_for(actor)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    answer = clean_text(answer, field="answer", max_length=MAX_RESOLUTION)
    with transaction.atomic():
        allowed = (
            (ComplaintStatus.RECEIVED, ComplaintStatus.IN_PROGRESS)
            if viewer.can_triage
            else (ComplaintStatus.IN_PROGRESS,)
        )
        locked = _lock(complaint, allowed)
        if not viewer.may_handle(locked):
            raise NotFoundError(_("Pengaduan tidak ditemukan."))
        previous = locked.status
        locked.resolution = answer
        _finish(locked, ComplaintStatus.CLOSED, locked.due_date)
        locked.save()
        Message.objects.create(
            complaint=locked,
            side=Message.Side.STAFF,
            author=actor,
            author_role=viewer.role,
            body=answer,
        )
        event = _event(locked, action="closed", previous=previous, actor=actor, role=viewer.role)
        region_event_emit(
            kind=EventKind.COMPLAINT_CLOSED,
            subject_type="complaint",
            subject_id=locked.pk,
            data={"number": locked.number, "status": locked.status, "previous_status": previous},
        )
        audit_log(
            actor=actor,
            action="complaints.complaint.closed",
            target=locked,
            data={"on_time": locked.closed_on_time},
        )
        index_write(locked)
        event_notice_enqueue(event)
    return locked


def complaint_message_staff(
    *, actor, complaint: Complaint, body: str, internal: bool = False, uploads=None
) -> Message:
    """A message from staff to the complainant (the first one counts as the first response),
    or an internal note between the officer and the booth."""
    viewer = viewer_for(actor)
    if viewer is None:
        raise NotFoundError(_("Pengaduan tidak ditemukan."))
    body = clean_text(body, field="body", max_length=MAX_MESSAGE)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not internal and not locked.is_open:
            raise _not_available(locked)
        if not internal and not viewer.may_handle(locked):
            raise NotFoundError(_("Pengaduan tidak ditemukan."))
        checked = check_uploads(
            uploads, field_name="attachments", already=locked.attachments.count()
        )
        message = Message.objects.create(
            complaint=locked,
            side=Message.Side.STAFF,
            author=actor,
            author_role=viewer.role,
            is_internal=internal,
            body=body,
        )
        store_attachments(
            complaint=locked, checked=checked, actor=actor, side="staff", message=message
        )
        if not internal:
            _first_response(locked)
            locked.save(update_fields=["first_response_at", "updated_at"])
            index_write(locked)
            message_notice_enqueue(message)
        audit_log(
            actor=actor,
            action="complaints.message.staff",
            target=locked,
            data={"internal": internal},
        )
    return message


def complaint_message_citizen(*, actor, complaint: Complaint, body: str, uploads=None) -> Message:
    """A message (and evidence) from the complainant; the staff concerned are told."""
    body = clean_text(body, field="body", max_length=MAX_MESSAGE)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if not locked.is_open:
            raise _not_available(locked)
        checked = check_uploads(
            uploads, field_name="attachments", already=locked.attachments.count()
        )
        message = Message.objects.create(
            complaint=locked,
            side=Message.Side.CITIZEN,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            author_role=CITIZEN,
            body=body,
        )
        store_attachments(
            complaint=locked, checked=checked, actor=actor, side="citizen", message=message
        )
        locked.save(update_fields=["updated_at"])
        audit_log(actor=actor, action="complaints.message.citizen", target=locked)
        message_notice_enqueue(message)
    return message


def reopen_deadline(complaint: Complaint):
    if complaint.closed_at is None:
        return None
    return add_region_working_days(local_date(complaint.closed_at), REOPEN_DAYS)


def complaint_reopen(*, actor, complaint: Complaint, reason: str) -> Complaint:
    """The complainant disagrees: once, within 10 working days of closing, and not after rating.
    It goes back to the complaint officer with a fresh first-response deadline."""
    reason = clean_text(reason, field="reason", max_length=MAX_MESSAGE)
    with transaction.atomic():
        locked = _lock(complaint, (ComplaintStatus.CLOSED, ComplaintStatus.NOT_COMPLAINT))
        if locked.reopen_count >= 1:
            raise ConflictError(
                _("Pengaduan ini sudah pernah dibuka kembali; pembukaan kembali hanya sekali."),
                code="reopen_used",
            )
        if locked.rating is not None:
            raise ConflictError(
                _("Penanganan sudah Anda nilai; pengaduan tidak dapat dibuka kembali."),
                code="already_rated",
            )
        deadline = reopen_deadline(locked)
        today = region_today()
        if deadline is None or today > deadline:
            raise ConflictError(
                _(
                    "Batas membuka kembali (%(n)s hari kerja setelah selesai, sampai %(date)s) "
                    "sudah lewat."
                )
                % {"n": REOPEN_DAYS, "date": f"{deadline:%d-%m-%Y}" if deadline else "-"},
                code="reopen_window_passed",
            )
        previous = locked.status
        locked.status = ComplaintStatus.RECEIVED
        locked.reopen_count += 1
        locked.reopened_at = timezone.now()
        locked.closed_at = None
        locked.closed_on_time = None
        locked.resolution = ""
        locked.not_complaint_reason = ""
        locked.response_due = add_region_working_days(today, RESPONSE_DAYS)
        locked.resolution_due = None
        locked.reminded_for = locked.escalated_for = None
        locked.save()
        Message.objects.create(
            complaint=locked,
            side=Message.Side.CITIZEN,
            author=actor if getattr(actor, "is_authenticated", False) else None,
            author_role=CITIZEN,
            body=reason,
        )
        event = _event(locked, action="reopened", previous=previous, actor=actor, role=CITIZEN)
        audit_log(actor=actor, action="complaints.complaint.reopened", target=locked)
        index_write(locked)
        event_notice_enqueue(event)
    return locked


def complaint_rate(*, actor, complaint: Complaint, rating, comment: str = "") -> Complaint:
    """Once, on a closed complaint: 1–5 and an optional comment."""
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise field_error("rating", _("Pilih nilai 1 sampai 5."))
    comment = (comment or "").strip() if isinstance(comment, str) else ""
    if len(comment) > MAX_COMMENT:
        raise field_error(
            "comment", _("Terlalu panjang (paling banyak %(n)s karakter).") % {"n": MAX_COMMENT}
        )
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.rating is not None:
            raise ConflictError(
                _("Penanganan pengaduan ini sudah Anda nilai."), code="already_rated"
            )
        if locked.status != ComplaintStatus.CLOSED:
            raise ConflictError(
                _("Penilaian dapat diberikan setelah pengaduan selesai."), code="not_closed"
            )
        locked.rating = value
        locked.rating_comment = comment
        locked.rated_at = timezone.now()
        locked.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
        _event(
            locked,
            action="rated",
            previous=locked.status,
            actor=actor,
            role=CITIZEN,
            note=f"{value}/5",
        )
        audit_log(
            actor=actor, action="complaints.complaint.rated", target=locked, data={"rating": value}
        )
        index_write(locked)
    return locked
