import pytest


@pytest.fixture
def in_a(region_a, in_region):
    with in_region(region_a):
        yield region_a


@pytest.fixture
def citizen(make_user):
    return make_user()


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


@pytest.fixture
def operator_b(make_user, region_b):
    from shared.accounts.models import Role

    return make_user(role=Role.OPERATOR, region=region_b)


@pytest.fixture
def assign_booth(in_region):
    """assign_booth(user, booth, region): the operator works in that booth (an operator without
    a booth sees nothing, tenants.mpp.access)."""
    from tenants.mpp.models import StaffAssignment

    def _assign(user, booth, region):
        with in_region(region):
            StaffAssignment.objects.get_or_create(user_id=user.pk, booth_id=booth.pk)

    return _assign
