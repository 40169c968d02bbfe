from django.core.management.base import BaseCommand

from onboarding.demo import demo_seed


class Command(BaseCommand):
    help = "Isi data demo (wilayah, tiga MPP demo, akun demo). Aman dijalankan berulang kali."

    def handle(self, *args, **options):
        demo_seed(stdout=self.stdout)
