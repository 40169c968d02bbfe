"""Destroy what deleted accounts kept past their retention date (the daily task does the same).

``--dry-run`` lists each archive that is due and what would be destroyed, changing nothing.
"""

from django.core.management.base import BaseCommand

from shared.citizens.services.retention import retention_purge


class Command(BaseCommand):
    help = "Destroy archives of deleted accounts past their retention date (--dry-run: list only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list what would be destroyed."
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        done = retention_purge(dry_run=dry_run)
        failed = 0
        for profile, counts in done:
            if counts is None:
                failed += 1
                self.stderr.write(f"profile {profile.pk}: FAILED (see the log); kept for now")
                continue
            what = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
            self.stdout.write(f"profile {profile.pk} (kept until {profile.retain_until}): {what}")
        verb = "would be purged" if dry_run else "purged"
        self.stdout.write(f"{len(done) - failed} archive(s) {verb}, {failed} failed")
        if failed:
            raise SystemExit(1)
