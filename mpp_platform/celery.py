"""The Celery app. tenant-schemas-celery switches each task into the schema named in its headers."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")

app = CeleryApp("mpp_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The kernel is no Django app; its dispatcher task is registered from here.
app.autodiscover_tasks(["kernel"])
