from itertools import groupby

from django.shortcuts import render

from kernel.routing import region_url
from shared.access.pages import public_view
from shared.access.policy import Host
from shared.catalogue.selectors import catalogue_summary
from shared.regions.models import Mpp


@public_view(host=Host.NATIONAL)
def home(request):
    """The national landing page: what MPP Digital is, and the live MPPs by province."""
    mpps = (
        Mpp.objects.filter(status=Mpp.Status.LIVE)
        .select_related("region__province")
        .order_by("region__province__code", "region__name")
    )
    provinces = [
        (province, [(m, region_url(m.region.slug)) for m in group])
        for province, group in groupby(mpps, key=lambda m: m.region.province)
    ]
    return render(
        request,
        "national/home.html",
        {
            "provinces": provinces,
            "live_count": sum(len(p[1]) for p in provinces),
            "catalogue": catalogue_summary(),
        },
    )
