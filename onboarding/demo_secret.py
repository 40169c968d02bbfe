"""The demo officials' authenticator secret (dev and test only; the demo seed refuses to run
anywhere else). Plain Python, no Django: ``make run`` prints it, and
``python -m scripts.dev totp`` prints the current code for it."""

import base64

# 20 bytes, as an authenticator app expects: b"MPP-Digital-demo-2FA".
DEMO_TOTP_KEY_HEX = "4d50502d4469676974616c2d64656d6f2d324641"
DEMO_TOTP_SECRET = base64.b32encode(bytes.fromhex(DEMO_TOTP_KEY_HEX)).decode()


def demo_totp_code() -> str:
    """The 6-digit code an authenticator app shows for the demo secret right now."""
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(DEMO_TOTP_KEY_HEX)):06d}"
