import pytest
from django.db import IntegrityError, transaction

from kernel.schemas import InvalidSchemaName, validate_schema_name
from shared.regions.models import Mpp, Region


@pytest.mark.parametrize("name", ["mpp_35_10", "mpp_13_75", "mpp_template"])
def test_valid_schema_names(name):
    assert validate_schema_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "public",
        "MPP_35_10",
        "mpp_35_10; DROP SCHEMA public",
        "mpp_35_1",
        "mpp-35-10",
        "banyuwangi",
        "",
        "mpp_35_10 ",
        "pg_catalog",
        None,
        "mpp_3510",
    ],
)
def test_invalid_schema_names_are_rejected_before_sql(name):
    with pytest.raises(InvalidSchemaName):
        validate_schema_name(name)


def test_schema_name_is_derived_from_the_region_code(db):
    region = Region.objects.get(code="35.10")
    assert region.schema_name == "mpp_35_10"


def test_database_refuses_a_free_text_schema_name(db):
    region = Region.objects.get(code="21.01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mpp.objects.create(region=region, schema_name="bintan")
