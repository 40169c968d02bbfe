# The tenant register (Mpp, Domain) moved from onboarding to regions: state only, the tables keep
# their names (onboarding_mpp, onboarding_domain).

import django.db.models.deletion
import django_tenants.postgresql_backend.base
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("regions", "0001_initial"),
        ("onboarding", "0005_template_recording"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Mpp",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("schema_name", models.CharField(db_index=True, max_length=63, unique=True, validators=[django_tenants.postgresql_backend.base._check_schema_name])),
                        ("status", models.CharField(choices=[("provisioning", "Sedang disiapkan"), ("live", "Aktif"), ("suspended", "Ditangguhkan")], default="provisioning", max_length=20, verbose_name="status")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("live_since", models.DateTimeField(blank=True, null=True)),
                        ("public_notice", models.TextField(blank=True, verbose_name="pengumuman untuk warga")),
                        ("region", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="mpp", to="regions.region")),
                    ],
                    options={
                        "verbose_name": "MPP",
                        "verbose_name_plural": "MPP",
                        "db_table": "onboarding_mpp",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("schema_name__regex", "^mpp_(?:[0-9]{2}_[0-9]{2}|template)$")), name="mpp_schema_name_pattern"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Domain",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("domain", models.CharField(db_index=True, max_length=253, unique=True)),
                        ("is_primary", models.BooleanField(db_index=True, default=True)),
                        ("tenant", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="domains", to="regions.mpp")),
                    ],
                    options={
                        "verbose_name": "domain",
                        "verbose_name_plural": "domain",
                        "db_table": "onboarding_domain",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
