"""``/api/v1/mpp/`` on a region's host.

Public reads (the region's site as data) derive from ``PublicAPI``; everything under
``/api/v1/mpp/admin/`` is staff-only (``RegionStaffAPI``): reads for every staff role, writes for
DPMPTSP admins, and anyone else (another region's staff, anonymous) gets 404.
"""

from tenants.mpp.api.views.admin import (
    AnnouncementViewSet,
    BoothViewSet,
    ClosureViewSet,
    CounterViewSet,
    GeneralInfoView,
    LocalServiceViewSet,
    MppHoursView,
    NationalCatalogueView,
    OfferingViewSet,
    StaffViewSet,
)
from tenants.mpp.api.views.public import (
    PublicBoothListView,
    PublicInfoView,
    PublicOfferingViewSet,
    PublicStatusView,
)

__all__ = [
    "AnnouncementViewSet",
    "BoothViewSet",
    "ClosureViewSet",
    "CounterViewSet",
    "GeneralInfoView",
    "LocalServiceViewSet",
    "MppHoursView",
    "NationalCatalogueView",
    "OfferingViewSet",
    "PublicBoothListView",
    "PublicInfoView",
    "PublicOfferingViewSet",
    "PublicStatusView",
    "StaffViewSet",
]
