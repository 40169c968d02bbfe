"""Counter staff: pick a counter, then call, recall, serve, finish, mark no-show or transfer.

Staff of this region only (others 404, anonymous users sign in); staff limited to booths reach
only their booths' counters. Every button is a plain form (POST, then back to the page), and a
small script refreshes the waiting list every few seconds.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kernel.errors import DomainError
from tenants.mpp.models import Counter
from tenants.mpp.selectors import region_timezone
from tenants.queue import selectors
from tenants.queue.models import Ticket
from tenants.queue.services import tickets as svc
from tenants.queue.views.common import StaffPage

ACTIONS: dict[str, Callable[..., Ticket | None]] = {
    "call": svc.ticket_call_next,
    "recall": svc.ticket_recall,
    "start": svc.ticket_start,
    "finish": svc.ticket_finish,
    "no_show": svc.ticket_no_show,
    "transfer": svc.ticket_transfer,
}


def counter_or_404(user, counter_id) -> Counter:
    return svc.access_counter(actor=user, counter_id=counter_id)


class CounterListView(StaffPage):
    template_name = "queue/staff/counters.html"
    section = "counters"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = selectors.local_today()
        counters = list(svc.counters_for(self.request.user))
        current = {
            t.counter_id: t
            for t in Ticket.objects.active_at_counter().filter(
                date=today, counter__in=[c.pk for c in counters]
            )
        }
        waiting = dict(
            Ticket.objects.filter(date=today, status=Ticket.Status.WAITING)
            .values_list("prefix")
            .annotate(n=Count("id"))
        )
        for counter in counters:
            counter.current = current.get(counter.pk)
            counter.waiting = waiting.get(counter.ticket_prefix, 0)
        context["counters"] = counters
        return context


class DeskView(StaffPage):
    template_name = "queue/staff/desk.html"
    section = "counters"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counter = counter_or_404(self.request.user, self.kwargs["pk"])
        state = selectors.desk_state(counter)
        current = state["current"]
        if current is not None:
            current.label = selectors.offering_label(current.offering)
        for ticket in state["upcoming"]:
            ticket.label = selectors.offering_label(ticket.offering)
        context.update(
            counter=counter,
            others=Counter.objects.filter(is_active=True).exclude(pk=counter.pk),
            **state,
        )
        return context

    def post(self, request, *args, **kwargs):
        counter = counter_or_404(request.user, self.kwargs["pk"])
        action = request.POST.get("action")
        if action not in ACTIONS:
            messages.error(request, _("Tindakan tidak dikenal."))
            return redirect("queue:desk", pk=counter.pk)
        params = {"actor": request.user, "counter": counter}
        if action != "call":
            params["ticket_id"] = request.POST.get("ticket") or None
        if action == "transfer":
            params["to_counter_id"] = request.POST.get("to_counter")
        try:
            ticket = ACTIONS[action](**params)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("queue:desk", pk=counter.pk)
        done = {
            "call": _("Memanggil %(number)s."),
            "recall": _("Memanggil ulang %(number)s."),
            "start": _("Melayani %(number)s."),
            "finish": _("%(number)s selesai dilayani."),
            "no_show": _("%(number)s ditandai tidak hadir."),
            "transfer": _("%(number)s dialihkan."),
        }
        if ticket is None:
            messages.info(request, _("Tidak ada antrean yang menunggu untuk loket ini."))
        else:
            messages.success(request, done[action] % {"number": ticket.number})
        return redirect("queue:desk", pk=counter.pk)


class DeskDataView(StaffPage):
    """The counter screen's polling endpoint: current ticket and the waiting list."""

    def get(self, request, *args, **kwargs):
        counter = counter_or_404(request.user, self.kwargs["pk"])
        state = selectors.desk_state(counter)
        current = state["current"]
        return JsonResponse(
            {
                "current": (
                    {"id": current.pk, "number": current.number, "status": current.status}
                    if current
                    else None
                ),
                "waiting_total": state["waiting_total"],
                "upcoming": [
                    {
                        "number": t.number,
                        "kind": t.kind,
                        "label": selectors.offering_label(t.offering),
                        "appointment": (
                            t.appointment_at.astimezone(region_timezone()).strftime("%H:%M")
                            if t.appointment_at
                            else ""
                        ),
                    }
                    for t in state["upcoming"]
                ],
            },
            headers={"Cache-Control": "no-store"},
        )
