from celery import shared_task


@shared_task(name="outbox.relay", ignore_result=True)
def outbox_relay() -> int:
    """Send the outbox's pending tasks (a broker outage left them there)."""
    from shared.outbox.services import outbox_send

    return outbox_send()
