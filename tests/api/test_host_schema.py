"""Each host's /api/schema/ is exactly that host's API, in both directions.

The schema is fetched over HTTP from each host (so the view's choice of URL configuration is what
is tested); every path in it must resolve in that host's URL configuration, and every API route
of that configuration must be in it. The national and regional documents differ: the regional
endpoints are absent from the national one and the onboarding API from the regional one.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.views import APIView

OPENAPI = "application/vnd.oai.openapi+json"
NATIONAL = "mpp_platform.urls_national"
REGIONAL = "mpp_platform.urls_regional"
_PARAM = re.compile(r"\{[^}]+\}")


def _pattern_text(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return re.sub(r"<(?:[^>:]+:)?[^>]+>", "{}", str(pattern))
    if isinstance(pattern, RegexPattern):
        text = pattern.regex.pattern.lstrip("^").rstrip("$").replace("\\Z", "")
        text = re.sub(r"\(\?P<[^>]+>(?:[^()]|\([^()]*\))*\)", "{}", text)
        return text.replace("\\.", ".")
    return str(pattern)


def _api_routes(urlconf: str) -> set[str]:
    """Every DRF route of ``urlconf`` under /api/v1/, with parameters as ``{}``."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            text = prefix + _pattern_text(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, text)
            elif isinstance(entry, URLPattern):
                cls = getattr(entry.callback, "cls", None)
                if (
                    cls is not None
                    and issubclass(cls, APIView)
                    and text.startswith("api/v1/")
                    and "{}.{}" not in text  # DRF's format-suffix variants (.json)
                    and not text.endswith(".{}/")
                ):
                    found.add("/" + text)

    walk(get_resolver(urlconf).url_patterns, "")
    return found


def _example(path: str, operation_params: list[dict]) -> str:
    """A concrete URL for an OpenAPI path, each parameter filled from its declared type."""
    kinds = {p["name"]: p.get("schema", {}) for p in operation_params if p.get("in") == "path"}

    def fill(match: re.Match) -> str:
        schema = kinds.get(match.group(0)[1:-1], {})
        if schema.get("format") == "uuid":
            return "3fa85f64-5717-4562-b3fc-2c963f66afa6"
        if schema.get("type") == "integer":
            return "7"
        candidates = ["contoh", "7", "35.10", "3fa85f64-5717-4562-b3fc-2c963f66afa6"]
        pattern = schema.get("pattern")
        if pattern:
            return next(c for c in candidates if re.fullmatch(pattern.strip("^$"), c))
        return "contoh"

    return _PARAM.sub(fill, path)


def _schema(client) -> dict:
    response = client.get("/api/schema/", HTTP_ACCEPT=OPENAPI)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(("host", "urlconf"), [("national", NATIONAL), ("region", REGIONAL)])
def test_schema_is_exactly_the_hosts_api(db, national_client, client_a, host, urlconf):
    from django.urls import Resolver404, resolve

    client = national_client if host == "national" else client_a
    schema = _schema(client)
    paths = schema["paths"]
    assert paths, "an empty schema proves nothing"

    # Every documented path is served on this host.
    unresolved = []
    for path, operations in paths.items():
        params = [
            p
            for op in operations.values()
            if isinstance(op, dict)
            for p in op.get("parameters", [])
        ]
        url = _example(path, params)
        try:
            resolve(url, urlconf=urlconf)
        except Resolver404:
            unresolved.append(url)
    assert unresolved == []

    # Every API route of this host is documented.
    documented = {_PARAM.sub("{}", path) for path in paths}
    routes = _api_routes(urlconf)
    assert routes, "no API route found: the walker is broken"
    assert sorted(routes - documented) == []


def test_national_and_regional_documents_differ(db, national_client, client_a):
    national = set(_schema(national_client)["paths"])
    regional = set(_schema(client_a)["paths"])
    assert any(p.startswith("/api/v1/onboarding/") for p in national)
    assert not any(p.startswith("/api/v1/onboarding/") for p in regional)
    for regional_only in ("/api/v1/mpp/", "/api/v1/queue/", "/api/v1/staff/"):
        assert any(p.startswith(regional_only) for p in regional), regional_only
        assert not any(p.startswith(regional_only) for p in national), regional_only
    # What both serve (the national catalogue) is in both.
    assert "/api/v1/catalogue/services/" in national & regional


def test_a_documented_national_path_answers_on_the_national_host(db, national_client, client_a):
    """Resolution is not enough on its own: the routes answer over HTTP, not with a 404 page."""
    national = _schema(national_client)["paths"]
    assert "/api/v1/catalogue/services/" in national
    assert national_client.get("/api/v1/catalogue/services/").status_code == 200
    onboarding = next(p for p in national if p.startswith("/api/v1/onboarding/") and "{" not in p)
    # Anonymous on the national host: asked to sign in (the route exists), not a 404.
    assert national_client.get(onboarding).status_code in (401, 403)
    # The same path on a region host does not exist.
    assert client_a.get(onboarding).status_code == 404


@pytest.mark.parametrize("host", ["national", "region"])
def test_every_operation_documents_the_problem_shape(db, national_client, client_a, host):
    schema = _schema(national_client if host == "national" else client_a)
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code"}
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = operation["responses"]["404"]["content"]
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }
    description = schema["info"]["description"]
    assert "/api/v2/" in description  # the versioning policy
    assert "Sunset" in description  # the deprecation policy
    assert "RFC 9457" in description


@pytest.mark.parametrize("host", ["national", "region"])
def test_every_operation_has_one_body_format_and_a_usable_id(db, national_client, client_a, host):
    """What lets a generator build a client: one request format per operation (multipart only
    where a file is uploaded, JSON otherwise) and unique operation ids that are identifiers."""
    schema = _schema(national_client if host == "national" else client_a)
    components = schema["components"]["schemas"]
    ids = []
    multipart = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            body = operation.get("requestBody")
            if body is None:
                continue
            (media_type,) = body["content"]  # exactly one
            assert media_type in ("application/json", "multipart/form-data"), (path, method)
            if media_type == "multipart/form-data":
                ref = body["content"][media_type]["schema"]["$ref"].rsplit("/", 1)[1]
                properties = components[ref]["properties"].values()
                assert any(
                    p.get("format") == "binary" or p.get("items", {}).get("format") == "binary"
                    for p in properties
                ), (path, method)
                multipart.add(path)
    assert multipart, "no upload found: the check proves nothing"
    assert len(ids) == len(set(ids))
    assert all(i.isidentifier() and not i.startswith("v1_") for i in ids)
