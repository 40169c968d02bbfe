"""NIK encryption at rest and the keyed blind index used to find and deduplicate NIKs.

The NIK is stored as a Fernet token (AES-128-CBC + HMAC-SHA256 from ``cryptography``; never a
hand-written cipher) and as an HMAC-SHA256 of the digits under a separate key. Equal NIKs give
equal indexes, so lookups and the unique constraint work on the index, while the column itself
holds nothing a database dump could read back.

Keys come from the environment (settings ``MPP_NIK_ENCRYPTION_KEYS`` / ``MPP_NIK_INDEX_KEYS``),
newest first. The newest key encrypts and indexes; every key still decrypts and is tried on
lookups, so a new key can be deployed first and ``manage.py rotate_nik_keys`` re-encrypts and
re-indexes every row afterwards (then the old key can go).
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class NikKeyError(RuntimeError):
    """A stored NIK cannot be decrypted with any configured key (a key was removed too early)."""


def _encryption_keys() -> tuple[str, ...]:
    keys = tuple(k for k in getattr(settings, "MPP_NIK_ENCRYPTION_KEYS", ()) if k)
    if not keys:
        raise NikKeyError("MPP_NIK_ENCRYPTION_KEYS is empty")
    return keys


def _index_keys() -> tuple[str, ...]:
    keys = tuple(k for k in getattr(settings, "MPP_NIK_INDEX_KEYS", ()) if k)
    if not keys:
        raise NikKeyError("MPP_NIK_INDEX_KEYS is empty")
    return keys


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def encrypt_nik(nik: str) -> str:
    return _fernet(_encryption_keys()).encrypt(nik.encode()).decode()


def decrypt_nik(token: str) -> str:
    try:
        return _fernet(_encryption_keys()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise NikKeyError("no configured key decrypts this NIK") from exc


def reencrypt_nik(token: str) -> str:
    """The same NIK under the newest key (a no-op in meaning; new ciphertext)."""
    try:
        return _fernet(_encryption_keys()).rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise NikKeyError("no configured key decrypts this NIK") from exc


def is_current_token(token: str) -> bool:
    """True when the newest key alone decrypts the token (no rotation needed)."""
    try:
        Fernet(_encryption_keys()[0].encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def _index(nik: str, key: str) -> str:
    return hmac.new(key.encode(), nik.encode(), hashlib.sha256).hexdigest()


def nik_index(nik: str) -> str:
    """The blind index under the newest key: what a row stores."""
    return _index(nik, _index_keys()[0])


def nik_indexes(nik: str) -> list[str]:
    """The blind index under every configured key: what a lookup matches during a rotation."""
    return [_index(nik, key) for key in _index_keys()]


def is_current_index(nik: str, stored: str) -> bool:
    return hmac.compare_digest(nik_index(nik), stored or "")
