import pytest

from cadres.models import OrgUnit, User
from cadres.services import user_set_role

from .factories import PASSWORD, UserFactory, make_cadre, make_unit
from .services import cache_clear, sequences_start_high


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every id the suite creates is above 1,000,000 (see
    ``sequences_start_high``). On PostgreSQL, end the sessions a killed worker
    or a finished thread left on the test database, so that it can be dropped
    at the end."""
    from django.db import connection

    with django_db_blocker.unblock():
        sequences_start_high(connection)
    yield

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _forget_cached_rows():
    """Cached rows (the page tree, signed-in users, unread counts) must not
    outlive the test that wrote them: SQLite reuses primary keys after a
    rollback. Only this process's keys go (see ``cache_clear``)."""
    cache_clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def tree(db):
    """A small province: two communes, each with a residential committee."""
    province = make_unit("Ủy ban MTTQ tỉnh Thái Nguyên", kind=OrgUnit.Kind.PROVINCE_COMMITTEE)
    la_bang = make_unit("Ủy ban MTTQ xã La Bằng", parent=province)
    dai_phuc = make_unit("Ủy ban MTTQ xã Đại Phúc", parent=province)
    lau_sau = make_unit(
        "Ban Công tác Mặt trận xóm Lau Sau",
        parent=la_bang,
        kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
    )
    return {"province": province, "la_bang": la_bang, "dai_phuc": dai_phuc, "lau_sau": lau_sau}


def _user(role, scope=None, **fields):
    user = UserFactory(**fields)
    user_set_role(user=user, role=role, scope_unit=scope)
    return user


@pytest.fixture
def cadre_user(tree):
    user = _user(User.Role.CADRE, username="hoa")
    make_cadre(tree["la_bang"], user=user, family_name="Nguyễn Thị", given_name="Hoa")
    return user


@pytest.fixture
def other_cadre_user(tree):
    user = _user(User.Role.CADRE, username="minh")
    make_cadre(tree["dai_phuc"], user=user, family_name="Dương Văn", given_name="Bình Minh")
    return user


@pytest.fixture
def trainer(tree):
    return _user(User.Role.TRAINER, username="giangvien")


@pytest.fixture
def hr_la_bang(tree):
    return _user(User.Role.HR_OFFICER, tree["la_bang"], username="tochuc.labang")


@pytest.fixture
def hr_dai_phuc(tree):
    return _user(User.Role.HR_OFFICER, tree["dai_phuc"], username="tochuc.daiphuc")


@pytest.fixture
def hr_province(tree):
    return _user(User.Role.HR_OFFICER, tree["province"], username="tochuc.tinh")


@pytest.fixture
def administrator(tree):
    return _user(User.Role.ADMINISTRATOR, username="quantri", is_superuser=True)


@pytest.fixture
def reviewer(tree):
    """A trainer in the "Duyệt nội dung" group: approves what trainers submit."""
    from django.contrib.auth.models import Group

    from cadres.roles import REVIEWER_GROUP

    user = _user(User.Role.TRAINER, username="duyet")
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


STAFF_MIGRATIONS = [
    "cadres.migrations.0006_staff_groups",
    "assessments.migrations.0004_staff_question_permissions",
    "courses.migrations.0005_review_before_publishing",
    "reports.migrations.0002_administrator_target_permissions",
]


@pytest.fixture
def staff_groups(db):
    """The staff groups and the review workflow, as the migrations make them.

    A transactional test (live server, browser) starts from a flushed
    database that has lost them; the migrations' own functions put them back.
    """
    import importlib

    from django.apps import apps

    from courses.services import course_index_ensure

    course_index_ensure()  # the page tree's root, which the workflow is attached to
    for name in STAFF_MIGRATIONS:
        importlib.import_module(name).grant(apps, None)
