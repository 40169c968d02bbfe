from django.urls import path

from shared.accounts import views
from shared.citizens import views as citizen_views
from shared.citizens import views_identity

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.SignInView.as_view(), name="login"),
    path("keluar/", views.SignOutView.as_view(), name="logout"),
    # The second factor of officials. Everything under dua-langkah/ is reachable before the
    # second factor is passed (shared.accounts.middleware): each view checks what it allows.
    path("dua-langkah/", views.SecondFactorView.as_view(), name="second_factor"),
    path("dua-langkah/daftar/", views.SecondFactorEnrolView.as_view(), name="second_factor_enrol"),
    path(
        "dua-langkah/kelola/",
        views.SecondFactorManageView.as_view(),
        name="second_factor_manage",
    ),
    path("perangkat/", views.DevicesView.as_view(), name="devices"),
    path(
        "perangkat/keluarkan-semua/",
        views.DevicesSignOutAllView.as_view(),
        name="devices_sign_out_all",
    ),
    path(
        "perangkat/<str:token_id>/keluarkan/",
        views.DeviceSignOutView.as_view(),
        name="device_sign_out",
    ),
    path("daftar/", citizen_views.SignUpView.as_view(), name="signup"),
    path(
        "verifikasi-email/<str:token>/",
        citizen_views.VerifyEmailView.as_view(),
        name="verify_email",
    ),
    path("lupa-sandi/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-sandi/hp/",
        views_identity.PasswordResetPhoneView.as_view(),
        name="password_reset_phone",
    ),
    path(
        "lupa-sandi/hp/kode/",
        views_identity.PasswordResetPhoneCodeView.as_view(),
        name="password_reset_phone_code",
    ),
    path("lupa-sandi/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "atur-sandi/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "atur-sandi/selesai/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
