"""One evaluation from invitation to accepted, in a real browser: KemenPANRB opens a period,
the region's DPMPTSP admin answers with evidence and submits, the evaluator accepts, and the
region sees its grade and report."""

import pytest

from tests.browser.conftest import unique
from tests.shared.citizens.conftest import pdf_bytes
from tests.shared.monitoring.browser.conftest import PASSWORD, official, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people():
    from shared.accounts.models import Membership, Role, User
    from shared.monitoring.models import EvaluationPeriod
    from shared.regions.models import Region

    superadmin = User.objects.create_superuser(
        email=f"{unique('evaluator')}@kemenpanrb.test", password=PASSWORD, full_name="Evaluator"
    )
    admin = User.objects.create_user(
        email=f"{unique('admin')}@banyuwangikab.test", password=PASSWORD, full_name="Admin Uji"
    )
    Membership.objects.create(
        user=admin, region=Region.objects.get(code="35.10"), role=Role.DPMPTSP_ADMIN
    )
    official(superadmin)
    official(admin)
    before = set(EvaluationPeriod.objects.values_list("pk", flat=True))
    yield superadmin, admin
    EvaluationPeriod.objects.exclude(pk__in=before).delete()
    Membership.objects.filter(user=admin).delete()


def test_one_evaluation_from_invitation_to_accepted(live_site, with_page, people):
    superadmin, admin = people
    name = unique("Evaluasi uji")
    evidence = pdf_bytes("bukti")

    def drive(page):
        # KemenPANRB creates and opens the period.
        sign_in(page, live_site.national("/akun/masuk/?next=/evaluasi/"), superadmin.email)
        page.get_by_label("Nama periode").fill(name)
        page.get_by_role("button", name="Buat periode").click()
        assert name in page.locator("h1").inner_text()
        page.get_by_role("button", name="Buka periode dan undang semua MPP aktif").click()
        assert "daerah diundang" in page.locator(".messages").inner_text()
        row = page.locator('#evaluations tr[data-code="35.10"]')
        assert "Diundang" in row.inner_text()
        period_url = page.url

        # The region's admin answers, uploads evidence and submits.
        page.context.clear_cookies()
        sign_in(
            page, live_site.region("banyuwangi", "/akun/masuk/?next=/kelola/evaluasi/"), admin.email
        )
        page.get_by_role("link", name=name).click()
        scores = page.locator("input[name^=score-]")
        for i in range(scores.count()):
            scores.nth(i).fill("4")
            page.locator("textarea[name^=explanation-]").nth(i).fill("Sudah diterapkan.")
        page.get_by_role("button", name="Simpan jawaban").click()
        assert "Jawaban disimpan" in page.locator(".messages").inner_text()
        page.get_by_role("button", name="Ajukan evaluasi").click()
        assert "belum lengkap" in page.locator(".messages").inner_text()  # no evidence yet
        uploads = page.locator("input[type=file]").count()
        for i in range(uploads):
            page.locator("input[type=file]").nth(i).set_input_files(
                {"name": f"bukti-{i}.pdf", "mimeType": "application/pdf", "buffer": evidence}
            )
            page.get_by_role("button", name="Unggah bukti").nth(i).click()
            assert "Bukti diunggah" in page.locator(".messages").inner_text()
        page.get_by_role("button", name="Ajukan evaluasi").click()
        assert "diajukan" in page.locator(".messages").inner_text()
        assert "Diajukan" in page.locator("#evaluation-status").inner_text()

        # The evaluator reviews and accepts; the cycle's progress shows it.
        page.context.clear_cookies()
        sign_in(page, live_site.national("/akun/masuk/?next=/evaluasi/"), superadmin.email)
        page.goto(period_url)
        page.locator('#evaluations tr[data-code="35.10"]').get_by_role("link").click()
        page.get_by_label("Catatan evaluator").fill("Lengkap dan rapi.")
        page.get_by_role("button", name="Terima evaluasi").click()
        assert "Diterima" in page.locator("#evaluation-status").inner_text()
        grade = page.locator("#evaluation-grade").inner_text()
        assert grade
        page.goto(period_url)
        assert page.locator('#cycle-progress [data-count="accepted"]').inner_text() == "1"

        # The region sees its grade and downloads its report.
        page.context.clear_cookies()
        sign_in(
            page, live_site.region("banyuwangi", "/akun/masuk/?next=/kelola/evaluasi/"), admin.email
        )
        page.get_by_role("link", name=name).click()
        assert page.locator("#evaluation-grade").inner_text() == grade
        with page.expect_download() as report:
            page.get_by_role("link", name="Unduh laporan PDF").click()
        assert report.value.path().read_bytes().startswith(b"%PDF")

    with_page(drive)
