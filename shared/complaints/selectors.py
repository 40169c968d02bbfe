from django.db.models import QuerySet

from shared.complaints.models import ComplaintIndex


def complaints_of(user) -> QuerySet[ComplaintIndex]:
    """The signed-in citizen's complaints in every region, newest change first."""
    return ComplaintIndex.objects.filter(owner=user).select_related("region")
