"""The transactional outbox of background tasks (lives in ``public``)."""

from django.db import models


class TaskOutbox(models.Model):
    """A task to hand to the broker, written in the same transaction as the change that needs
    it. A row is *pending* until the broker has accepted the message (``sent_at``)."""

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict)
    # The region schema a region task runs in; empty for tasks that run in public.
    schema_name = models.CharField(max_length=63, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outbox_pending_idx",
                condition=models.Q(sent_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} [{self.schema_name or 'public'}]"
