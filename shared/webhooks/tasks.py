"""Webhook tasks. They run in ``public`` (events and subscribers are national tables)."""

from celery import shared_task


@shared_task(name="webhooks.fan_out")
def webhooks_fan_out(*, event_id: int) -> int:
    from shared.webhooks.services import events_fan_out

    ids = events_fan_out(event_id=event_id)
    for delivery_id in ids:
        webhooks_deliver.apply_async(
            kwargs={"delivery_id": delivery_id}, headers={"_schema_name": "public"}
        )
    return len(ids)


@shared_task(name="webhooks.deliver")
def webhooks_deliver(*, delivery_id: int) -> None:
    from shared.webhooks.services import delivery_attempt

    retry_in = delivery_attempt(delivery_id=delivery_id)
    if retry_in is not None:
        webhooks_deliver.apply_async(
            kwargs={"delivery_id": delivery_id},
            countdown=retry_in,
            headers={"_schema_name": "public"},
        )
