"""Pages of national monitoring and the evaluation on the national host (namespace
``monitoring``)."""

from django.urls import path

from shared.monitoring.views import evaluation_national as ev
from shared.monitoring.views import national, public

app_name = "monitoring"

urlpatterns = [
    path("pemantauan/", national.DashboardView.as_view(), name="dashboard"),
    path("pemantauan/daerah/<str:code>/", national.RegionPageView.as_view(), name="region"),
    path("pemantauan/ekspor.<str:fmt>", national.ExportView.as_view(), name="export"),
    path("pemantauan/rekap/", national.RollupRequestView.as_view(), name="rollup"),
    path("statistik/", public.PublicStatisticsView.as_view(), name="public"),
    path("evaluasi/", ev.PeriodListView.as_view(), name="evaluation_periods"),
    path("evaluasi/<int:pk>/", ev.PeriodDetailView.as_view(), name="evaluation_period"),
    path(
        "evaluasi/<int:pk>/progres.json",
        ev.PeriodProgressView.as_view(),
        name="evaluation_progress",
    ),
    path("evaluasi/<int:pk>/rekap.<str:fmt>", ev.RecapView.as_view(), name="evaluation_recap"),
    path("evaluasi/<int:pk>/daerah/<str:code>/", ev.ReviewView.as_view(), name="evaluation_review"),
    path(
        "evaluasi/<int:pk>/daerah/<str:code>/laporan.pdf",
        ev.ReportView.as_view(),
        name="evaluation_report",
    ),
    path("evaluasi/bukti/<int:pk>/", ev.EvidenceFileView.as_view(), name="evaluation_evidence"),
]
