"""Public national statistics: anyone may open it. Aggregates per MPP only (IKM and its grade,
SLA compliance, complaints answered on time), never a person or a case."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_page

from shared.monitoring import selectors


@method_decorator(cache_page(600), name="get")
class PublicStatisticsView(View):
    """The last 365 rolled-up days. Public page: ``dangerously_public`` on purpose, no
    personal data on it (tests/shared/monitoring/test_public.py)."""

    dangerously_public = True
    template_name = "monitoring/public.html"

    def get(self, request):
        end = selectors.latest_day()
        period = selectors.Period(end - dt.timedelta(days=364), end)
        return render(
            request,
            self.template_name,
            {"period": period, "provinces": selectors.public_statistics(period)},
        )
