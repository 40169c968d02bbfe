from django.core.management.base import BaseCommand

from shared.catalogue.exchange import catalogue_export_csv, catalogue_export_json


class Command(BaseCommand):
    help = (
        "Ekspor seluruh katalog nasional sebagai JSON (lengkap) atau CSV (satu baris per layanan)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", help="berkas tujuan (bawaan: stdout)")

    def handle(self, *args, format: str, output: str | None, **options):
        content = catalogue_export_json() if format == "json" else catalogue_export_csv()
        if output:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                fh.write(content)
        else:
            self.stdout.write(content, ending="")
