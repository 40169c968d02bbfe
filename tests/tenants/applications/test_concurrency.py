"""Numbers have no gaps and no duplicates when many submissions race, and two staff acting on one
application at once cannot both move it (real PostgreSQL, real threads on their own connections,
committed data: no transaction wraps this test; every row it adds is removed afterwards, and the
row counts of both schemas are checked to be back where they were)."""

import threading
import uuid

import pytest
from django.db import connection, transaction

pytestmark = pytest.mark.concurrency

THREADS = 50
SCHEMAS = ("public", "mpp_35_10")


def _tables() -> list[tuple[str, str]]:
    """Every table of the two schemas with an integer ``id`` (all of Django's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_schema, c.table_name FROM information_schema.columns c"
            " JOIN information_schema.tables t USING (table_schema, table_name)"
            " WHERE c.table_schema = ANY(%s) AND c.column_name = 'id'"
            " AND c.data_type IN ('bigint', 'integer') AND t.table_type = 'BASE TABLE'"
            " ORDER BY 1, 2",
            [list(SCHEMAS)],
        )
        return cursor.fetchall()


def _state() -> dict[tuple[str, str], tuple[int, int]]:
    """(row count, highest id) of every table."""
    state = {}
    with connection.cursor() as cursor:
        for schema, table in _tables():
            cursor.execute(f'SELECT count(*), coalesce(max(id), 0) FROM "{schema}"."{table}"')
            state[schema, table] = cursor.fetchone()
    return state


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    """Committed data, removed afterwards: every row with an id above the table's highest id
    before the test is deleted (Django's foreign keys are deferred, so the order does not
    matter within one transaction), and the year's number sequence is put back."""
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        before = _state()
        with connection.cursor() as cursor:
            cursor.execute("SELECT year, last FROM mpp_35_10.applications_numbersequence")
            sequences = cursor.fetchall()
        try:
            yield
        finally:
            connection.set_schema_to_public()
            with transaction.atomic(), connection.cursor() as cursor:
                for (schema, table), (_count, top) in before.items():
                    cursor.execute(f'DELETE FROM "{schema}"."{table}" WHERE id > %s', [top])
                for year, last in sequences:
                    cursor.execute(
                        "UPDATE mpp_35_10.applications_numbersequence SET last = %s"
                        " WHERE year = %s",
                        [last, year],
                    )
        after = _state()
        assert {k: v[0] for k, v in after.items()} == {k: v[0] for k, v in before.items()}


def _user(**fields):
    from shared.accounts.models import Membership, User

    role, region = fields.pop("role", None), fields.pop("region", None)
    user = User.objects.create_user(
        email=f"{uuid.uuid4().hex[:10]}@concurrency.test", password="x", full_name="Uji"
    )
    if role:
        Membership.objects.create(user=user, region=region.region, role=role)
    return user


def test_racing_submissions_get_consecutive_numbers(committed):
    from lokal import parse_nik

    from shared.catalogue.models import DocumentType
    from shared.citizens.models import CitizenProfile
    from shared.citizens.services import document_upload
    from shared.regions.models import Mpp
    from tenants.applications import services
    from tenants.applications.models import NumberSequence
    from tests.shared.citizens.conftest import pdf_bytes, upload
    from tests.tenants.applications.conftest import build_mpp

    mpp = Mpp.objects.select_related("region").get(region__code="35.10")
    doc_types = {
        key: DocumentType.objects.get_or_create(code=code, defaults={"name": name})[0]
        for key, code, name in (
            ("ktp", "ktp-el", "KTP-el"),
            ("kk", "kk", "Kartu Keluarga"),
            ("foto", "pas-foto", "Pas foto"),
        )
    }
    suffix = uuid.uuid4().hex[:6]
    connection.set_tenant(mpp)
    world = build_mpp(doc_types=doc_types, make_user=_user, region=mpp, suffix=suffix)
    drafts = []
    for n in range(THREADS):
        user = _user()
        nik = f"351001010190{n + 1:04d}"
        info = parse_nik(nik)
        assert not CitizenProfile.objects.with_nik(nik).exists()  # no run leaves one behind
        profile = CitizenProfile.objects.create(
            user=user,
            nik=nik,
            full_name=f"Warga {n}",
            birth_place="Banyuwangi",
            birth_date=info.birth_date,
            address_line="Jl. Uji",
            regency_code="35.10",
            province_code="35",
        )
        docs = {
            key: document_upload(
                actor=user,
                profile=profile,
                document_type=doc_types[key],
                upload=upload(f"{key}.pdf", pdf_bytes()),
            )
            for key in ("ktp", "kk")
        }
        draft, errors = services.application_draft_save(
            actor=user,
            citizen=profile,
            offering=world.offering,
            answers={"keperluan": "Kerja"},
            choices={f"doc-{d.document_type_id}": d.pk for d in docs.values()},
            confirmations={world.text_key},
        )
        assert not errors
        drafts.append((user, draft))
    connection.set_schema_to_public()

    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    failures: list[BaseException] = []

    def submit(user, draft):
        try:
            connection.set_tenant(mpp)
            barrier.wait()
            numbers.append(services.application_submit(actor=user, application=draft).number)
        except BaseException as exc:  # surfaced below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=pair) for pair in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert len(set(numbers)) == THREADS
    assert serials == list(range(serials[0], serials[0] + THREADS))
    connection.set_tenant(mpp)
    year = int(numbers[0].split("-")[1])
    assert NumberSequence.objects.get(year=year).last == serials[-1]  # none lost

    # Staff racing on one application: everyone clicks "verify" at the same instant (a second
    # verify would write a second status change and notify the citizen twice).
    from kernel.errors import DomainError
    from tenants.applications.models import Application, StatusChange

    target = Application.objects.get(number=numbers[0])
    connection.set_schema_to_public()
    results: list[tuple[str, str]] = []
    barrier = threading.Barrier(THREADS)

    def act(i: int) -> None:
        try:
            connection.set_tenant(mpp)
            barrier.wait()
            actor = world.operator if i % 2 else world.supervisor
            services.application_verify(actor=actor, application=target)
            results.append(("ok", "verified"))
        except DomainError as exc:
            results.append(("refused", exc.code))
        except BaseException as exc:  # surfaced below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    won = [outcome for kind, outcome in results if kind == "ok"]
    assert len(won) == 1
    assert [code for kind, code in results if kind == "refused"] == ["invalid_transition"] * (
        THREADS - 1
    )
    connection.set_tenant(mpp)
    target.refresh_from_db()
    assert target.status == won[0]
    moves = StatusChange.objects.filter(application=target).exclude(to_status="submitted")
    assert list(moves.values_list("to_status", flat=True)) == won
