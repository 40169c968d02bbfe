"""Production settings pass Django's deployment checks; every page carries a strict CSP."""

import re
import secrets
import subprocess
import sys

import pytest

from tests.kernel.test_production import PRODUCTION, ROOT, _clean_env

# What a production container has (tests/kernel/test_production.py), with file storage and a
# real-looking secret (check --deploy judges the secret's strength).
ENV = {
    **PRODUCTION,
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "MPP_STORAGE": "filesystem",
    "MPP_PRIVATE_ROOT": "/tmp/mpp-private-check",
}


def test_check_deploy_with_production_settings_has_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(**ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_production_settings_say_what_the_checks_want():
    code = (
        "import django;django.setup();from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT,"
        " s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(**ENV),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:3] == ["31536000", "True", "True"]
    assert "HTTP_X_FORWARDED_PROTO" in result.stdout


@pytest.mark.parametrize("host", ["national", "region"])
def test_every_page_has_a_csp_without_inline_scripts(host, national_client, client_a):
    client = national_client if host == "national" else client_a
    for path in ("/", "/akun/masuk/", "/api/docs/"):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        directives = dict(
            [*part.strip().split(" ", 1), ""][:2] for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == "'self'"
        assert "unsafe-inline" not in directives["default-src"]
        assert directives["frame-ancestors"] == "'none'"
        body = response.content.decode()
        # No inline script element and no on* handler attribute in the markup.

        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
        assert not re.search(r"\son[a-z]+\s*=", body), path
