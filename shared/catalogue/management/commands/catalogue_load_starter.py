from django.core.management.base import BaseCommand

from shared.catalogue.services import catalogue_load_starter


class Command(BaseCommand):
    help = (
        "Muat katalog awal (shared/catalogue/data/starter.json): menambah yang belum ada, "
        "tidak mengubah yang sudah ada. Aman dijalankan berulang kali."
    )

    def handle(self, *args, **options):
        report = catalogue_load_starter()
        self.stdout.write(
            f"katalog: {len(report.created)} layanan baru, {report.unchanged} sudah ada, "
            f"{report.references_created} data acuan baru"
        )
