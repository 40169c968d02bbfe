"""Public national statistics: anyone may open it. Aggregates per MPP only (IKM and its grade,
SLA compliance, complaints answered on time), never a person or a case."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.views import View

from shared.access.pages import PublicPageMixin
from shared.access.policy import Host
from shared.monitoring import selectors


class PublicStatisticsView(PublicPageMixin, View):
    """The last 365 rolled-up days, for everyone on the national site: no personal data on it
    (tests/shared/monitoring/test_public.py). Its figures come from the version-keyed cache of
    the dashboard (selectors.dashboard_data)."""

    host = Host.NATIONAL
    template_name = "monitoring/public.html"

    def get(self, request):
        end = selectors.latest_day()
        period = selectors.Period(end - dt.timedelta(days=364), end)
        return render(
            request,
            self.template_name,
            {"period": period, "provinces": selectors.public_statistics(period)},
        )
