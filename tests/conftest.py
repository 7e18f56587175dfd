import pytest

from cadres.accounts.services import user_set_role
from cadres.models import OrgUnit, User

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

    from cadres.accounts.roles import REVIEWER_GROUP

    user = _user(User.Role.TRAINER, username="duyet")
    user.groups.add(Group.objects.get(name=REVIEWER_GROUP))
    return user


# Our apps' data migrations that grant the staff groups their permissions,
# each a module-level ``grant(apps, schema_editor)``. Found from the migration
# graph rather than listed: a list missed the trainer's page permissions
# (courses 0003) and a flushed database left trainers without the explorer.
PROJECT_APPS = ("cadres", "courses", "assessments", "trainings", "certificates", "reports")


def staff_grants():
    """The ``grant`` functions of our data migrations, in migration order."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    ordered = []
    for leaf in sorted(graph.leaf_nodes()):
        for node in graph.forwards_plan(leaf):
            if node not in ordered:
                ordered.append(node)
    grants = []
    for app_label, name in ordered:
        if app_label in PROJECT_APPS:
            module = importlib.import_module(f"{app_label}.migrations.{name}")
            if hasattr(module, "grant"):
                grants.append(module.grant)
    return grants


@pytest.fixture
def staff_groups(db):
    """The staff groups and the review workflow, as the migrations make them.

    A transactional test (live server, browser) starts from a flushed
    database that has lost them; the migrations' own functions put them back.
    """
    from django.apps import apps

    from courses.services import course_index_ensure

    course_index_ensure()  # the page tree's root, which the workflow is attached to
    for grant in staff_grants():
        grant(apps, None)
