"""Sign-in for the mobile app and "my devices": the same on the national and every region host
(one account and one token for the whole platform)."""

from django.urls import path

from shared.accounts.api import views

urlpatterns = [
    path("auth/sign-in/", views.SignInAPIView.as_view(), name="api-auth-sign-in"),
    path("auth/sign-out/", views.SignOutAPIView.as_view(), name="api-auth-sign-out"),
    path("auth/tokens/", views.ApiTokenListView.as_view(), name="api-auth-tokens"),
    path(
        "auth/tokens/revoke-all/",
        views.ApiTokenRevokeAllView.as_view(),
        name="api-auth-tokens-revoke-all",
    ),
    path("auth/tokens/<str:token_id>/", views.ApiTokenDetailView.as_view(), name="api-auth-token"),
]
