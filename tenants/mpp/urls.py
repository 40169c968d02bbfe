"""Pages on a region's host: the public site (namespace ``mpp``) and the admin console under
``/kelola/`` (namespace ``mpp_admin``)."""

from django.urls import include, path

from tenants.mpp.views import console_booths as booths
from tenants.mpp.views import console_offerings as offerings
from tenants.mpp.views import console_people as people
from tenants.mpp.views import public

public_patterns = (
    [
        path("", public.HomeView.as_view(), name="home"),
        path("layanan/", public.OfferingListView.as_view(), name="offerings"),
        path("layanan/<slug:code>/", public.OfferingDetailView.as_view(), name="offering"),
        path("gerai/", public.BoothListView.as_view(), name="booths"),
        path("informasi/", public.InfoView.as_view(), name="info"),
    ],
    "mpp",
)

console_patterns = (
    [
        path("", booths.DashboardView.as_view(), name="dashboard"),
        path("gerai/", booths.BoothListView.as_view(), name="booths"),
        path("gerai/baru/", booths.BoothCreateView.as_view(), name="booth_create"),
        path("gerai/<int:pk>/", booths.BoothEditView.as_view(), name="booth_edit"),
        path("jam-layanan/", booths.HoursView.as_view(), name="hours"),
        path("penutupan/baru/", booths.ClosureCreateView.as_view(), name="closure_create"),
        path(
            "penutupan/<int:pk>/hapus/", booths.ClosureDeleteView.as_view(), name="closure_delete"
        ),
        path("layanan/", offerings.OfferingListView.as_view(), name="offerings"),
        path("layanan/adopsi/", offerings.AdoptView.as_view(), name="adopt"),
        path("layanan/<int:pk>/", offerings.OfferingEditView.as_view(), name="offering_edit"),
        path(
            "layanan/<int:pk>/hentikan/",
            offerings.OfferingActionView.as_view(action="drop"),
            name="offering_drop",
        ),
        path(
            "layanan/<int:pk>/tinjau/",
            offerings.OfferingActionView.as_view(action="acknowledge"),
            name="offering_acknowledge",
        ),
        path(
            "layanan/<int:pk>/tawarkan-lagi/",
            offerings.OfferingActionView.as_view(action="readopt"),
            name="offering_readopt",
        ),
        path("layanan-lokal/baru/", offerings.LocalServiceView.as_view(), name="local_create"),
        path("layanan-lokal/<int:pk>/", offerings.LocalServiceView.as_view(), name="local_edit"),
        path("loket/", people.CounterListView.as_view(), name="counters"),
        path("loket/baru/", people.CounterFormView.as_view(), name="counter_create"),
        path("loket/<int:pk>/", people.CounterFormView.as_view(), name="counter_edit"),
        path("staf/", people.StaffListView.as_view(), name="staff"),
        path("staf/undang/", people.StaffInviteView.as_view(), name="staff_invite"),
        path("staf/<int:pk>/", people.StaffEditView.as_view(), name="staff_edit"),
        path(
            "staf/<int:pk>/nonaktifkan/",
            people.StaffActiveView.as_view(activate=False),
            name="staff_deactivate",
        ),
        path(
            "staf/<int:pk>/aktifkan/",
            people.StaffActiveView.as_view(activate=True),
            name="staff_reactivate",
        ),
        path("informasi/", people.GeneralInfoView.as_view(), name="info"),
        path("pengumuman/", people.AnnouncementListView.as_view(), name="announcements"),
        path("pengumuman/baru/", people.AnnouncementFormView.as_view(), name="announcement_create"),
        path(
            "pengumuman/<int:pk>/",
            people.AnnouncementFormView.as_view(),
            name="announcement_edit",
        ),
        path(
            "pengumuman/<int:pk>/hapus/",
            people.AnnouncementDeleteView.as_view(),
            name="announcement_delete",
        ),
    ],
    "mpp_admin",
)

urlpatterns = [
    path("kelola/", include(console_patterns)),
    path("", include(public_patterns)),
]
