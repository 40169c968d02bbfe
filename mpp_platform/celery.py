"""The Celery app. tenant-schemas-celery switches each task into the schema named in its headers."""

import os

from celery.signals import worker_init, worker_ready
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mpp_platform.settings")

app = CeleryApp("mpp_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The kernel is no Django app; its dispatcher task is registered from here.
app.autodiscover_tasks(["kernel"])


@worker_init.connect
def _refuse_transaction_pooling(**_kwargs) -> None:
    # A worker switches schemas per task: behind transaction pooling it would leak them too.
    from mpp_platform.pooler import startup_check

    startup_check()


@worker_ready.connect
def _recover(**_kwargs) -> None:
    # A worker that starts after an outage sends what the outbox kept, without waiting for beat,
    # and picks up the pipelines a killed worker left half done.
    from onboarding.services import pipelines_resume
    from shared.outbox.services import outbox_send

    outbox_send()
    pipelines_resume()
