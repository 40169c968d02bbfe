import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onboarding import bulk, selectors
from onboarding.models import BulkBatch
from onboarding.provisioning.pipeline import PROVISION, pipeline_run
from shared.accounts.models import User


class Command(BaseCommand):
    help = (
        "Onboarding massal dari CSV: periksa seluruh berkas (tidak ada yang diterapkan bila ada "
        "baris salah), tetapkan setiap daerah, lalu siapkan MPP-nya dengan bilah kemajuan."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", help="Berkas CSV (lihat onboarding/bulk.py untuk kolomnya).")
        parser.add_argument(
            "--actor", required=True, help="Email superadmin yang tercatat di log audit."
        )
        parser.add_argument(
            "--check", action="store_true", help="Hanya periksa berkas; tidak menerapkan apa pun."
        )
        parser.add_argument(
            "--background",
            action="store_true",
            help="Serahkan penyiapan ke worker Celery dan ikuti kemajuannya di sini.",
        )

    def handle(self, *args, csv: str, actor: str, check: bool, background: bool, **options):
        user = User.objects.filter(email__iexact=actor).first()
        if user is None or not user.is_superadmin:
            raise CommandError(f"{actor} bukan superadmin.")
        path = Path(csv)
        if not path.is_file():
            raise CommandError(f"Berkas {csv} tidak ditemukan.")
        validation = bulk.bulk_validate(path.read_bytes())
        if not validation.ok:
            for error in validation.errors:
                where = f"baris {error.row}" if error.row else "berkas"
                column = f" [{error.column}]" if error.column else ""
                self.stderr.write(f"{where}{column}: {error.message}")
            raise CommandError(
                f"{len(validation.errors)} masalah ditemukan; tidak ada yang diterapkan."
            )
        self.stdout.write(f"{len(validation.rows)} baris valid.")
        if check:
            return
        batch = bulk.bulk_apply(
            actor=user, validation=validation, file_name=path.name, enqueue=background
        )
        self.stdout.write(f"Impor #{batch.pk}: {batch.row_count} daerah ditetapkan.")
        if background:
            self._follow(batch)
        else:
            self._run_here(batch, user)
        progress = selectors.batch_progress(batch)
        self.stdout.write(f"{progress['live']}/{progress['regions']} daerah aktif.")
        if progress["failed"]:
            names = ", ".join(r["name"] for r in progress["failed_regions"])
            raise CommandError(f"Gagal disiapkan: {names}. Ulangi dari konsol atau API.")

    def _bar(self, total: int):
        from tqdm import tqdm

        return tqdm(total=total, unit="daerah", file=sys.stderr, disable=None)

    def _run_here(self, batch: BulkBatch, user) -> None:
        onboardings = list(batch.onboardings.select_related("region").order_by("region__code"))
        with self._bar(len(onboardings)) as bar:
            for onboarding in onboardings:
                bar.set_postfix_str(onboarding.region.name)
                pipeline_run(onboarding_id=onboarding.pk, pipeline=PROVISION, actor=user)
                bar.update(1)

    def _follow(self, batch: BulkBatch) -> None:
        with self._bar(batch.row_count) as bar:
            while True:
                progress = selectors.batch_progress(batch)
                bar.n = progress["live"] + progress["failed"]
                bar.refresh()
                if bar.n >= batch.row_count:
                    return
                time.sleep(1)
