"""Reads on the citizen's side that need more than one model."""

from django.db.models import Q, QuerySet

from shared.accounts.models import normalize_phone
from shared.citizens.models import ApplicationIndex, CitizenProfile, DataAccessLog, Document
from shared.citizens.validation import normalize_nik


def profile_for(user) -> CitizenProfile | None:
    """The signed-in user's citizen profile, or None (no write: see services.profile_ensure)."""
    if not user or not user.is_authenticated:
        return None
    cached = user.__dict__.get("_citizen_profile_cache", ...)
    if cached is ...:
        cached = CitizenProfile.objects.filter(user=user).first()
        user.__dict__["_citizen_profile_cache"] = cached
    return cached


def vault_documents(profile: CitizenProfile) -> QuerySet[Document]:
    return (
        Document.objects.filter(profile=profile, archived_at__isnull=True)
        .select_related("document_type")
        .order_by("document_type__name", "-uploaded_at", "-id")
    )


def document_of(profile: CitizenProfile, document_id) -> Document | None:
    """One of the citizen's own documents (archived ones too: they may back an application)."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        return None
    return (
        Document.objects.select_related("document_type")
        .filter(profile=profile, pk=document_id)
        .first()
    )


def latest_documents_by_type(profile: CitizenProfile) -> dict[int, Document]:
    """The newest active document of each type: what an application form preselects."""
    latest: dict[int, Document] = {}
    for document in vault_documents(profile).order_by("document_type_id", "-uploaded_at", "-id"):
        latest.setdefault(document.document_type_id, document)
    return latest


def applications_of(profile: CitizenProfile) -> QuerySet[ApplicationIndex]:
    """Every application of the citizen, in every region, newest change first."""
    return (
        ApplicationIndex.objects.filter(profile=profile)
        .select_related("region")
        .order_by("-updated_at", "-id")
    )


def access_log_of(profile: CitizenProfile) -> QuerySet[DataAccessLog]:
    return DataAccessLog.objects.filter(profile=profile).select_related("region")


def citizen_find(query: str) -> CitizenProfile | None:
    """Counter search: a NIK (16 digits, by blind index) or a phone number, exact match only.
    Deleted accounts are not found."""
    digits = normalize_nik(query)
    live = CitizenProfile.objects.select_related("user").filter(deleted_at__isnull=True)
    if len(digits) == 16:
        return live.with_nik(digits).first()
    phone = normalize_phone(query)
    if phone:
        return live.filter(Q(phone=phone) | Q(user__phone=phone)).order_by("id").first()
    return None


def identity_of(user) -> tuple[list[int], list[str]]:
    """The accounts that count as one citizen for the limits that stop brokers (*calo*): this
    account, and every account whose profile has the same *verified* phone number or the same
    NIK. Returns (user ids, lock keys): callers take the lock keys in this order (sorted) before
    counting, so two accounts of one person cannot both slip under a limit at once."""
    profile = profile_for(user)
    ids = {user.pk}
    keys = [f"user:{user.pk}"]
    if profile is not None:
        if profile.phone_is_verified:
            keys.append(f"phone:{profile.phone}")
            ids |= set(
                CitizenProfile.objects.filter(
                    phone=profile.phone, phone_verified_at__isnull=False, user__isnull=False
                ).values_list("user_id", flat=True)
            )
        if profile.nik_index:
            keys.append(f"nik:{profile.nik_index}")
    return sorted(ids), sorted(keys)


def identity_profile_ids(profile: CitizenProfile) -> list[int]:
    """The profiles that count as one citizen for the application limits: this one and every
    profile with the same verified phone number (a NIK is already unique to one profile)."""
    ids = {profile.pk}
    if profile.phone_is_verified:
        ids |= set(
            CitizenProfile.objects.filter(
                phone=profile.phone, phone_verified_at__isnull=False
            ).values_list("pk", flat=True)
        )
    return sorted(ids)
