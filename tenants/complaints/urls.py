"""Complaint pages on a region's site (namespace ``complaints``)."""

from django.urls import path

from tenants.complaints.views import citizen, public, staff

app_name = "complaints"

urlpatterns = [
    # the public and the complainant
    path("pengaduan/", citizen.DeskView.as_view(), name="desk"),
    path("pengaduan/baru/", citizen.FileView.as_view(), name="file"),
    path("pengaduan/transparansi/", public.TransparencyView.as_view(), name="transparency"),
    path("pengaduan/lacak/", citizen.TrackView.as_view(), name="track"),
    path(
        "pengaduan/lacak/<int:complaint_id>/",
        citizen.TrackedDetailView.as_view(),
        name="tracked",
    ),
    path(
        "pengaduan/lacak/<int:complaint_id>/bukti/<int:attachment_id>/",
        citizen.TrackedAttachmentView.as_view(),
        name="tracked_attachment",
    ),
    path("pengaduan/kiosk/", citizen.KioskFileView.as_view(), name="kiosk"),
    path("pengaduan/<int:complaint_id>/", citizen.DetailView.as_view(), name="detail"),
    path(
        "pengaduan/<int:complaint_id>/bukti/<int:attachment_id>/",
        citizen.AttachmentView.as_view(),
        name="attachment",
    ),
    # staff
    path("petugas/pengaduan/", staff.WorklistView.as_view(), name="worklist"),
    path("petugas/pengaduan/baru/", staff.CounterFileView.as_view(), name="counter"),
    path("petugas/pengaduan/ekspor/", staff.ExportView.as_view(), name="export"),
    path(
        "petugas/pengaduan/<int:complaint_id>/",
        staff.StaffDetailView.as_view(),
        name="staff_detail",
    ),
    path(
        "petugas/pengaduan/<int:complaint_id>/aksi/<slug:action>/",
        staff.StaffActionView.as_view(),
        name="staff_action",
    ),
    path(
        "petugas/pengaduan/<int:complaint_id>/bukti/<int:attachment_id>/",
        staff.StaffAttachmentView.as_view(),
        name="staff_attachment",
    ),
]
