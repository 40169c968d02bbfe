from celery import shared_task


@shared_task(name="messaging.relay")
def messaging_relay(*, message_id: int) -> None:
    """Hand a WhatsApp/SMS message to the provider; retried with backoff (public schema)."""
    from shared.messaging.gateway import message_relay

    retry_in = message_relay(message_id=message_id)
    if retry_in is not None:
        messaging_relay.apply_async(
            kwargs={"message_id": message_id},
            countdown=retry_in,
            headers={"_schema_name": "public"},
        )
