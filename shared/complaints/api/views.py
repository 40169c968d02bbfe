from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from kernel.routing import region_url
from shared.access.api import CitizenAPI
from shared.access.policy import Host
from shared.complaints.models import ComplaintIndex
from shared.complaints.selectors import complaints_of


class ComplaintIndexSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField(source="get_kind_display")
    url = serializers.SerializerMethodField()

    class Meta:
        model = ComplaintIndex
        fields = [
            "complaint_id",
            "region_code",
            "region_name",
            "number",
            "kind",
            "kind_label",
            "subject",
            "status",
            "status_label",
            "due_date",
            "lapor_tracking_id",
            "rated",
            "timeline",
            "updated_at",
            "url",
        ]

    def get_url(self, row) -> str:
        return region_url(row.region.slug, f"/pengaduan/{row.complaint_id}/")


@extend_schema(tags=["citizen"])
class MyComplaintsAPIView(CitizenAPI, generics.ListAPIView):
    """ "Pengaduan saya": the caller's complaints in every region (public index)."""

    host = Host.ANY
    serializer_class = ComplaintIndexSerializer

    def get_queryset(self):
        return complaints_of(self.request.user)
