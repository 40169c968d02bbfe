"""axe-core on every page type, in Bahasa Indonesia and English, on a phone and a desktop viewport:
no serious or critical violation anywhere. Every violation found is printed with its page, so a
failure says what to fix. The engine ships inside axe-playwright-python (no network)."""

import pytest
from django.conf import settings

from tests.browser.pages import visit_all, walk_data

pytestmark = pytest.mark.browser

VIEWPORTS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
BLOCKING = {"serious", "critical"}


def _axe_run(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": ["wcag2a", "wcag2aa", "best-practice"]}
    return Axe().run(page, options=options).response["violations"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_has_no_serious_accessibility_violation(browser, live_site, viewport):
    walk = walk_data()
    found: list[str] = []
    blocking = 0
    # bypass_csp: the engine is injected by the test, never by the site (which allows no eval).
    context = browser.new_context(viewport=VIEWPORTS[viewport], bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    visited: dict[str, list[str]] = {}
    for language in ("id", "en"):
        context.clear_cookies(name="django_language")
        # The language cookie is shared by the national and the regional hosts.
        domain = f".{settings.LANGUAGE_COOKIE_DOMAIN}"
        context.add_cookies(
            [{"name": "django_language", "value": language, "domain": domain, "path": "/"}]
        )

        def look(page, name, language=language):
            assert page.locator("html").get_attribute("lang") == language, (
                f"{name}: the page is not in {language}"
            )
            for violation in _axe_run(page):
                nonlocal blocking
                if violation["impact"] in BLOCKING:
                    blocking += 1
                targets = "; ".join(
                    " ".join(node["target"][0] if node["target"] else "?")
                    if isinstance(node["target"][0], list)
                    else str(node["target"][0])
                    for node in violation["nodes"][:5]
                )
                line = (
                    f"[{viewport} {language}] {name} ({page.url}): {violation['impact']} "
                    f"{violation['id']}: {violation['help']} -> {targets}"
                )
                print(line)
                found.append(line)

        visited[language] = visit_all(page, live_site, walk, look)
    context.close()
    assert visited["id"] == visited["en"]
    assert len(visited["id"]) >= 18
    assert blocking == 0, "serious or critical accessibility violations:\n" + "\n".join(
        line for line in found if any(f" {impact} " in line for impact in BLOCKING)
    )
