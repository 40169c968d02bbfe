"""The JavaScript-error watch that every browser test relies on does catch errors."""

import pytest

from tests.browser.conftest import PageErrors

pytestmark = pytest.mark.browser


def test_uncaught_errors_console_errors_and_broken_scripts_are_caught(_chromium, live_site):  # noqa: PT019 - the value is used
    errors = PageErrors()
    context = errors.watch(_chromium.new_context())
    page = context.new_page()
    page.goto(live_site.national("/"))
    assert not errors.found, errors.found  # the national home itself is clean
    with page.expect_response("**/tidak-ada.js"):
        page.evaluate(
            """() => {
                console.error('kaput');
                const script = document.createElement('script');
                script.src = '/static/tidak-ada.js';
                document.head.append(script);
                setTimeout(() => { throw new Error('boom'); });
            }"""
        )
    page.wait_for_timeout(300)
    context.close()
    found = "\n".join(errors.found)
    assert "kaput" in found
    assert "boom" in found
    assert "404 for" in found
    assert "tidak-ada.js" in found
    with pytest.raises(pytest.fail.Exception, match="JavaScript errors"):
        errors.check()
