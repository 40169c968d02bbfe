from django.conf import settings
from django.http import HttpRequest

from kernel.routing import national_url


def site(request: HttpRequest) -> dict:
    """What every page needs to know about the site it is on."""
    region = getattr(request, "region", None)
    return {
        "current_region": region,
        "current_mpp": getattr(request, "tenant", None),
        "is_national_site": region is None and not getattr(request, "unknown_site", False),
        "is_unknown_site": getattr(request, "unknown_site", False),
        "national_home_url": national_url("/"),
        "base_domain": settings.MPP_BASE_DOMAIN,
    }
