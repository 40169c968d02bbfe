from django.urls import path

from tenants.queue.api import views

urlpatterns = [
    path("queue/offerings/", views.BookableOfferingsView.as_view(), name="api-queue-offerings"),
    path(
        "queue/offerings/<int:pk>/slots/",
        views.OfferingSlotsView.as_view(),
        name="api-queue-slots",
    ),
    path("queue/bookings/", views.BookingListView.as_view(), name="api-queue-bookings"),
    path("queue/bookings/<str:code>/", views.BookingDetailView.as_view(), name="api-queue-booking"),
    path(
        "queue/bookings/<str:code>/cancel/",
        views.BookingCancelView.as_view(),
        name="api-queue-booking-cancel",
    ),
    path(
        "queue/bookings/<str:code>/reschedule/",
        views.BookingRescheduleView.as_view(),
        name="api-queue-booking-reschedule",
    ),
    path("queue/kiosk/check-in/", views.KioskCheckInView.as_view(), name="api-queue-check-in"),
    path("queue/kiosk/walk-in/", views.KioskWalkInView.as_view(), name="api-queue-walk-in"),
    path("queue/counters/", views.CounterListView.as_view(), name="api-queue-counters"),
    path("queue/counters/<int:pk>/", views.CounterDetailView.as_view(), name="api-queue-counter"),
    path(
        "queue/counters/<int:pk>/<slug:action>/",
        views.CounterActionView.as_view(),
        name="api-queue-counter-action",
    ),
    path("queue/tickets/", views.TicketListView.as_view(), name="api-queue-tickets"),
    path("queue/figures/", views.DailyFigureListView.as_view(), name="api-queue-figures"),
    path("queue/display/", views.HallBoardView.as_view(), name="api-queue-display"),
]
