"""Writes on the citizen's side: sign-up, e-mail verification, profile, vault, access log, the
public application index and claims. Every write that changes data audits it; no audit entry
carries a NIK, a phone number or document content."""

from shared.citizens.services.accounts import (
    EMAIL_TOKEN_MAX_AGE,
    EMAIL_TOKEN_SALT,
    citizen_sign_up,
    email_verification_send,
    email_verification_token,
    email_verify,
    profile_ensure,
)
from shared.citizens.services.claims import (
    CLAIM_ALPHABET,
    application_claim,
    claim_code_new,
)
from shared.citizens.services.counter import (
    CounterDesk,
    SearchLimitReached,
    consent_channels,
    counter_assisted_logged,
    counter_code_confirm,
    counter_code_request,
    counter_consent_active,
    counter_consent_ktp,
    counter_profile_viewed,
    counter_search,
    counter_visit_end,
    declared_by_other_account,
)
from shared.citizens.services.identity import (
    citizen_register_at_counter,
    nik_dispute_open,
    nik_dispute_resolve,
    nik_dispute_resolve_for_ktp_holder,
    nik_verify_at_counter,
    nik_verify_dukcapil,
    open_dispute_for,
)
from shared.citizens.services.phone import (
    password_reset_by_phone,
    password_reset_by_phone_send,
    phone_verification_send,
    phone_verify,
)
from shared.citizens.services.profile import PROFILE_FIELDS, profile_clean, profile_update
from shared.citizens.services.records import access_log_record, application_index_write
from shared.citizens.services.vault import document_archive, document_upload

__all__ = [
    "CLAIM_ALPHABET",
    "EMAIL_TOKEN_MAX_AGE",
    "EMAIL_TOKEN_SALT",
    "PROFILE_FIELDS",
    "CounterDesk",
    "SearchLimitReached",
    "access_log_record",
    "application_claim",
    "application_index_write",
    "citizen_register_at_counter",
    "citizen_sign_up",
    "claim_code_new",
    "consent_channels",
    "counter_assisted_logged",
    "counter_code_confirm",
    "counter_code_request",
    "counter_consent_active",
    "counter_consent_ktp",
    "counter_profile_viewed",
    "counter_search",
    "counter_visit_end",
    "declared_by_other_account",
    "document_archive",
    "document_upload",
    "email_verification_send",
    "email_verification_token",
    "email_verify",
    "nik_dispute_open",
    "nik_dispute_resolve",
    "nik_dispute_resolve_for_ktp_holder",
    "nik_verify_at_counter",
    "nik_verify_dukcapil",
    "open_dispute_for",
    "password_reset_by_phone",
    "password_reset_by_phone_send",
    "phone_verification_send",
    "phone_verify",
    "profile_clean",
    "profile_ensure",
    "profile_update",
]
