from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Siapkan platform dalam satu proses: migrasi skema publik, templat dan semua daerah, "
        "lalu data demo (idempoten). Dipakai `make run`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Tanpa data demo.")

    def handle(self, *args, no_demo: bool, **options):
        # One process instead of three: Django's start-up is most of a no-op run's cost.
        call_command("migrate_schemas", shared=True, verbosity=0)
        call_command("migrate_regions", stdout=self.stdout)
        if no_demo:
            return
        if settings.MPP_ENV not in {"dev", "test"}:
            # Production is set up without demo accounts (their password is published).
            self.stdout.write("Data demo dilewati: hanya untuk MPP_ENV=dev atau test.")
            return
        call_command("seed_demo", stdout=self.stdout)
