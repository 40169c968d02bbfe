import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onboarding import bulk, selectors
from onboarding.models import BulkBatch
from onboarding.provisioning.parallel import default_jobs, pipelines_run
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
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="Proses paralel untuk penyiapan di sini (bawaan: jumlah inti CPU).",
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
        for row in validation.skipped:
            self.stdout.write(f"baris {row.row} [{row.code}]: {row.message}")
        if check:
            return
        batch = bulk.bulk_apply(
            actor=user, validation=validation, file_name=path.name, enqueue=background
        )
        if batch is None:
            self.stdout.write("Tidak ada yang perlu dilakukan; tidak ada yang diubah.")
            return
        self.stdout.write(f"Impor #{batch.pk}: {batch.row_count} daerah ditetapkan.")
        if background:
            self._follow(batch)
        else:
            self._run_here(batch, user, jobs=options["jobs"])
        progress = selectors.batch_progress(batch)
        self.stdout.write(f"{progress['live']}/{progress['regions']} daerah aktif.")
        if progress["failed"]:
            names = ", ".join(r["name"] for r in progress["failed_regions"])
            raise CommandError(f"Gagal disiapkan: {names}. Ulangi dari konsol atau API.")

    def _bar(self, total: int):
        from tqdm import tqdm

        return tqdm(total=total, unit="daerah", file=sys.stderr, disable=None)

    def _run_here(self, batch: BulkBatch, user, *, jobs: int) -> None:
        """Provision here, one process per core; the bar counts regions as they finish."""
        onboardings = {
            o.pk: o for o in batch.onboardings.select_related("region").order_by("region__code")
        }
        with self._bar(len(onboardings)) as bar:

            def on_done(onboarding_id: int, outcome: str, ms: int) -> None:
                bar.set_postfix_str(onboardings[onboarding_id].region.name)
                bar.update(1)

            pipelines_run(list(onboardings), actor_id=user.pk, jobs=jobs, on_done=on_done)

    def _follow(self, batch: BulkBatch) -> None:
        with self._bar(batch.row_count) as bar:
            while True:
                progress = selectors.batch_progress(batch)
                bar.n = progress["live"] + progress["failed"]
                bar.refresh()
                if bar.n >= batch.row_count:
                    return
                time.sleep(1)
