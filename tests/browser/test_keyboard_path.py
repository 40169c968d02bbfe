"""The citizen's application path with the keyboard only: sign in, choose the service, fill the
form, upload a document, submit, read the receipt. Only key presses move the focus and act (no
click, no fill): every control of the form is reached by Tab, each focused element shows a
visible focus ring, and a form sent with missing answers moves the focus to an error summary
(role=alert) while each wrong field says what is wrong (aria-invalid + aria-describedby)."""

import re

import pytest
from django.db import connection

from tests.browser.conftest import unique
from tests.browser.pages import PASSWORD, REGION, walk_data

pytestmark = pytest.mark.browser

# How the test names a control: a radio group is one Tab stop; buttons and links by what
# they do and say.
_KEY = """(el) => el.type === "radio" ? "radio:" + el.name
  : el.tagName === "BUTTON" ? "button:" + el.name + "=" + el.value + ":" + el.textContent.trim()
  : el.tagName === "A" ? "a:" + el.getAttribute("href") + ":" + el.textContent.trim()
  : (el.id || el.name || el.tagName)"""

# The focused element, named the way the test looks for it, and whether its focus shows: an
# outline of at least 2 px or a box shadow (the site's :focus-visible ring is a 3 px outline).
_FOCUSED = """() => {
  const KEY = __KEY__;
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el);
  const key = KEY(el);
  return {
    key: key,
    tag: el.tagName.toLowerCase(),
    type: el.type || "",
    name: el.getAttribute("name") || "",
    text: (["INPUT", "SELECT", "TEXTAREA"].includes(el.tagName) ? el.value : el.textContent)
      .replace(/\\s+/g, " ").trim().slice(0, 120),
    ring: (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== "none",
    describedBy: el.getAttribute("aria-describedby"),
  };
}""".replace("__KEY__", _KEY)

# Every control a citizen must be able to reach in the application form.
_CONTROLS = """() => { const KEY = __KEY__; return [...document.querySelectorAll(
    "form[data-draft] :is(input:not([type=hidden]), select, textarea, button)")]
  .filter((el) => !el.disabled && el.getClientRects().length > 0)
  .map(KEY); }""".replace("__KEY__", _KEY)


class Keyboard:
    """Tab through a page as a keyboard user does, checking every stop's focus ring."""

    def __init__(self, page) -> None:
        self.page = page
        self.unringed: list[str] = []

    def focused(self) -> dict | None:
        return self.page.evaluate(_FOCUSED)

    def tab(self) -> dict | None:
        self.page.keyboard.press("Tab")
        now = self.focused()
        if now is not None and not now["ring"]:
            self.unringed.append(f"{self.page.url}: {now['tag']} {now['key']} {now['text']!r}")
        return now

    def tab_to(self, wanted, *, limit: int = 400) -> dict:
        """Tab until ``wanted(focused)`` holds; fails if the element is never reached."""
        passed = []
        for _ in range(limit):
            now = self.tab()
            if now is not None and wanted(now):
                return now
            passed.append(now and now["text"])
        raise AssertionError(f"not reachable with Tab on {self.page.url}; passed {passed[:60]}")

    def cycle(self) -> set[str]:
        """Every stop of one full round of Tab from the top of the page."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        seen: list[str] = []
        outside = 0  # Tab past the last element leaves the page once, then starts again
        for _ in range(400):
            now = self.tab()
            if now is None:
                outside += 1
                if outside > 2:
                    break
                continue
            if seen and now["key"] == seen[0]:
                break
            seen.append(now["key"])
        return set(seen)


def _offering_with_upload():
    """An online offering in Banyuwangi asking for one document (of a type of its own, so the
    citizen's vault has none and must upload) and one typed answer."""
    from shared.accounts.models import User
    from shared.catalogue.models import DocumentType
    from shared.regions.models import Mpp
    from tenants.applications.services import form_fields_save
    from tenants.mpp.services.booths import booth_create, local_agency_create
    from tenants.mpp.services.offerings import local_service_create

    walk = walk_data()
    admin = User.objects.get(email=walk.admin)
    doc = DocumentType.objects.create(code=unique("surat-pengantar"), name="Surat pengantar RT")
    name = unique("Surat Keterangan Usaha")
    connection.set_tenant(Mpp.objects.get(region__slug=REGION))
    try:
        agency = local_agency_create(actor=admin, name=unique("Dinas Koperasi"))
        booth = booth_create(actor=admin, number=unique("G"), local_agency=agency, name="Gerai")
        offering = local_service_create(
            actor=admin,
            name=name,
            product="Surat keterangan",
            complaint_handling="SP4N-LAPOR!",
            completion_days=3,
            steps=["Ajukan daring", "Verifikasi", "Hasil"],
            requirements=[{"document_type": doc}],
            booth=booth,
            channels=["online"],
        )
        form_fields_save(
            actor=admin,
            offering=offering,
            fields=[{"label": "Nama usaha", "kind": "text", "is_required": True}],
        )
    finally:
        connection.set_schema_to_public()
    return walk, name


def _pdf() -> dict:
    body = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    return {"name": "pengantar.pdf", "mimeType": "application/pdf", "buffer": body}


def test_application_path_with_the_keyboard_only(browser, live_site):
    walk, name = _offering_with_upload()
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    keys = Keyboard(page)
    press = page.keyboard.press

    # Sign in: the page starts in the first field (autofocus); type, Tab, type, Enter.
    page.goto(live_site.region(REGION, "/akun/masuk/"))
    focused = keys.focused()
    if focused is None or focused["name"] != "username":
        keys.tab_to(lambda f: f["name"] == "username")
    page.keyboard.type(walk.citizen)
    assert keys.tab()["name"] == "password"
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        press("Enter")

    # Choose the service: the first Tab stop of a page is the link that skips the top bar;
    # the top bar's link, then the service's own link.
    first = keys.tab()
    assert first is not None
    assert first["text"] == "Langsung ke isi", first
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == "Ajukan permohonan")
    with page.expect_navigation():
        press("Enter")
    keys.tab_to(lambda f: f["tag"] == "a" and f["text"] == f"Ajukan permohonan {name}")
    with page.expect_navigation():
        press("Enter")
    page.wait_for_url(re.compile(r"/permohonan/"))
    assert page.get_by_role("heading", level=1).inner_text() == name

    # Every control of the form is a Tab stop.
    controls = set(page.evaluate(_CONTROLS))
    assert len(controls) >= 4, controls  # the file, the answer, save draft, submit
    missing = controls - keys.cycle()
    assert not missing, f"not reachable with Tab: {missing}"

    # Sent with nothing filled in: the focus goes to the error summary, which is an alert, and
    # each field in error points to its message.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Ajukan permohonan")
    with page.expect_navigation():
        press("Enter")
    focused = keys.focused()
    assert focused is not None
    assert focused["key"] == "form-errors", f"the focus is on {focused}, not the error summary"
    summary = page.locator("#form-errors")
    assert summary.get_attribute("role") == "alert"
    assert "Nama usaha" in summary.inner_text()
    assert "Surat pengantar RT" in summary.inner_text()
    for field in page.locator("[aria-invalid=true]").all():
        described = field.get_attribute("aria-describedby")
        assert described, "a field in error names its message"
        assert page.locator(f"#{described}").inner_text().strip()
    assert page.locator("input[type=file][aria-invalid=true]").count() == 1
    assert page.locator("input[type=text][aria-invalid=true]").count() == 1

    # Fix it with the keyboard: the answer typed, the document chosen from the file dialog that
    # the space bar opens.
    answer = keys.tab_to(lambda f: f["tag"] == "input" and f["type"] == "text")
    assert answer["describedBy"], "the field in error is described by its message"
    page.keyboard.type("Warung Makan Bu Siti")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    keys.tab_to(lambda f: f["type"] == "file")
    with page.expect_file_chooser() as chooser:
        press("Space")
    chooser.value.set_files(_pdf())
    keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Ajukan permohonan")
    with page.expect_navigation():
        press("Enter")

    # The receipt.
    page.wait_for_url(re.compile(r"/tanda-terima/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Tanda terima permohonan"
    assert re.fullmatch(r"3510-\d{4}-\d{6}", page.get_by_test_id("application-number").inner_text())
    context.close()
    assert not keys.unringed, "focused without a visible focus ring:\n" + "\n".join(keys.unringed)
