from decimal import Decimal

from django.db import migrations

# The readiness indicators KemenPANRB starts with; superadmins change them in the console.
INDICATORS = [
    (
        "health-workforce-data",
        "Kelengkapan data SDM kesehatan",
        "Persentase data tenaga kesehatan daerah yang sudah lengkap.",
        "percent",
        Decimal("60.00"),
    ),
    (
        "digital-id-activation",
        "Aktivasi Identitas Kependudukan Digital (IKD)",
        "Persentase penduduk wajib KTP yang sudah mengaktifkan IKD.",
        "percent",
        Decimal("4.40"),
    ),
    (
        "physical-mpp",
        "MPP fisik sudah beroperasi",
        "Daerah sudah memiliki Mal Pelayanan Publik fisik yang melayani warga.",
        "boolean",
        None,
    ),
    (
        "dpmptsp-operator",
        "Operator DPMPTSP yang ditunjuk",
        "Nama petugas DPMPTSP yang bertanggung jawab mengoperasikan MPP Digital.",
        "text",
        None,
    ),
    (
        "internet-connectivity",
        "Konektivitas internet memadai",
        "Gerai MPP terhubung ke internet yang stabil.",
        "boolean",
        None,
    ),
]


def add(apps, schema_editor):
    Indicator = apps.get_model("onboarding", "ReadinessIndicator")
    for position, (code, name, description, kind, threshold) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "kind": kind,
                "threshold": threshold,
                "position": position,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("onboarding", "ReadinessIndicator").objects.filter(
        code__in=[row[0] for row in INDICATORS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0002_onboarding_flow")]

    operations = [migrations.RunPython(add, remove)]
