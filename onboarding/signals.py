from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kernel.routing import clear_routing_cache
from shared.regions.models import Domain, Mpp


@receiver([post_save, post_delete], sender=Mpp)
@receiver([post_save, post_delete], sender=Domain)
def _forget_routes(**kwargs) -> None:
    clear_routing_cache()
