"""Writes for counters (loket)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kernel.audit import audit_log
from kernel.errors import NotFoundError
from tenants.mpp.models import Booth, Counter, Offering
from tenants.mpp.services._common import field_error, full_clean_or_error

_UNSET: Any = object()


def access_counter(*, counter_id) -> Counter:
    try:
        return Counter.objects.select_related("booth").get(pk=int(counter_id))
    except (Counter.DoesNotExist, TypeError, ValueError) as exc:
        raise NotFoundError(_("Loket tidak ditemukan.")) from exc


def _clean_prefix(prefix: str) -> str:
    prefix = (prefix or "").strip().upper()
    if len(prefix) != 1 or not ("A" <= prefix <= "Z"):
        raise field_error("ticket_prefix", _("Huruf antrean harus satu huruf A–Z."))
    return prefix


def _clean_offerings(offerings: Iterable[Offering]) -> list[Offering]:
    offerings = list(offerings)
    dropped = [o for o in offerings if not o.is_active]
    if dropped:
        raise field_error(
            "offerings",
            _("Layanan %(name)s sudah tidak ditawarkan.") % {"name": dropped[0]},
        )
    return offerings


def _check_number_free(number: str, *, exclude_pk=None) -> None:
    qs = Counter.objects.filter(number__iexact=number)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise field_error("number", _("Nomor loket %(n)s sudah dipakai.") % {"n": number})


@transaction.atomic
def counter_create(
    *,
    actor,
    booth: Booth,
    number: str,
    ticket_prefix: str,
    name: str = "",
    offerings: Iterable[Offering] = (),
) -> Counter:
    number = (number or "").strip()
    if not number:
        raise field_error("number", _("Nomor loket wajib diisi."))
    if not booth.is_active:
        raise field_error("booth", _("Gerai ini tidak aktif."))
    _check_number_free(number)
    counter = Counter(
        booth=booth,
        number=number,
        name=(name or "").strip(),
        ticket_prefix=_clean_prefix(ticket_prefix),
    )
    full_clean_or_error(counter)
    counter.save()
    offerings = _clean_offerings(offerings)
    counter.offerings.set(offerings)
    audit_log(
        actor=actor,
        action="mpp.counter.created",
        target=counter,
        data={
            "booth": booth.pk,
            "number": number,
            "prefix": counter.ticket_prefix,
            "offerings": sorted(o.pk for o in offerings),
        },
    )
    return counter


@transaction.atomic
def counter_update(
    *,
    actor,
    counter: Counter,
    booth: Booth | Any = _UNSET,
    number: str | Any = _UNSET,
    name: str | Any = _UNSET,
    ticket_prefix: str | Any = _UNSET,
    is_active: bool | Any = _UNSET,
    offerings: Iterable[Offering] | Any = _UNSET,
) -> Counter:
    changed: dict[str, Any] = {}
    if booth is not _UNSET and booth.pk != counter.booth_id:
        if not booth.is_active:
            raise field_error("booth", _("Gerai ini tidak aktif."))
        counter.booth = booth
        changed["booth"] = booth.pk
    if number is not _UNSET:
        number = (number or "").strip()
        if not number:
            raise field_error("number", _("Nomor loket wajib diisi."))
        _check_number_free(number, exclude_pk=counter.pk)
        if number != counter.number:
            counter.number = changed["number"] = number
    if name is not _UNSET and (name or "").strip() != counter.name:
        counter.name = changed["name"] = (name or "").strip()
    if ticket_prefix is not _UNSET:
        prefix = _clean_prefix(ticket_prefix)
        if prefix != counter.ticket_prefix:
            counter.ticket_prefix = changed["ticket_prefix"] = prefix
    if is_active is not _UNSET and bool(is_active) != counter.is_active:
        counter.is_active = changed["is_active"] = bool(is_active)
    full_clean_or_error(counter)
    counter.save()
    if offerings is not _UNSET:
        offerings = _clean_offerings(offerings)
        before = set(counter.offerings.values_list("pk", flat=True))
        after = {o.pk for o in offerings}
        if before != after:
            counter.offerings.set(offerings)
            changed["offerings"] = sorted(after)
    if changed:
        audit_log(actor=actor, action="mpp.counter.updated", target=counter, data=changed)
    return counter
