"""One place that maps an action of the onboarding console or API to its service."""

from django.utils.translation import gettext as _

from kernel.errors import NotFoundError
from onboarding import services
from onboarding.models import Onboarding


def run_action(*, action: str, actor, onboarding: Onboarding, data: dict) -> Onboarding:
    """One place that maps a console/API action to its service."""
    if action == "assess":
        return services.onboarding_assess(actor=actor, onboarding=onboarding)
    if action == "reject":
        return services.onboarding_reject(actor=actor, onboarding=onboarding, reason=data["reason"])
    if action == "reopen":
        return services.onboarding_reopen(
            actor=actor, onboarding=onboarding, reason=data.get("reason", "")
        )
    if action == "designate":
        return services.onboarding_designate(actor=actor, onboarding=onboarding, **data)
    if action == "provision":
        return services.provisioning_start(actor=actor, onboarding=onboarding, **data)
    if action == "retry":
        return services.pipeline_retry(actor=actor, onboarding=onboarding)
    if action == "suspend":
        return services.onboarding_suspend(actor=actor, onboarding=onboarding, **data)
    if action == "reinstate":
        return services.onboarding_reinstate(
            actor=actor, onboarding=onboarding, reason=data.get("reason", "")
        )
    if action == "offboard":
        return services.onboarding_offboard(actor=actor, onboarding=onboarding, **data)
    raise NotFoundError(_("Aksi tidak dikenal."))
