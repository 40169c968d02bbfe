from django.urls import path

from shared.messaging.api import views

urlpatterns = [
    path("messaging/status/", views.DeliveryStatusCallback.as_view(), name="messaging-status"),
]
