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
    citizen_register_at_counter,
    claim_code_new,
)
from shared.citizens.services.profile import PROFILE_FIELDS, profile_clean, profile_update
from shared.citizens.services.records import access_log_record, application_index_write
from shared.citizens.services.vault import document_archive, document_upload

__all__ = [
    "CLAIM_ALPHABET",
    "EMAIL_TOKEN_MAX_AGE",
    "EMAIL_TOKEN_SALT",
    "PROFILE_FIELDS",
    "access_log_record",
    "application_claim",
    "application_index_write",
    "citizen_register_at_counter",
    "citizen_sign_up",
    "claim_code_new",
    "document_archive",
    "document_upload",
    "email_verification_send",
    "email_verification_token",
    "email_verify",
    "profile_clean",
    "profile_ensure",
    "profile_update",
]
