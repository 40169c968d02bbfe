"""Plain catalogue and MPP rows for tests (factory_boy). Complex state goes through services."""

import itertools

import factory

from shared.catalogue.models import (
    Agency,
    Category,
    DocumentType,
    LifeEvent,
    ProcedureStep,
    Requirement,
)
from shared.catalogue.models import Service as NationalService

_n = itertools.count(1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"t-agency-{n}")
    name = factory.Sequence(lambda n: f"Instansi Uji {n}")
    abbreviation = factory.Sequence(lambda n: f"IU{n}")
    kind = Agency.Kind.MINISTRY


class DocumentTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentType

    code = factory.Sequence(lambda n: f"t-doc-{n}")
    name = factory.Sequence(lambda n: f"Dokumen Uji {n}")


class LifeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeEvent

    code = factory.Sequence(lambda n: f"t-event-{n}")
    name = factory.Sequence(lambda n: f"Peristiwa Uji {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    code = factory.Sequence(lambda n: f"t-category-{n}")
    name = factory.Sequence(lambda n: f"Kategori Uji {n}")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NationalService

    code = factory.Sequence(lambda n: f"t-service-{n}")
    name = factory.Sequence(lambda n: f"Layanan Uji {n}")
    agency = factory.SubFactory(AgencyFactory)
    category = factory.SubFactory(CategoryFactory)
    summary = "Ringkasan layanan uji."
    completion_days = 3
    fee_amount = 0
    fee_kind = factory.LazyAttribute(lambda o: "fixed" if o.fee_amount else "free")
    fee_basis = "Gratis menurut peraturan."
    product = "Dokumen hasil layanan"
    complaint_handling = "Melalui SP4N-LAPOR!"
    legal_basis = "UU 25/2009"
    channels = factory.LazyFunction(lambda: ["online", "queue", "walk_in"])

    @factory.post_generation
    def with_standard(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        doc = DocumentTypeFactory()
        Requirement.objects.create(service=self, position=0, document_type=doc, text="asli")
        ProcedureStep.objects.create(service=self, position=0, text="Datang ke gerai")
        ProcedureStep.objects.create(service=self, position=1, text="Ambil hasil")


def national_change(service, *, actor=None, **fields):
    """Change the national standard through the catalogue's own write: the next version, with the
    changed fields recorded in a ServiceVersion."""
    from shared.catalogue.services import service_update

    return service_update(actor=actor, service=service, **fields)
