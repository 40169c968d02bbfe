from tenants.mpp.models import Counter, Offering
from tenants.queue.demo import DEMO_OFFERING_CODE, queue_demo_seed
from tenants.queue.selectors import bookable_offerings, walk_in_offerings


def test_demo_seed_is_idempotent_and_makes_a_working_queue(in_a):
    first = queue_demo_seed()
    counters = Counter.objects.count()
    offerings = Offering.objects.count()
    assert queue_demo_seed() == first
    assert (Counter.objects.count(), Offering.objects.count()) == (counters, offerings)
    info = Offering.objects.get(code=DEMO_OFFERING_CODE)
    assert info in bookable_offerings()
    assert info in walk_in_offerings()
    assert set(info.counters.values_list("number", flat=True)) == {"1", "2"}
