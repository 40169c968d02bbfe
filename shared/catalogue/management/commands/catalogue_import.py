from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shared.catalogue.services import catalogue_import


class Command(BaseCommand):
    help = (
        "Impor berkas katalog (.json atau .csv). Seluruh berkas diperiksa dulu; bila ada baris "
        "yang salah, tidak ada yang diterapkan."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="hanya periksa")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"berkas tidak ditemukan: {path}")
        report = catalogue_import(
            actor=None, content=path.read_bytes(), filename=path.name, dry_run=dry_run
        )
        for e in report.errors:
            self.stderr.write(
                f"{e['section']} baris {e['row']} {e['code']} {e['field']}: {e['message']}"
            )
        if not report.valid:
            raise CommandError(f"{len(report.errors)} kesalahan; tidak ada yang diterapkan")
        state = "diperiksa (tidak diterapkan)" if dry_run else "diterapkan"
        self.stdout.write(
            f"{state}: {len(report.created)} baru, {len(report.updated)} berubah, "
            f"{report.unchanged} tetap"
        )
