"""Writes of the SKM: invitations from finished transactions, responses, the region's settings,
extra questions and follow-up plan. Run inside a region's schema; every write audits.

One response per transaction holds under any concurrency: a response is written only by the
transaction whose conditional ``UPDATE … SET answered_at = now WHERE answered_at IS NULL AND
expires_at > now`` changed the invitation's row; PostgreSQL makes every other concurrent submit
wait for that row and then find it answered. The response keeps no link to the invitation
(anonymity, see models).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from kernel.audit import audit_log
from kernel.errors import ConflictError, DomainError, NotFoundError
from shared.survey.elements import (
    AGE_MAX,
    AGE_MIN,
    EDUCATION,
    ELEMENT_BY_CODE,
    ELEMENT_CODES,
    OCCUPATION,
    SEX,
)
from shared.survey.models import Questionnaire
from shared.survey.selectors import current_questionnaire
from tenants.mpp.models import Booth, Offering
from tenants.mpp.selectors import region_now
from tenants.survey.links import invitation_token
from tenants.survey.models import (
    SUM_FIELDS,
    DailySum,
    ExtraQuestion,
    FollowUpAction,
    Invitation,
    Response,
    SourceKind,
    SurveySettings,
)

SUGGESTION_MAX = 2000
EXTRA_TEXT_MAX = 300


class InvitationExpiredError(DomainError):
    status_code = status.HTTP_410_GONE
    code = "expired"


def survey_settings() -> SurveySettings:
    settings, _created = SurveySettings.objects.get_or_create(key=1)
    return settings


# --- invitations ---------------------------------------------------------------------------------


def offering_agency(offering: Offering | None) -> tuple[str, str]:
    """(key, name) of the agency that provides ``offering``: ``n<id>`` national, ``l<id>``
    local, the same keys as the public site's lists."""
    if offering is None:
        return "", ""
    service = offering.service if offering.service_id else None
    if service is not None:
        return f"n{service.agency_id}", service.agency.name
    national = offering.agency if offering.agency_id else None
    if national is not None:
        return f"n{national.pk}", national.name
    local = offering.local_agency if offering.local_agency_id else None
    if local is not None:
        return f"l{local.pk}", local.name
    return "", ""


def offering_name(offering: Offering | None) -> str:
    if offering is None:
        return ""
    service = offering.service if offering.service_id else None
    return offering.name or (service.name if service is not None else offering.code)


def survey_invitation_create(
    *,
    actor,
    source_kind: str,
    source_id: int,
    reference: str,
    offering: Offering | None = None,
    booth: Booth | None = None,
    finished_at: dt.datetime | None = None,
) -> Invitation:
    """The invitation for one finished transaction, created once (a second call returns the
    same row). Call it inside the transaction that finishes the source, so the invitation
    exists exactly when the finish is committed."""
    if source_kind not in SourceKind.values:
        raise ValueError(f"unknown survey source {source_kind!r}")
    at = finished_at or timezone.now()
    existing = Invitation.objects.filter(source_kind=source_kind, source_id=source_id).first()
    if existing is not None:
        return existing
    key, agency = offering_agency(offering)
    valid_days = survey_settings().invitation_valid_days
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                token=invitation_token(source_kind, source_id),
                source_kind=source_kind,
                source_id=source_id,
                reference=(reference or "")[:40],
                offering=offering,
                booth=booth if booth is not None else getattr(offering, "booth", None),
                offering_name=offering_name(offering)[:200],
                agency_key=key,
                agency_name=agency[:200],
                finished_at=at,
                date=region_now(at).date(),
                expires_at=at + dt.timedelta(days=valid_days),
            )
    except IntegrityError:  # created by a concurrent call for the same source
        return Invitation.objects.get(source_kind=source_kind, source_id=source_id)
    audit_log(
        actor=actor,
        action="survey.invitation.created",
        target=invitation,
        data={"source": source_kind, "reference": invitation.reference},
    )
    return invitation


def invitation_for_token(token: str, *, at: dt.datetime | None = None) -> Invitation:
    """The invitation behind a link, or a clear refusal: unknown (or not yet finished), used,
    expired."""
    token = (token or "").strip().lower()[:64]
    invitation = (
        Invitation.objects.select_related("offering", "booth").filter(token=token).first()
        if token
        else None
    )
    if invitation is None:
        raise NotFoundError(
            _(
                "Tautan survei ini tidak dikenal di MPP ini, atau layanan Anda belum selesai. "
                "Survei dapat diisi setelah layanan selesai."
            ),
            code="unknown_invitation",
        )
    _check_open(invitation, at=at or timezone.now())
    return invitation


def _check_open(invitation: Invitation, *, at: dt.datetime) -> None:
    if invitation.answered_at is not None:
        raise ConflictError(
            _("Survei untuk transaksi %(ref)s sudah diisi. Terima kasih atas penilaian Anda.")
            % {"ref": invitation.reference},
            code="already_answered",
        )
    if invitation.expires_at <= at:
        raise InvitationExpiredError(
            _("Masa berlaku undangan survei ini sudah habis (sampai %(date)s).")
            % {"date": region_now(invitation.expires_at).strftime("%d-%m-%Y")}
        )


_TICKET_NUMBER = re.compile(r"^([A-Z])\s*[-\s]?\s*0*(\d{1,4})$")


def normalize_ticket_number(raw: str | None) -> str:
    """``a12``, ``A 012`` or ``A-012`` → ``A-012`` (the queue's printed form); "" if not one."""
    match = _TICKET_NUMBER.match((raw or "").strip().upper())
    if not match:
        return ""
    return f"{match[1]}-{int(match[2]):03d}"


def invitation_for_ticket_number(raw: str, *, day: dt.date | None = None) -> Invitation:
    """The booth tablet: today's finished ticket with this number, open for the survey."""
    number = normalize_ticket_number(raw)
    if not number:
        raise DomainError(
            _("Tulis nomor antrean seperti tercetak di tiket, misalnya A-012."),
            code="bad_number",
        )
    at = timezone.now()
    day = day or region_now(at).date()
    invitation = Invitation.objects.filter(
        source_kind=SourceKind.QUEUE_TICKET, reference=number, date=day
    ).first()
    if invitation is None:
        raise NotFoundError(
            _(
                "Nomor antrean %(number)s belum selesai dilayani hari ini. Survei dapat diisi "
                "setelah petugas menyelesaikan layanan Anda."
            )
            % {"number": number},
            code="unknown_ticket",
        )
    _check_open(invitation, at=at)
    return invitation


# --- responses -----------------------------------------------------------------------------------


@dataclass
class CleanAnswers:
    scores: dict[str, int]
    sex: str
    age: int
    education: str
    occupation: str
    suggestion: str
    extra: dict[str, int | str]


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def answers_clean(data, *, extra_questions: list[ExtraQuestion]) -> CleanAnswers:
    """Validate a submitted form (a QueryDict or dict). Raises DomainError with a message per
    field (``extra["errors"]``) for an unanswered element, a score outside 1–4, a missing or
    invalid profile field, a suggestion too long."""
    errors: dict[str, list[str]] = {}
    scores: dict[str, int] = {}
    for code in ELEMENT_CODES:
        raw = (data.get(code) or "").strip() if isinstance(data.get(code), str) else data.get(code)
        name = ELEMENT_BY_CODE[code].name
        if raw in (None, ""):
            errors[code] = [_("Pilih salah satu jawaban untuk unsur %(name)s.") % {"name": name}]
            continue
        value = _int(raw)
        if value is None or not 1 <= value <= 4:
            errors[code] = [_("Jawaban unsur %(name)s harus bernilai 1 sampai 4.") % {"name": name}]
            continue
        scores[code] = value
    sex = (data.get("sex") or "").strip().upper()
    if sex not in SEX.values:
        errors["sex"] = [_("Pilih jenis kelamin.")]
    age = _int(data.get("age"))
    if age is None or not AGE_MIN <= age <= AGE_MAX:
        errors["age"] = [
            _("Isi usia dengan angka %(min)s–%(max)s.") % {"min": AGE_MIN, "max": AGE_MAX}
        ]
    education = (data.get("education") or "").strip()
    if education not in EDUCATION.values:
        errors["education"] = [_("Pilih pendidikan terakhir.")]
    occupation = (data.get("occupation") or "").strip()
    if occupation not in OCCUPATION.values:
        errors["occupation"] = [_("Pilih pekerjaan.")]
    suggestion = (data.get("suggestion") or "").strip()
    if len(suggestion) > SUGGESTION_MAX:
        errors["suggestion"] = [_("Saran paling panjang %(n)s karakter.") % {"n": SUGGESTION_MAX}]
    extra: dict[str, int | str] = {}
    for question in extra_questions:
        field = f"q{question.pk}"
        raw = (data.get(field) or "").strip()
        if not raw:
            continue  # the region's own questions are optional
        if question.kind == ExtraQuestion.Kind.SCALE:
            value = _int(raw)
            if value is None or not 1 <= value <= 4:
                errors[field] = [_("Jawaban harus bernilai 1 sampai 4.")]
                continue
            extra[str(question.pk)] = value
        else:
            if len(raw) > EXTRA_TEXT_MAX:
                errors[field] = [_("Paling panjang %(n)s karakter.") % {"n": EXTRA_TEXT_MAX}]
                continue
            extra[str(question.pk)] = raw
    if errors:
        raise DomainError(
            _("Periksa kembali isian yang ditandai."), code="invalid", extra={"errors": errors}
        )
    return CleanAnswers(
        scores=scores,
        sex=sex,
        age=age or 0,
        education=education,
        occupation=occupation,
        suggestion=suggestion,
        extra=extra,
    )


def active_extra_questions() -> list[ExtraQuestion]:
    return list(ExtraQuestion.objects.filter(is_active=True))


_SUM_SQL = """
INSERT INTO {table} (date, offering_id, respondents, {sums}, updated_at)
VALUES (%s, %s, 1, {placeholders}, %s)
ON CONFLICT (date, offering_id) DO UPDATE SET respondents = {table}.respondents + 1,
    updated_at = EXCLUDED.updated_at, {updates}
"""


def daily_sum_add(*, day: dt.date, offering_id: int | None, scores: dict[str, int]) -> None:
    """Add one response to its day's row: one atomic upsert, race-free."""
    table = DailySum._meta.db_table
    sql = _SUM_SQL.format(
        table=table,
        sums=", ".join(SUM_FIELDS),
        placeholders=", ".join(["%s"] * len(SUM_FIELDS)),
        updates=", ".join(f"{f} = {table}.{f} + EXCLUDED.{f}" for f in SUM_FIELDS),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [day, offering_id, *[scores[c] for c in ELEMENT_CODES], timezone.now()])


_REBUILD_SQL = """
INSERT INTO {table} (date, offering_id, respondents, {sums}, updated_at)
SELECT date, offering_id, count(*), {response_sums}, %s
FROM {responses} WHERE date >= %s GROUP BY date, offering_id
"""


def daily_sums_rebuild(*, since: dt.date | None = None) -> int:
    """Recompute the daily sums from the responses (all days, or from ``since``): for bulk
    imports and repairs. Call inside a transaction. Returns the rows written."""
    since = since or dt.date(2000, 1, 1)
    table = DailySum._meta.db_table
    DailySum.objects.filter(date__gte=since).delete()
    sql = _REBUILD_SQL.format(
        table=table,
        sums=", ".join(SUM_FIELDS),
        response_sums=", ".join(f"sum({c})" for c in ELEMENT_CODES),
        responses=Response._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), since])
        return cursor.rowcount


def response_submit(
    *,
    token: str,
    data,
    channel: str = Response.Channel.LINK,
    language: str = "id",
    questionnaire: Questionnaire | None = None,
    at: dt.datetime | None = None,
) -> Response:
    """Record the answers for the transaction behind ``token``. Anonymous: the response keeps
    no user, the audit entry no actor."""
    at = at or timezone.now()
    # A clear refusal (unknown, used, expired) before the form is even checked.
    invitation = invitation_for_token(token, at=at)
    questionnaire = questionnaire or current_questionnaire()
    clean = answers_clean(data, extra_questions=active_extra_questions())
    if channel not in Response.Channel.values:
        channel = Response.Channel.LINK
    with transaction.atomic():
        claimed = Invitation.objects.filter(
            pk=invitation.pk, answered_at__isnull=True, expires_at__gt=at
        ).update(answered_at=at)
        if not claimed:  # another submit won the race (or the link expired meanwhile)
            invitation.refresh_from_db()
            _check_open(invitation, at=at)
            raise ConflictError(
                _("Survei untuk transaksi ini sudah diisi. Terima kasih atas penilaian Anda."),
                code="already_answered",
            )
        day = region_now(at).date()
        response = Response.objects.create(
            questionnaire_id=questionnaire.pk,
            offering_id=invitation.offering_id,
            booth_id=invitation.booth_id,
            agency_key=invitation.agency_key,
            agency_name=invitation.agency_name,
            date=day,
            channel=channel,
            language=(language or "id")[:5],
            sex=clean.sex,
            age=clean.age,
            education=clean.education,
            occupation=clean.occupation,
            suggestion=clean.suggestion,
            extra_answers=clean.extra,
            **clean.scores,
        )
        daily_sum_add(day=day, offering_id=invitation.offering_id, scores=clean.scores)
        # Two entries that do not name each other: the invitation was answered; a response
        # was recorded (no link from the answers to the transaction, hence to the citizen).
        audit_log(
            actor=None,
            action="survey.invitation.answered",
            target=invitation,
            data={"source": invitation.source_kind, "reference": invitation.reference},
        )
        audit_log(
            actor=None,
            action="survey.response.recorded",
            data={"offering": invitation.offering_id, "date": day.isoformat()},
        )
    return response


# --- the admin's settings, questions and follow-up plan ----------------------------------------


def survey_settings_update(*, actor, invitation_valid_days) -> SurveySettings:
    days = _int(invitation_valid_days)
    if days is None or not 1 <= days <= 365:
        raise DomainError(
            _("Masa berlaku diisi 1–365 hari."),
            extra={"errors": {"invitation_valid_days": [_("Isi 1–365.")]}},
        )
    with transaction.atomic():
        settings = survey_settings()
        old = settings.invitation_valid_days
        settings.invitation_valid_days = days
        settings.save(update_fields=["invitation_valid_days", "updated_at"])
        audit_log(
            actor=actor,
            action="survey.settings.updated",
            target=settings,
            data={"invitation_valid_days": [old, days]},
        )
    return settings


def extra_question_save(
    *,
    actor,
    question: ExtraQuestion | None = None,
    text_id: str,
    text_en: str = "",
    kind: str = ExtraQuestion.Kind.SCALE,
    position: int = 0,
    is_active: bool = True,
) -> ExtraQuestion:
    text_id = (text_id or "").strip()
    if not text_id:
        raise DomainError(
            _("Tulis pertanyaannya."), extra={"errors": {"text_id": [_("Wajib diisi.")]}}
        )
    if kind not in ExtraQuestion.Kind.values:
        raise DomainError(_("Pilih jenis pertanyaan."), extra={"errors": {"kind": [_("Pilih.")]}})
    with transaction.atomic():
        question = question or ExtraQuestion()
        created = question.pk is None
        question.text_id = text_id[:300]
        question.text_en = (text_en or "").strip()[:300]
        question.kind = kind
        question.position = max(0, min(int(position or 0), 999))
        question.is_active = bool(is_active)
        question.save()
        audit_log(
            actor=actor,
            action="survey.question." + ("created" if created else "updated"),
            target=question,
            data={"text": question.text_id, "active": question.is_active},
        )
    return question


def follow_up_add(
    *, actor, period: str, element: str, action: str, schedule: str = "", responsible: str = ""
) -> FollowUpAction:
    action = (action or "").strip()
    errors = {}
    if not action:
        errors["action"] = [_("Tuliskan program atau kegiatannya.")]
    if element and element not in ELEMENT_CODES:
        errors["element"] = [_("Pilih unsur dari daftar.")]
    if errors:
        raise DomainError(_("Periksa kembali isian yang ditandai."), extra={"errors": errors})
    with transaction.atomic():
        row = FollowUpAction.objects.create(
            period=period,
            element=element or "",
            action=action[:2000],
            schedule=(schedule or "").strip()[:200],
            responsible=(responsible or "").strip()[:200],
            created_by_id=getattr(actor, "pk", None),
        )
        audit_log(
            actor=actor,
            action="survey.follow_up.created",
            target=row,
            data={"period": period, "element": row.element},
        )
    return row


def follow_up_delete(*, actor, row: FollowUpAction) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="survey.follow_up.deleted",
            target=row,
            data={"period": row.period, "action": row.action[:200]},
        )
        row.delete()
