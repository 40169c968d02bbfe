"""Pages on a region's host: the region's own dashboard and its evaluation, for its DPMPTSP
admin (namespace ``region_monitoring``)."""

from django.urls import path

from shared.monitoring.views import evaluation_region as ev
from shared.monitoring.views import region

app_name = "region_monitoring"

urlpatterns = [
    path("kelola/pemantauan/", region.RegionDashboardView.as_view(), name="dashboard"),
    path("kelola/pemantauan/ekspor.<str:fmt>", region.RegionExportView.as_view(), name="export"),
    path("kelola/evaluasi/", ev.EvaluationListView.as_view(), name="evaluations"),
    path("kelola/evaluasi/<int:period_id>/", ev.EvaluationFormView.as_view(), name="evaluation"),
    path(
        "kelola/evaluasi/<int:period_id>/laporan.pdf",
        ev.EvaluationReportView.as_view(),
        name="evaluation_report",
    ),
    path("kelola/evaluasi/bukti/<int:pk>/", ev.EvidenceFileView.as_view(), name="evidence"),
]
