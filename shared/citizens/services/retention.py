"""The end of the retention period (UU 27/2022 PDP; arsip: UU 43/2009).

When a citizen deletes the account, their completed and rejected applications stay with their
regions, with the applicant data and documents they were submitted with, until
``CitizenProfile.retain_until`` (``MPP_APPLICATION_RETENTION_YEARS``). The day after, the daily
task destroys what was kept: the applicant snapshots and files in the regions (through
``hooks.retention_expiry_handlers``), the vault documents and their files, the "Permohonan saya"
index and the access log. The applications themselves stay as anonymous records (number,
service, dates, status) so the region's figures do not change; so does the empty profile row,
marked ``purged_at``, because region rows still point at it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kernel.audit import audit_log
from shared.citizens import hooks
from shared.citizens.models import ApplicationIndex, CitizenProfile, DataAccessLog, Document

logger = logging.getLogger(__name__)


def retention_expired(today: dt.date | None = None) -> QuerySet[CitizenProfile]:
    """Deleted accounts whose retention date has passed and whose archive is still kept.
    ``retain_until`` is the last day kept."""
    today = today or timezone.localdate()
    return CitizenProfile.objects.filter(
        deleted_at__isnull=False, purged_at__isnull=True, retain_until__lt=today
    ).order_by("retain_until", "pk")


def citizen_archive_purge(*, profile: CitizenProfile, dry_run: bool = False) -> dict[str, int]:
    """Destroy what was kept of one deleted account, or (``dry_run``) count it only. Returns
    {what: count}. One transaction: the files go only after it commits, so a failure leaves
    rows and files as they were, to be tried again the next day. Audited."""
    with transaction.atomic():
        locked = CitizenProfile.objects.select_for_update().get(pk=profile.pk)
        if locked.deleted_at is None or locked.purged_at is not None:
            return {}
        counts: dict[str, int] = {}
        for handler in hooks.retention_expiry_handlers:
            for what, n in handler(locked, dry_run=dry_run).items():
                counts[what] = counts.get(what, 0) + n
        documents = list(Document.objects.filter(profile=locked))
        index = ApplicationIndex.objects.filter(profile=locked)
        log = DataAccessLog.objects.filter(profile=locked)
        counts["vault_documents"] = len(documents)
        counts["application_index"] = index.count()
        counts["access_log"] = log.count()
        if dry_run:
            return counts
        files = [(d.file.storage, d.file.name) for d in documents if d.file.name]
        transaction.on_commit(lambda: _delete_files(files))
        Document.objects.filter(pk__in=[d.pk for d in documents]).delete()
        index.delete()
        log.delete()
        locked.purged_at = timezone.now()
        locked.save(update_fields=["purged_at", "updated_at"])
        audit_log(
            actor=None,
            action="citizens.archive.purged",
            target=locked,
            data={"retain_until": str(locked.retain_until), **counts},
        )
    return counts


def _delete_files(files: list) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the row is gone; a stray file is found by the storage's own audit
            logger.warning("retention: could not delete a stored file of a purged archive")


def retention_purge(*, today: dt.date | None = None, dry_run: bool = False) -> list[tuple]:
    """Every expired archive (see ``citizen_archive_purge``). One profile failing (a region
    schema unreachable) does not stop the others: it stays and is tried again next time.
    Returns [(profile, counts or None when it failed)]."""
    done: list[tuple] = []
    for profile in retention_expired(today):
        try:
            done.append((profile, citizen_archive_purge(profile=profile, dry_run=dry_run)))
        except Exception:
            logger.exception("retention: archive of profile %s not purged", profile.pk)
            done.append((profile, None))
    return done
