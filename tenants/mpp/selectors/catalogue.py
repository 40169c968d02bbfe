"""The national catalogue as a region's admin searches it (to adopt services).

Runs inside a region's schema."""

from __future__ import annotations

from django.db.models import Q


def search_national_services(q: str = "", agency=None):
    """Active national services matching every word of ``q`` (name, synonyms, agency, code)."""
    from shared.catalogue.models import Service

    services = Service.objects.filter(is_active=True).select_related("agency")
    for word in q.split()[:8]:
        services = services.filter(
            Q(name__icontains=word)
            | Q(synonyms__icontains=word)
            | Q(code__icontains=word)
            | Q(agency__name__icontains=word)
            | Q(agency__abbreviation__icontains=word)
        )
    if agency is not None:
        services = services.filter(agency=agency)
    return services.order_by("agency__name", "name")
