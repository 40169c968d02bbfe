import pytest


@pytest.fixture
def in_a(region_a, in_region):
    with in_region(region_a):
        yield region_a


@pytest.fixture
def admin_a(make_user, region_a):
    from shared.accounts.models import Role

    return make_user(role=Role.DPMPTSP_ADMIN, region=region_a)


@pytest.fixture
def operator_a(make_user, region_a):
    from shared.accounts.models import Role

    return make_user(role=Role.OPERATOR, region=region_a)


@pytest.fixture
def admin_b(make_user, region_b):
    from shared.accounts.models import Role

    return make_user(role=Role.DPMPTSP_ADMIN, region=region_b)
