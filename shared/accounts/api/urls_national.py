from django.urls import include, path

from shared.accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("", include("shared.accounts.api.urls_auth")),
]
