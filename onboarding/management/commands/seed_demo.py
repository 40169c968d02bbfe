from django.core.management.base import BaseCommand, CommandError

from onboarding.demo import DemoRefusedError, demo_seed


class Command(BaseCommand):
    help = (
        "Isi data demo (wilayah, tiga MPP demo, akun demo). Aman dijalankan berulang kali. "
        "Hanya untuk MPP_ENV=dev atau test."
    )

    def handle(self, *args, **options):
        try:
            demo_seed(stdout=self.stdout)
        except DemoRefusedError as exc:
            raise CommandError(str(exc)) from exc
