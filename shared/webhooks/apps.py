from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "shared.webhooks"
    label = "webhooks"
    verbose_name = "Webhook dan umpan peristiwa"
