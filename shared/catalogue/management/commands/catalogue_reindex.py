from django.core.management.base import BaseCommand
from django.db import transaction

from shared.catalogue.search import search_rebuild_vocabulary, search_refresh


class Command(BaseCommand):
    help = "Bangun ulang dokumen pencarian semua layanan dan kosakata koreksi ejaan."

    def handle(self, *args, **options):
        with transaction.atomic():
            documents = search_refresh()
            words = search_rebuild_vocabulary()
        self.stdout.write(f"{documents} dokumen pencarian, {words} kata")
