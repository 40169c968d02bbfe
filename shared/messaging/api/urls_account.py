from django.urls import path

from shared.messaging.api import views

urlpatterns = [
    path(
        "me/notification-channel/",
        views.ChannelPreferenceView.as_view(),
        name="api-notification-channel",
    ),
]
