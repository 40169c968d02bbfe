"""Every message template is written in both languages with the same placeholders, so a value
the sender fills in is never missing from (or left over in) one language's text."""

from string import Formatter

import pytest

from shared.messaging.templates import ENGLISH, INDONESIAN, TEMPLATES, message_render


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_both_languages_take_the_same_values(name):
    texts = TEMPLATES[name]
    assert set(texts) == {INDONESIAN, ENGLISH}
    indonesian, english = texts[INDONESIAN], texts[ENGLISH]
    assert _fields(indonesian.subject) | _fields(indonesian.body) == _fields(
        english.subject
    ) | _fields(english.body)


def test_an_unknown_language_gets_bahasa_indonesia():
    subject, body = message_render(
        "application_rejected",
        language="jw",
        values={"number": "3510-2026-000001", "service": "Akta", "reason": "Bukan {warga}"},
    )
    assert subject == "Permohonan 3510-2026-000001: Ditolak"
    assert body == "Permohonan Akta ditolak: Bukan {warga}"  # a value is never re-formatted
