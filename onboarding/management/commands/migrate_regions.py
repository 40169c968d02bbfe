import sys

from django.core.management.base import BaseCommand, CommandError

from kernel.schemas import InvalidSchemaName, validate_schema_name
from onboarding.provisioning.rollout import regions_migrate


class Command(BaseCommand):
    help = (
        "Migrasikan skema templat lalu hanya skema daerah yang tertinggal, paralel; "
        "satu daerah gagal tidak menghentikan yang lain. Ulangi untuk mencoba yang gagal."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs", type=int, default=2, help="Jumlah proses paralel (bawaan: 2)."
        )
        parser.add_argument(
            "--schema", action="append", dest="schemas", help="Hanya skema ini (boleh berulang)."
        )

    def handle(self, *args, jobs: int, schemas, verbosity: int, **options):
        from tqdm import tqdm

        for name in schemas or ():
            try:
                validate_schema_name(name)
            except InvalidSchemaName:
                raise CommandError(
                    f"Nama skema tidak sah: {name!r} (bentuknya mpp_<provinsi>_<kabupaten>, "
                    "mis. mpp_35_10)."
                ) from None
        bar = tqdm(total=0, unit="skema", disable=not sys.stderr.isatty() or verbosity < 1)

        def on_behind(count):
            bar.reset(total=count)

        def progress(schema_name, error):
            bar.update(1)
            if error:
                bar.write(f"GAGAL {schema_name}: {error.splitlines()[-1]}", file=sys.stderr)

        try:
            report = regions_migrate(
                jobs=jobs, schemas=schemas, on_behind=on_behind, progress=progress
            )
        finally:
            bar.close()
        self.stdout.write(
            f"templat {'dimigrasikan' if report.template_migrated else 'sudah mutakhir'}; "
            f"{report.checked} skema daerah diperiksa, {len(report.behind)} tertinggal, "
            f"{len(report.migrated)} dimigrasikan, {len(report.failed)} gagal "
            f"({report.seconds:.1f} s)."
        )
        if report.failed:
            raise CommandError(
                "Skema gagal dimigrasikan: "
                + ", ".join(sorted(report.failed))
                + ". Perbaiki lalu jalankan migrate_regions lagi (hanya yang gagal diulang)."
            )
