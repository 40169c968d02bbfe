from django.apps import AppConfig


class QueueConfig(AppConfig):
    name = "tenants.queue"
    label = "queue"
    verbose_name = "Antrean dan booking"
