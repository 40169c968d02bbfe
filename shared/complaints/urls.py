from django.urls import path

from shared.complaints import views

app_name = "complaint_index"

urlpatterns = [
    path("", views.MyComplaintsView.as_view(), name="mine"),
]
