from django.urls import path

from shared.complaints.api import views

urlpatterns = [
    path("citizen/complaints/", views.MyComplaintsAPIView.as_view(), name="api-citizen-complaints"),
]
