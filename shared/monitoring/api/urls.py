from django.urls import path

from shared.monitoring.api import views

national = [
    path("pemantauan/ringkasan/", views.NationalSummaryAPI.as_view(), name="monitoring-summary"),
    path("pemantauan/daerah/", views.NationalRegionsAPI.as_view(), name="monitoring-regions"),
    path("pemantauan/rekap/", views.RollupRequestAPI.as_view(), name="monitoring-rollup"),
]
regional = [
    path("pemantauan/mpp/", views.RegionOwnAPI.as_view(), name="monitoring-own"),
]
