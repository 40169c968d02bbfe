# The tenant register (Mpp, Domain) moved to shared.regions: state only, the tables stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("onboarding", "0005_template_recording"),
        ("regions", "0002_register_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Domain"),
                migrations.DeleteModel(name="Mpp"),
            ],
            database_operations=[],
        ),
    ]
