"""What region apps tell the citizen's side about a citizen, without ``shared`` importing them.

A region app registers a function here in its ``AppConfig.ready()``; the citizen's "download my
data", "delete my account" and the end of the retention period call every registered function.
Each runs only in the schemas of the regions the citizen has records in (from the public
indexes ``ApplicationIndex`` and ``ComplaintIndex``), never all 514.
"""

from __future__ import annotations

from collections.abc import Callable

#: f(profile) -> set of Document ids attached to submitted (non-draft) applications: kept with
#: those applications for the retention period when the citizen deletes the account.
retained_document_finders: list[Callable] = []
#: f(profile) -> None: remove what the citizen's account deletion removes in region schemas
#: (unsubmitted drafts).
account_deletion_handlers: list[Callable] = []

#: f(stdout) -> int: re-encrypt the NIKs a region app keeps (applicant snapshots) under the newest
#: key; returns how many were rewritten (``manage.py rotate_nik_keys``).
nik_rotation_handlers: list[Callable] = []


#: f(profile) -> {archive name: bytes, or a JSON-able value}: what the region app holds about
#: the citizen, added to their "download my data" archive.
data_export_contributors: list[Callable] = []

#: f(profile, *, dry_run) -> {what: count}: destroy what the region app kept for the retention
#: period after the citizen deleted the account (only counting when ``dry_run``).
retention_expiry_handlers: list[Callable] = []


def register_data_export_contributor(func: Callable) -> Callable:
    if func not in data_export_contributors:
        data_export_contributors.append(func)
    return func


def register_retention_expiry_handler(func: Callable) -> Callable:
    if func not in retention_expiry_handlers:
        retention_expiry_handlers.append(func)
    return func


def register_nik_rotation_handler(func: Callable) -> Callable:
    if func not in nik_rotation_handlers:
        nik_rotation_handlers.append(func)
    return func


def register_retained_document_finder(func: Callable) -> Callable:
    if func not in retained_document_finders:
        retained_document_finders.append(func)
    return func


def register_account_deletion_handler(func: Callable) -> Callable:
    if func not in account_deletion_handlers:
        account_deletion_handlers.append(func)
    return func
