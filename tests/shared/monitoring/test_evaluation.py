"""The yearly evaluation: from opening a period to an accepted grade with its report, the bad
input along the way, and who may do what."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from kernel.errors import ConflictError, DomainError
from tests.shared.monitoring.conftest import DAY, pdf_bytes, upload
from tests.shared.monitoring.test_dashboard import _store


@pytest.fixture
def admins(make_user, region_a, region_b):
    from shared.accounts.models import Role

    return {
        "a": make_user(role=Role.DPMPTSP_ADMIN, region=region_a),
        "b": make_user(role=Role.DPMPTSP_ADMIN, region=region_b),
        "op_a": make_user(role=Role.OPERATOR, region=region_a),
    }


@pytest.fixture
def period(superadmin, region_a, region_b, admins):
    from shared.monitoring.evaluation import services

    for i in range(20):
        _store(region_a, DAY - dt.timedelta(days=i), applications_completed_on_time=9)
    p = services.period_create(
        actor=superadmin,
        name="Evaluasi uji",
        year=2026,
        measure_start=DAY - dt.timedelta(days=30),
        measure_end=DAY,
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    services.period_open(actor=superadmin, period=p)
    return p


def _complete(evaluation, actor, score="4"):
    from shared.monitoring.evaluation import services

    for answer in evaluation.answers.filter(period_indicator__indicator__kind="answered"):
        services.answer_save(
            actor=actor, evaluation=evaluation, answer=answer, self_score=score, explanation="ok"
        )
        services.evidence_add(
            actor=actor,
            evaluation=evaluation,
            answer=answer,
            upload=upload("bukti.pdf", pdf_bytes("bukti")),
        )


def test_opening_invites_live_regions_with_measured_indicators_prefilled(period, admins, region_a):
    from shared.monitoring.models import RegionEvaluation

    evaluations = {e.region.code: e for e in period.evaluations.select_related("region")}
    assert {"35.10", "35.74"} <= set(evaluations)
    assert all(e.status == RegionEvaluation.Status.INVITED for e in evaluations.values())
    sla = evaluations["35.10"].answers.get(period_indicator__indicator__code="sla")
    assert sla.measured_value == pytest.approx(90.0)
    assert float(sla.self_score) == pytest.approx(4.5)
    from shared.citizens.models import OutboxMessage

    invitation = OutboxMessage.objects.get(recipient=admins["a"].email)
    assert f"/kelola/evaluasi/{period.pk}/" in invitation.body
    assert period.period_indicators.count() == 16


def test_workflow_from_invitation_to_accepted(period, admins, superadmin):
    from shared.monitoring.evaluation import services
    from shared.monitoring.evaluation.report import evaluation_pdf
    from shared.monitoring.models import EvaluationEvent, RegionEvaluation

    ev = period.evaluations.get(region__code="35.10")
    with pytest.raises(DomainError) as incomplete:
        services.evaluation_submit(actor=admins["a"], evaluation=ev)
    assert incomplete.value.code == "incomplete"
    _complete(ev, admins["a"])
    ev = services.evaluation_submit(actor=admins["a"], evaluation=ev)
    assert ev.status == RegionEvaluation.Status.SUBMITTED
    with pytest.raises(ConflictError):
        services.evaluation_submit(actor=admins["a"], evaluation=ev)  # twice

    with pytest.raises(DomainError):
        services.evaluation_return(actor=superadmin, evaluation=ev, note=" ")
    services.evaluation_return(actor=superadmin, evaluation=ev, note="Bukti maklumat kurang jelas.")
    ev.refresh_from_db()
    assert ev.status == "returned"
    assert ev.revision_due >= timezone.localdate()
    ev = services.evaluation_submit(actor=admins["a"], evaluation=ev)

    maklumat = ev.answers.get(period_indicator__indicator__code="maklumat")
    services.evaluation_score(
        actor=superadmin, evaluation=ev, scores={maklumat.pk: ("3", "Cukup")}, note="Baik"
    )
    ev = services.evaluation_accept(actor=superadmin, evaluation=ev)
    assert ev.status == "accepted"
    assert ev.score == services.evaluation_index(ev)
    assert ev.grade == period.grade_for(float(ev.score))[0] != ""
    pdf = evaluation_pdf(ev)
    assert pdf.startswith(b"%PDF")
    actions = list(EvaluationEvent.objects.filter(evaluation=ev).values_list("action", flat=True))
    assert actions[0] == "invited"
    assert {
        "started",
        "evidence_added",
        "submitted",
        "returned",
        "resubmitted",
        "scored",
        "accepted",
    } <= set(actions)
    from shared.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="monitoring.evaluation.accepted", region_code="35.10"
    ).exists()
    with pytest.raises(ConflictError):
        services.answer_save(
            actor=admins["a"], evaluation=ev, answer=maklumat, self_score="5", explanation=""
        )


def test_deadline_wrong_evidence_and_bad_scores(period, admins):
    from shared.monitoring.evaluation import services

    ev = period.evaluations.get(region__code="35.74")
    answer = ev.answers.filter(period_indicator__indicator__kind="answered").first()
    with pytest.raises(DomainError, match="Jenis berkas"):
        services.evidence_add(
            actor=admins["b"], evaluation=ev, answer=answer, upload=upload("x.pdf", b"MZ not a pdf")
        )
    with pytest.raises(DomainError, match="0–5"):
        services.answer_save(
            actor=admins["b"], evaluation=ev, answer=answer, self_score="7", explanation=""
        )
    with pytest.raises(DomainError, match="0–5"):
        services.answer_save(
            actor=admins["b"], evaluation=ev, answer=answer, self_score="abc", explanation=""
        )
    _complete(ev, admins["b"])
    period.deadline = timezone.localdate() - dt.timedelta(days=1)
    period.save()
    ev.refresh_from_db()
    with pytest.raises(DomainError) as late:
        services.evaluation_submit(actor=admins["b"], evaluation=ev)
    assert late.value.code == "deadline_passed"
    ev.refresh_from_db()
    assert ev.status == "draft"  # nothing lost: answers and evidence stay
    assert ev.answers.filter(evidence__isnull=False).exists()


def test_indicator_revision_keeps_open_periods_on_their_version(period, superadmin):
    from shared.monitoring.evaluation import services
    from shared.monitoring.models import Indicator

    old = Indicator.objects.get(code="innovation", is_current=True)
    new = services.indicator_revise(actor=superadmin, indicator=old, weight=15, name="Inovasi baru")
    assert (new.version, new.is_current) == (old.version + 1, True)
    assert period.period_indicators.filter(indicator=old).exists()
    assert not period.period_indicators.filter(indicator=new).exists()


def test_grade_bands_are_configurable_and_checked(superadmin):
    from shared.monitoring.evaluation import services

    bands = [
        {"min": 3, "grade": "LULUS", "label": "Lulus"},
        {"min": 0, "grade": "ULANG", "label": ""},
    ]
    p = services.period_create(
        actor=superadmin, name="P", year=2026, measure_start=DAY, measure_end=DAY,
        deadline=timezone.localdate(), grade_bands=bands,
    )  # fmt: skip
    assert p.grade_for(3.2) == ("LULUS", "Lulus")
    assert p.grade_for(2.99)[0] == "ULANG"
    for bad in ([{"min": 6, "grade": "X", "label": ""}], [{"min": 1, "grade": "X", "label": ""}]):
        with pytest.raises(DomainError):
            services.period_create(
                actor=superadmin, name="P", year=2026, measure_start=DAY, measure_end=DAY,
                deadline=timezone.localdate(), grade_bands=bad,
            )  # fmt: skip


def test_region_pages_are_the_admins_own_only(period, admins, client_a, client_b, region_a):
    url = f"/kelola/evaluasi/{period.pk}/"
    client_a.force_login(admins["a"])
    page = client_a.get(url)
    assert page.status_code == 200
    assert page.context["evaluation"].region.code == "35.10"
    # B's admin on A's host, A's operator, anonymous: refused.
    client_a.force_login(admins["b"])
    assert client_a.get(url).status_code == 404
    client_a.force_login(admins["op_a"])
    assert client_a.get(url).status_code == 404
    client_a.logout()
    assert client_a.get(url).status_code == 302
    # A's evidence is not reachable from B's host even by id.
    from shared.monitoring.evaluation import services

    ev = period.evaluations.get(region__code="35.10")
    answer = ev.answers.filter(period_indicator__indicator__kind="answered").first()
    evidence = services.evidence_add(
        actor=admins["a"], evaluation=ev, answer=answer, upload=upload("b.pdf", pdf_bytes())
    )
    client_b.force_login(admins["b"])
    assert client_b.get(f"/kelola/evaluasi/bukti/{evidence.pk}/").status_code == 404
    client_a.force_login(admins["a"])
    own = client_a.get(f"/kelola/evaluasi/bukti/{evidence.pk}/")
    assert own.status_code == 200
    body = b"".join(own.streaming_content) if own.streaming else own.content
    assert body == pdf_bytes()  # the very file uploaded
    # The report exists only once accepted.
    assert client_a.get(f"/kelola/evaluasi/{period.pk}/laporan.pdf").status_code == 404


def test_region_form_saves_uploads_and_submits(period, admins, client_a):
    ev = period.evaluations.get(region__code="35.10")
    client_a.force_login(admins["a"])
    url = f"/kelola/evaluasi/{period.pk}/"
    answered = list(ev.answers.filter(period_indicator__indicator__kind="answered"))
    response = client_a.post(url, {"action": "submit"})
    assert response.status_code == 400
    assert "belum lengkap" in response.content.decode()
    data = {"action": "save"}
    for a in answered:
        data[f"score-{a.pk}"] = "4"
        data[f"explanation-{a.pk}"] = "ada"
    assert client_a.post(url, data).status_code == 302
    bad = client_a.post(
        url, {"action": "upload", "answer": answered[0].pk, "file": io.BytesIO(b"hello")}
    )
    assert bad.status_code == 400
    for a in answered:
        f = upload("bukti.pdf", pdf_bytes())
        assert (
            client_a.post(url, {"action": "upload", "answer": a.pk, "file": f}).status_code == 302
        )
    assert client_a.post(url, {"action": "submit"}).status_code == 302
    ev.refresh_from_db()
    assert ev.status == "submitted"
    again = client_a.post(url, {"action": "submit"})
    assert again.status_code == 400
    assert "sudah diajukan" in again.content.decode()


def test_national_review_progress_and_recap(period, admins, superadmin, national_client):
    from openpyxl import load_workbook

    from shared.monitoring.evaluation import services

    ev = period.evaluations.get(region__code="35.10")
    _complete(ev, admins["a"])
    services.evaluation_submit(actor=admins["a"], evaluation=ev)
    national_client.force_login(superadmin)
    progress = national_client.get(f"/evaluasi/{period.pk}/progres.json").json()
    assert progress["invited"] >= 2
    assert progress["submitted"] == 1
    review = f"/evaluasi/{period.pk}/daerah/35.10/"
    page = national_client.get(review)
    assert page.status_code == 200
    html = page.content.decode()
    # the region's own submission: its name, its self-scores and the evidence links
    assert f"<h1>{ev.region.name}</h1>" in html
    assert "Nilai mandiri: 4" in html
    evidence = ev.answers.filter(evidence__isnull=False).values_list("evidence__pk", flat=True)
    assert evidence
    for pk in evidence:
        assert f"/evaluasi/bukti/{pk}/" in html
    assert national_client.post(review, {"action": "accept"}).status_code == 302
    ev.refresh_from_db()
    assert ev.status == "accepted"
    pdf = national_client.get(f"{review}laporan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    csv_text = national_client.get(f"/evaluasi/{period.pk}/rekap.csv").content.decode()
    assert "35.10" in csv_text
    assert ev.grade in csv_text
    book = load_workbook(
        io.BytesIO(national_client.get(f"/evaluasi/{period.pk}/rekap.xlsx").content)
    )
    assert any(row[0].value == "35.74" for row in book.active.iter_rows(min_row=2))
    # Region admins never reach the national evaluation pages.
    national_client.force_login(admins["a"])
    assert national_client.get(review).status_code == 404
    assert national_client.get(f"/evaluasi/{period.pk}/rekap.csv").status_code == 404


def test_period_form_refuses_bad_input(national_client, superadmin):
    national_client.force_login(superadmin)
    response = national_client.post(
        "/evaluasi/",
        {
            "name": "X",
            "year": "2026",
            "measure_start": "2026-06-01",
            "measure_end": "2026-01-01",
            "deadline": "2099-01-01",
            "grade_bands": "4.5 A Prima\n0 F Gagal",
        },
    )
    assert response.status_code == 400
    assert "sebelum" in response.content.decode()
    response = national_client.post(
        "/evaluasi/",
        {
            "name": "X",
            "year": "2026",
            "measure_start": "2026-01-01",
            "measure_end": "2026-06-01",
            "deadline": "2099-01-01",
            "grade_bands": "tinggi A\n",
        },
    )
    assert response.status_code == 400
    assert "Baris 1" in response.content.decode()


def test_services_refuse_anyone_but_the_regions_admin_and_the_evaluator(period, admins, superadmin):
    """The pages check roles first; the services refuse on their own too: another region's
    admin, an operator and a region admin acting as evaluator change nothing."""
    from kernel.errors import NotFoundError
    from shared.monitoring.evaluation import services

    ev = period.evaluations.get(region__code="35.10")
    answer = ev.answers.filter(period_indicator__indicator__kind="answered").first()
    for intruder in (admins["b"], admins["op_a"]):
        with pytest.raises(NotFoundError):
            services.answer_save(
                actor=intruder, evaluation=ev, answer=answer, self_score="5", explanation="x"
            )
        with pytest.raises(NotFoundError):
            services.evidence_add(
                actor=intruder, evaluation=ev, answer=answer, upload=upload("b.pdf", pdf_bytes())
            )
        with pytest.raises(NotFoundError):
            services.evaluation_submit(actor=intruder, evaluation=ev)
    answer.refresh_from_db()
    assert (answer.self_score, answer.explanation, answer.evidence.count()) == (None, "", 0)

    _complete(ev, admins["a"])
    ev = services.evaluation_submit(actor=admins["a"], evaluation=ev)
    for step in (
        lambda: services.evaluation_accept(actor=admins["a"], evaluation=ev),
        lambda: services.evaluation_return(actor=admins["a"], evaluation=ev, note="Ulang"),
        lambda: services.evaluation_score(
            actor=admins["a"], evaluation=ev, scores={answer.pk: ("5", "")}
        ),
        lambda: services.period_close(actor=admins["a"], period=period),
        lambda: services.period_create(
            actor=admins["a"],
            name="P",
            year=2026,
            measure_start=DAY,
            measure_end=DAY,
            deadline=timezone.localdate(),
        ),
    ):
        with pytest.raises(NotFoundError):
            step()
    ev.refresh_from_db()
    period.refresh_from_db()
    assert (ev.status, ev.grade, period.status) == ("submitted", "", "open")
    assert services.evaluation_accept(actor=superadmin, evaluation=ev).status == "accepted"


def test_region_form_keeps_what_was_typed_and_refuses_late_or_wrong_files(period, admins, client_a):
    from shared.monitoring.models import Evidence

    ev = period.evaluations.get(region__code="35.10")
    client_a.force_login(admins["a"])
    url = f"/kelola/evaluasi/{period.pk}/"
    answered = list(ev.answers.filter(period_indicator__indicator__kind="answered"))
    data = {"action": "save"}
    for a in answered:
        data[f"score-{a.pk}"] = "4"
        data[f"explanation-{a.pk}"] = f"Uraian {a.pk}"
    bad = answered[0]
    data[f"score-{bad.pk}"] = "7"
    data[f"explanation-{bad.pk}"] = "Penjelasan panjang yang sudah diketik"
    response = client_a.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "1 jawaban belum tersimpan" in html
    assert "Nilai harus angka 0–5." in html
    assert f'name="score-{bad.pk}" value="7"' in html  # what was typed, not lost
    assert "Penjelasan panjang yang sudah diketik" in html
    saved = {a.pk: a for a in ev.answers.all()}
    assert saved[bad.pk].self_score is None
    assert all(float(saved[a.pk].self_score) == 4 for a in answered[1:])  # the others are kept
    assert all(saved[a.pk].explanation == f"Uraian {a.pk}" for a in answered[1:])

    # Evidence of the wrong type: the message, and nothing stored.
    wrong = client_a.post(
        url, {"action": "upload", "answer": bad.pk, "file": upload("bukti.pdf", b"MZ\x90\x00exe")}
    )
    assert wrong.status_code == 400
    assert "Jenis berkas" in wrong.content.decode()
    assert not Evidence.objects.filter(answer=bad).exists()

    # After the deadline: the answers are saved, the submission refused with the date.
    for a in answered:
        f = upload("bukti.pdf", pdf_bytes())
        assert (
            client_a.post(url, {"action": "upload", "answer": a.pk, "file": f}).status_code == 302
        )
    period.deadline = timezone.localdate() - dt.timedelta(days=1)
    period.save()
    data = {"action": "submit"}
    for a in answered:
        data[f"score-{a.pk}"] = "3"
        data[f"explanation-{a.pk}"] = "Diperbaiki"
    late = client_a.post(url, data)
    assert late.status_code == 400
    assert "sudah lewat" in late.content.decode()
    ev.refresh_from_db()
    assert ev.status == "draft"
    assert set(ev.answers.filter(pk__in=[a.pk for a in answered]).values_list(
        "explanation", flat=True
    )) == {"Diperbaiki"}  # fmt: skip
