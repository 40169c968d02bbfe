from django.urls import path

from shared.messaging.api import views

urlpatterns = [
    path(
        "me/notification-channel/",
        views.ChannelPreferenceView.as_view(),
        name="api-notification-channel",
    ),
    path(
        "me/message-language/",
        views.LanguagePreferenceView.as_view(),
        name="api-message-language",
    ),
]
