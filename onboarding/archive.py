"""The archive an offboarded region leaves behind: its whole schema and its files, in one zip.

Contents: ``schema.sql`` (a COPY-based dump of the schema with its data, restorable with
``psql -f``), ``tables/<table>.csv`` (every table as CSV, readable anywhere), ``files/…`` (every
file under the region's prefix in the shared private storage, by its path below the prefix),
``files-elsewhere/…`` (files the region's tables reference outside its prefix, by full name),
``documents/…`` (the onboarding's own documents) and ``manifest.json``.

The zip is built in a local temporary file, checked, then stored in the shared private storage
(``national/archives/<schema>-<onboarding>.zip``, a fixed name per onboarding, so a retried step
overwrites instead of leaving orphans) and read back from there: only an archive that the
storage returns byte for byte lets the pipeline delete the region's files and drop its schema.
"""

import hashlib
import json
import logging
import shutil
import tempfile
import zipfile

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from kernel.errors import DomainError
from kernel.files import PUBLIC_SCHEMA, file_prefix, private_storage, prune_folders, walk
from onboarding.models import Onboarding, OnboardingDocument
from onboarding.provisioning.pgtools import run_pg_dump
from onboarding.provisioning.template import q

logger = logging.getLogger(__name__)
_BLOCK = 1 << 20


class ArchiveError(DomainError):
    code = "archive_invalid"


def archive_name(onboarding: Onboarding) -> str:
    schema_name = onboarding.region.schema_name
    return f"{file_prefix(PUBLIC_SCHEMA)}archives/{schema_name}-{onboarding.pk}.zip"


def _tenant_file_fields() -> list[tuple[type[models.Model], str]]:
    tenant_apps = set(settings.TENANT_APPS) - set(settings.SHARED_APPS)
    return [
        (model, field.name)
        for model in apps.get_models()
        if model._meta.app_config.name in tenant_apps
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    ]


def region_referenced_files(schema_name: str) -> set[str]:
    """Every file name the region's own tables point at (wherever it is stored)."""
    names: set[str] = set()
    with schema_context(schema_name):
        for model, field in _tenant_file_fields():
            names.update(
                n for n in model._default_manager.values_list(field, flat=True).iterator() if n
            )
    return names


def _owned_elsewhere(name: str) -> bool:
    """A referenced file outside every prefix (written before the prefix rule). A name under
    ``national/`` or another region's prefix belongs to them, never to this region."""
    return not name.startswith((file_prefix(PUBLIC_SCHEMA), "regions/"))


def region_files(schema_name: str) -> list[str]:
    """The region's files that exist in the shared storage: everything under its prefix, and
    what its tables reference outside every prefix (files written before the prefix rule)."""
    storage = private_storage()
    under = list(walk(storage, file_prefix(schema_name)))
    elsewhere = sorted(
        n for n in region_referenced_files(schema_name) if _owned_elsewhere(n) and storage.exists(n)
    )
    return under + elsewhere


def _arcname(schema_name: str, name: str) -> str:
    prefix = file_prefix(schema_name)
    return (
        "files/" + name.removeprefix(prefix)
        if name.startswith(prefix)
        else "files-elsewhere/" + name
    )


def _tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema_name],
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_out(schema_name: str, table: str, options: str):
    with (
        connection.cursor() as cursor,
        cursor.copy(f'COPY {q(schema_name)}."{table}" TO STDOUT {options}') as copy,
    ):
        for chunk in copy:
            yield bytes(chunk)


def _columns(schema_name: str, table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped"
            " ORDER BY a.attnum",
            [schema_name, table],
        )
        return [row[0] for row in cursor.fetchall()]


def schema_ddl(schema_name: str) -> str:
    """SQL that re-creates the schema's structure (no rows): the template snapshot of the same
    migration state (the normal case: regions move in lockstep with the template), else
    pg_dump --schema-only."""
    from onboarding.models import TemplateSnapshot
    from onboarding.provisioning.template import (
        ddl_from_dump,
        migration_fingerprint,
        schema_migrations,
    )

    fingerprint = migration_fingerprint(schema_migrations(schema_name))
    snapshot = TemplateSnapshot.objects.filter(fingerprint=fingerprint).exclude(ddl="").first()
    if snapshot is not None:
        # The recorded DDL names tables as the migrations did, relative to the search path.
        return (
            f"CREATE SCHEMA {q(schema_name)};\n"
            f"SET LOCAL search_path = {q(schema_name)}, public;\n"
            + snapshot.ddl
            + "SET LOCAL search_path = public;\n"
        )
    dump = run_pg_dump(
        ["--schema-only", f"--schema={schema_name}", "--no-owner", "--no-privileges"]
    )
    return ddl_from_dump(dump)


def schema_dump(schema_name: str, out) -> None:
    """A COPY-based dump of a whole schema, restorable with ``psql -f schema.sql``.

    Read over Django's own connection, so it sees exactly what this transaction sees. Foreign
    keys are created DEFERRABLE INITIALLY DEFERRED by Django, so loading inside one transaction
    needs no particular table order.
    """
    out.write(b"-- MPP Digital: arsip skema " + schema_name.encode() + b"\n")
    out.write(b"SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n")
    out.write(b"BEGIN;\nSET LOCAL check_function_bodies = false;\n")
    out.write(schema_ddl(schema_name).encode())
    for table in _tables(schema_name):
        columns = ", ".join(f'"{c}"' for c in _columns(schema_name, table))
        out.write(f'\nCOPY {q(schema_name)}."{table}" ({columns}) FROM stdin;\n'.encode())
        for chunk in _copy_out(schema_name, table, ""):
            out.write(chunk)
        out.write(b"\\.\n")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences"
            " WHERE schemaname = %s AND last_value IS NOT NULL ORDER BY sequencename",
            [schema_name],
        )
        for sequence, last_value in cursor.fetchall():
            target = f'{q(schema_name)}."{sequence}"'
            out.write(f"SELECT pg_catalog.setval('{target}', {int(last_value)});\n".encode())
    out.write(b"COMMIT;\n")


def _write_zip(zf: zipfile.ZipFile, onboarding: Onboarding, manifest: dict) -> None:
    schema_name = manifest["schema"]
    storage = private_storage()
    with zf.open("schema.sql", "w", force_zip64=True) as out:
        schema_dump(schema_name, out)
    for table in _tables(schema_name):
        with zf.open(f"tables/{table}.csv", "w", force_zip64=True) as out:
            lines = 0
            for chunk in _copy_out(schema_name, table, "WITH (FORMAT csv, HEADER)"):
                out.write(chunk)
                lines += chunk.count(b"\n")
        manifest["tables"][table] = max(lines - 1, 0)
    for name in region_files(schema_name):
        arcname = _arcname(schema_name, name)
        digest = hashlib.sha256()
        size = 0
        with storage.open(name, "rb") as src, zf.open(arcname, "w", force_zip64=True) as dst:
            for block in iter(lambda: src.read(_BLOCK), b""):
                digest.update(block)
                size += len(block)
                dst.write(block)
        manifest["files"].append(
            {"name": name, "archived_as": arcname, "size": size, "sha256": digest.hexdigest()}
        )
    referenced = region_referenced_files(schema_name)
    prefix = file_prefix(schema_name)
    owned = {n for n in referenced if n.startswith(prefix) or _owned_elsewhere(n)}
    manifest["missing"] = sorted(owned - {f["name"] for f in manifest["files"]})
    # Named by a region row but kept by the nation or another region: not archived, not deleted.
    manifest["not_the_regions"] = sorted(referenced - owned)
    for name in manifest["missing"]:
        logger.warning("offboarding %s: referenced file %s is not stored", schema_name, name)
    for document in onboarding.documents.exclude(kind=OnboardingDocument.Kind.ARCHIVE):
        if document.file.name and document.file.storage.exists(document.file.name):
            with (
                document.file.open("rb") as src,
                zf.open(
                    f"documents/{document.pk}-{document.original_name}", "w", force_zip64=True
                ) as dst,
            ):
                shutil.copyfileobj(src, dst, _BLOCK)
    zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))


def _sha256(fh) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for block in iter(lambda: fh.read(_BLOCK), b""):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def archive_build(*, onboarding: Onboarding, actor=None) -> OnboardingDocument:
    """Build the region's archive, store it in the shared storage and verify it there."""
    schema_name = onboarding.region.schema_name
    name = archive_name(onboarding)
    manifest: dict = {
        "region": {"code": onboarding.region.code, "name": onboarding.region.name},
        "schema": schema_name,
        "file_prefix": file_prefix(schema_name),
        "created_at": timezone.now().isoformat(),
        "tables": {},
        "files": [],
    }
    storage = private_storage()
    with tempfile.TemporaryFile(suffix=".zip") as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            _write_zip(zf, onboarding, manifest)
        tmp.seek(0)
        with zipfile.ZipFile(tmp) as zf:
            bad = zf.testzip()
        if bad is not None:
            raise ArchiveError(_("Arsip rusak saat dibuat (%(name)s).") % {"name": bad})
        tmp.seek(0)
        sha256, size = _sha256(tmp)
        tmp.seek(0)
        # A fixed name per onboarding: a rerun replaces its own earlier attempt.
        if storage.exists(name):
            storage.delete(name)
        stored = storage.save(name, File(tmp, name=name))
    if stored != name:
        raise ArchiveError(
            _("Penyimpanan menyimpan arsip dengan nama lain: %(name)s") % {"name": stored}
        )
    document, _created = OnboardingDocument.objects.update_or_create(
        onboarding=onboarding,
        kind=OnboardingDocument.Kind.ARCHIVE,
        defaults={
            "file": name,
            "original_name": f"arsip-{onboarding.region.slug}.zip",
            "content_type": "application/zip",
            "size": size,
            "sha256": sha256,
            "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    archive_verify(document)
    return document


def archive_verify(document: OnboardingDocument) -> dict:
    """Read the archive back from the shared storage: same bytes as built, a readable zip.
    Returns its manifest. Raises ArchiveError otherwise (nothing may be deleted then)."""
    storage = private_storage()
    name = document.file.name
    if not name or not storage.exists(name):
        raise ArchiveError(_("Arsip data tidak ada di penyimpanan; tidak ada yang dihapus."))
    try:
        with storage.open(name, "rb") as fh:
            sha256, size = _sha256(fh)
        with storage.open(name, "rb") as fh, zipfile.ZipFile(fh) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ArchiveError(
            _("Arsip data tidak terbaca dari penyimpanan (%(error)s); tidak ada yang dihapus.")
            % {"error": type(exc).__name__}
        ) from exc
    if (sha256, size) != (document.sha256, document.size):
        raise ArchiveError(
            _("Arsip di penyimpanan berbeda dari yang dibuat; tidak ada yang dihapus.")
        )
    return manifest


def region_files_delete(*, onboarding: Onboarding, actor=None) -> dict:
    """Delete every file of the region, once its archive is verified in the shared storage.

    A file that appeared after the archive was built (the site stays readable while suspended)
    makes the archive be rebuilt first, so nothing is deleted that the archive does not hold."""
    schema_name = onboarding.region.schema_name
    document = onboarding.documents.filter(kind=OnboardingDocument.Kind.ARCHIVE).first()
    if document is None:
        raise ArchiveError(_("Arsip data belum ada; tidak ada yang dihapus."))
    manifest = archive_verify(document)
    current = region_files(schema_name)
    archived = {f["name"] for f in manifest.get("files", [])}
    rebuilt = False
    if set(current) - archived:
        document = archive_build(onboarding=onboarding, actor=actor)
        manifest = archive_verify(document)
        archived = {f["name"] for f in manifest["files"]}
        rebuilt = True
    storage = private_storage()
    deleted = 0
    for name in current:
        if name in archived:
            storage.delete(name)
            deleted += 1
    prune_folders(storage, file_prefix(schema_name))
    return {"deleted": deleted, "archive_rebuilt": rebuilt, "archive_sha256": document.sha256}
