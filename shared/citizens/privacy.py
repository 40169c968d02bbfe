"""Masking personal data before it leaves the process: log lines and Sentry events.

lokal's Samaran finds NIKs, KK numbers, phone numbers and e-mail addresses that look valid; a
NIK someone mistyped (the very thing an error report is about) does not, so any run of exactly
16 digits is masked too.
"""

import logging
import re

_TYPES: tuple = ("NIK", "KK", "PHONE", "EMAIL", "NPWP", "BANK_ACCOUNT", "CARD", "PASSPORT")
_SIXTEEN_DIGITS = re.compile(r"(?<![0-9])([0-9]{4})[0-9]{8}([0-9]{4})(?![0-9])")


def mask_personal(text: str) -> str:
    from lokal import Samaran

    masked = Samaran(mode="partial", types=_TYPES).mask(text).text
    return _SIXTEEN_DIGITS.sub(r"\1********\2", masked)


class PersonalDataFilter(logging.Filter):
    """Masks the formatted message and exception text of every record (attach to handlers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg = mask_personal(record.getMessage())
            record.args = None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = mask_personal(record.exc_text)
            if record.stack_info:
                record.stack_info = mask_personal(record.stack_info)
        except Exception:  # masking must never drop a log line
            record.msg, record.args = "[log line withheld: masking failed]", None
        return True
