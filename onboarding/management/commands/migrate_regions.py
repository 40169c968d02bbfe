from django.core.management import call_command
from django.core.management.base import BaseCommand

from onboarding.models import Mpp


class Command(BaseCommand):
    help = "Migrasikan skema setiap daerah."

    def handle(self, *args, **options):
        if Mpp.objects.exists():
            call_command("migrate_schemas", tenant=True, verbosity=0)
        self.stdout.write(f"{Mpp.objects.count()} skema daerah termigrasi.")
