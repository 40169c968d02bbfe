from django.urls import include, path
from rest_framework.routers import DefaultRouter

from shared.webhooks.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("webhooks/subscribers", views.NationalSubscriberViewSet, basename="webhook")
router.register("events", views.NationalEventFeed, basename="event")

urlpatterns = [path("", include(router.urls))]
