from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACTION_LABELS = {
    "onboarding.region.committed": _("Komitmen ditandatangani"),
    "onboarding.document.uploaded": _("Dokumen diunggah"),
    "onboarding.readiness.recorded": _("Penilaian kesiapan dicatat"),
    "onboarding.region.assessed": _("Kesiapan dinyatakan memenuhi"),
    "onboarding.region.rejected": _("Ditolak"),
    "onboarding.region.reopened": _("Dibuka kembali"),
    "onboarding.region.designated": _("Ditetapkan dengan keputusan"),
    "onboarding.region.provisioning_started": _("Penyiapan dimulai"),
    "onboarding.provision.step_failed": _("Langkah penyiapan gagal"),
    "onboarding.provision.retried": _("Penyiapan diulang"),
    "onboarding.region.live": _("MPP aktif"),
    "onboarding.region.suspended": _("Ditangguhkan"),
    "onboarding.region.reinstated": _("Dipulihkan"),
    "onboarding.region.offboarding_started": _("Pemberhentian dimulai"),
    "onboarding.offboard.step_failed": _("Langkah pemberhentian gagal"),
    "onboarding.offboard.retried": _("Pemberhentian diulang"),
    "onboarding.region.offboarded": _("Diberhentikan; skema dihapus"),
}

STAGE_BADGES = {
    "live": "badge-ok",
    "provisioning": "badge-warn",
    "offboarding": "badge-warn",
    "suspended": "badge-bad",
    "rejected": "badge-bad",
    "offboarded": "badge-bad",
}

STEP_BADGES = {
    "done": "badge-ok",
    "skipped": "badge-ok",
    "running": "badge-warn",
    "failed": "badge-bad",
}


@register.filter
def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


@register.filter
def stage_badge(stage: str) -> str:
    return STAGE_BADGES.get(stage, "")


@register.filter
def step_badge(status: str) -> str:
    return STEP_BADGES.get(status, "")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
