"""The hall display: a public, read-only page on the region's host with the latest calls, each
queue's waiting count and estimated wait. It shows only this region's data (it reads this
region's schema, nothing else). The page renders complete on the server and then polls a small
JSON endpoint every two seconds; without JavaScript it reloads itself every ten seconds."""

from __future__ import annotations

from django.http import JsonResponse
from django.views import View

from shared.access.pages import PublicPageMixin
from tenants.queue import selectors
from tenants.queue.views.common import RegionPage


class HallDisplayView(RegionPage):
    template_name = "queue/display.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["board"] = selectors.hall_board_cached()
        return context


class HallDisplayDataView(PublicPageMixin, View):
    def get(self, request, *args, **kwargs):
        response = JsonResponse(selectors.hall_board_cached())
        response["Cache-Control"] = "no-store"
        return response
