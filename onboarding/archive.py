"""The archive an offboarded region leaves behind: its whole schema and its files, in one zip.

Contents: ``schema.sql`` (a COPY-based dump of the schema with its data, restorable with
``psql -f``), ``tables/<table>.csv`` (every table as CSV, readable anywhere),
``files/…`` (the region's media and private files: by convention under
``<MEDIA_ROOT or PRIVATE_STORAGE_ROOT>/<schema_name>/``), ``documents/…`` (the onboarding's own
documents) and ``manifest.json``. Written to a fixed path per onboarding, so a retried step
overwrites instead of leaving orphan files.
"""

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from onboarding.models import Onboarding, OnboardingDocument
from onboarding.provisioning.pgtools import run_pg_dump
from onboarding.provisioning.template import q
from onboarding.storage import private_storage


def region_file_roots(schema_name: str) -> list[Path]:
    roots = [
        Path(settings.MEDIA_ROOT) / schema_name,
        Path(settings.PRIVATE_STORAGE_ROOT) / schema_name,
    ]
    return [r for r in roots if r.is_dir()]


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


def archive_build(*, onboarding: Onboarding, actor=None) -> OnboardingDocument:
    schema_name = onboarding.region.schema_name
    name = f"onboarding/archives/{schema_name}-{onboarding.pk}.zip"
    final_path = Path(private_storage.path(name))
    final_path.parent.mkdir(parents=True, exist_ok=True)
    manifest: dict = {
        "region": {"code": onboarding.region.code, "name": onboarding.region.name},
        "schema": schema_name,
        "created_at": timezone.now().isoformat(),
        "tables": {},
        "files": [],
    }
    fd, tmp = tempfile.mkstemp(dir=final_path.parent, suffix=".part")
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            with zf.open("schema.sql", "w") as out:
                schema_dump(schema_name, out)
            for table in _tables(schema_name):
                data = b"".join(_copy_out(schema_name, table, "WITH (FORMAT csv, HEADER)"))
                zf.writestr(f"tables/{table}.csv", data)
                manifest["tables"][table] = max(data.count(b"\n") - 1, 0)
            for root in region_file_roots(schema_name):
                label = "media" if root.parent == Path(settings.MEDIA_ROOT) else "private"
                for path in sorted(p for p in root.rglob("*") if p.is_file()):
                    arcname = f"files/{label}/{path.relative_to(root)}"
                    zf.write(path, arcname)
                    manifest["files"].append(arcname)
            for document in onboarding.documents.exclude(kind=OnboardingDocument.Kind.ARCHIVE):
                if document.file.name and document.file.storage.exists(document.file.name):
                    with document.file.open("rb") as fh:
                        zf.writestr(f"documents/{document.pk}-{document.original_name}", fh.read())
            zf.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(tmp, final_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    digest = hashlib.sha256()
    with open(final_path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    document, _created = OnboardingDocument.objects.update_or_create(
        onboarding=onboarding,
        kind=OnboardingDocument.Kind.ARCHIVE,
        defaults={
            "file": name,
            "original_name": f"arsip-{onboarding.region.slug}.zip",
            "content_type": "application/zip",
            "size": final_path.stat().st_size,
            "sha256": digest.hexdigest(),
            "uploaded_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return document
