"""The OpenAPI schema validates (drf-spectacular's own validation), on both hosts' URL confs, and
the catalogue's endpoints add no generator warnings or errors."""

import io

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

URLCONFS = ["mpp_platform.urls_national", "mpp_platform.urls_regional"]


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_openapi_schema_validates(db, urlconf, tmp_path):
    out = tmp_path / "schema.yaml"
    # --validate runs drf-spectacular's validation against the OpenAPI 3 JSON schema and raises
    # on an invalid document.
    call_command(
        "spectacular", "--validate", "--urlconf", urlconf, "--file", str(out), stderr=io.StringIO()
    )
    text = out.read_text()
    assert "/api/v1/catalogue/search/" in text
    assert "/api/v1/catalogue/services/{id}/changes/" in text


@pytest.mark.parametrize("urlconf", URLCONFS)
def test_catalogue_endpoints_generate_without_warnings(db, urlconf):
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf=urlconf).get_schema(request=None, public=True)
    validate_schema(schema)
    ours = [
        message
        for message in [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
        if "catalogue" in message.lower()
    ]
    assert ours == []
    paths = schema["paths"]
    assert "post" in paths["/api/v1/catalogue/import/"]
    assert "patch" in paths["/api/v1/catalogue/services/{id}/"]
    assert "delete" not in paths["/api/v1/catalogue/services/{id}/"]


def test_schema_is_served(db, national_client):
    response = national_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/catalogue/services/" in response.content.decode()
