from django.db import migrations


def encrypt_applicant_niks(apps, schema_editor):
    """The NIK in each submitted application's applicant snapshot is stored encrypted, like the
    profile's (shared.citizens.crypto); runs in every region schema."""
    from shared.citizens.crypto import encrypt_nik

    Application = apps.get_model("applications", "Application")
    for application in Application.objects.filter(applicant__has_key="nik").iterator():
        snapshot = dict(application.applicant)
        nik = snapshot.pop("nik", "")
        if nik:
            snapshot["nik_encrypted"] = encrypt_nik(nik)
        application.applicant = snapshot
        application.save(update_fields=["applicant"])


class Migration(migrations.Migration):

    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(encrypt_applicant_niks, migrations.RunPython.noop, elidable=False),
    ]
