"""Pages of the queue on a region's host, under ``/antrean/`` (namespace ``queue``)."""

from django.urls import path

from tenants.queue.views import citizen, console, counter, display, kiosk

app_name = "queue"

urlpatterns = [
    # citizens
    path("", citizen.HomeView.as_view(), name="home"),
    path("pesan/<int:offering_id>/", citizen.BookView.as_view(), name="book"),
    path("booking/", citizen.MyBookingsView.as_view(), name="my_bookings"),
    path("booking/<str:code>/", citizen.BookingDetailView.as_view(), name="booking"),
    path("booking/<str:code>/batal/", citizen.BookingCancelView.as_view(), name="booking_cancel"),
    path(
        "booking/<str:code>/ubah/",
        citizen.BookingRescheduleView.as_view(),
        name="booking_reschedule",
    ),
    # the kiosk at the entrance, the hall display
    path("kiosk/", kiosk.KioskView.as_view(), name="kiosk"),
    path("kiosk/tiket/<int:pk>/", kiosk.KioskTicketView.as_view(), name="kiosk_ticket"),
    path("kiosk/pasang/<str:token>/", kiosk.KioskSetupView.as_view(), name="kiosk_setup"),
    path("layar/", display.HallDisplayView.as_view(), name="display"),
    path("layar/data/", display.HallDisplayDataView.as_view(), name="display_data"),
    # counter staff
    path("loket/", counter.CounterListView.as_view(), name="counters"),
    path("loket/<int:pk>/", counter.DeskView.as_view(), name="desk"),
    path("loket/<int:pk>/data/", counter.DeskDataView.as_view(), name="desk_data"),
    # admin console
    path("kelola/", console.SettingsView.as_view(), name="settings"),
    path("kelola/layanan/<int:pk>/", console.OfferingConfigView.as_view(), name="offering_config"),
    path("kelola/kiosk/", console.KioskListView.as_view(), name="kiosks"),
    path("kelola/kiosk/<int:pk>/cabut/", console.KioskRevokeView.as_view(), name="kiosk_revoke"),
    path("kelola/statistik/", console.FiguresView.as_view(), name="figures"),
]
