"""Page-view helpers shared by every app: the same region check as the API base class."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext as _

from shared.accounts.models import STAFF_ROLES
from shared.accounts.selectors import membership_for


class RegionStaffRequiredMixin:
    """For pages on a region's host that only its staff may see.

    Anonymous users are sent to sign in; signed-in users without a membership of *this*
    region with an allowed role get 404.
    """

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        region = getattr(request, "region", None)
        if region is None:
            raise Http404(_("Tidak ditemukan."))
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_superadmin:
            membership = membership_for(user, region)
            if membership is None or membership.role not in self.allowed_roles:
                raise Http404(_("Tidak ditemukan."))
            if request.tenant.is_suspended:
                return region_suspended_for_staff(request)
            request.membership = membership
        return super().dispatch(request, *args, **kwargs)


def region_suspended_for_staff(request):
    """A suspended region keeps its data but its staff are refused (onboarding)."""
    from django.shortcuts import render

    return render(request, "onboarding/staff_suspended.html", status=403)


class SuperadminRequiredMixin:
    """For pages on the national site that only KemenPANRB superadmins may see."""

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "region", None) is not None:
            raise Http404(_("Tidak ditemukan."))
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_superadmin:
            raise Http404(_("Tidak ditemukan."))
        return super().dispatch(request, *args, **kwargs)
