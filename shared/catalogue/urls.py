"""Pages of the national catalogue on the national site."""

from django.urls import path

from shared.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("layanan/", views.search, name="search"),
    path("layanan/<slug:code>/", views.service_detail, name="service"),
    path("layanan/<slug:code>/riwayat/", views.service_history_page, name="service-history"),
    path("instansi/", views.agency_list, name="agencies"),
    path("instansi/<slug:code>/", views.agency_detail, name="agency"),
    path("katalog/kelola/", views.ManageView.as_view(), name="manage"),
]
