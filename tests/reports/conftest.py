import datetime as dt

import pytest
from django.utils import timezone

from courses.models import Completion, Enrolment
from courses.trained import trained_refresh
from tests.factories import make_cadre

from .builders import course_catalogue, programme_make, target_2025


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def complete(cadre, course, on: dt.date, *, revoked_on: dt.date | None = None) -> Completion:
    enrolment, _ = Enrolment.objects.get_or_create(
        cadre=cadre,
        course=course,
        defaults={"source": Enrolment.Source.PROGRAMME, "enrolled_at": at(on, 8)},
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_activity_at=at(on), completed_at=None if revoked_on else at(on)
    )
    completion = Completion.objects.create(
        enrolment=enrolment,
        completed_at=at(on),
        source=Completion.Source.RULE,
        revoked_at=at(revoked_on) if revoked_on else None,
    )
    # Written past the services, as an import would: keep the trained fact as they do.
    trained_refresh(cadre_ids=[cadre.pk], course_ids=[course.pk])
    return completion


def enrol(cadre, course, *, active_on: dt.date | None = None) -> Enrolment:
    return Enrolment.objects.create(
        cadre=cadre,
        course=course,
        source=Enrolment.Source.PROGRAMME,
        last_activity_at=at(active_on) if active_on else None,
    )


@pytest.fixture
def courses(db):
    return course_catalogue(
        slug="khoa-hoc-test",
        courses=[
            ("ky-nang-so", "Kỹ năng số cơ bản trên điện thoại thông minh"),
            ("an-toan", "An toàn thông tin và phòng chống lừa đảo trực tuyến"),
            ("ai", "Ứng dụng trí tuệ nhân tạo (AI) trong công tác Mặt trận"),
        ],
    )


@pytest.fixture
def programme(tree, courses):
    return programme_make(unit=tree["province"], required=courses[:2], optional=courses[2:])


@pytest.fixture
def target(programme, tree):
    return target_2025(programme=programme, unit=tree["province"])


@pytest.fixture
def programme_without_target(tree, courses):
    return programme_make(
        unit=tree["province"], required=courses[:1], name="Chương trình chưa có chỉ tiêu"
    )


def fetch_export(client, fmt: str, data: dict) -> bytes:
    """Ask for an XLSX or CSV export as the report page's button does, follow
    it to its progress page, and download the file its link gives."""
    from django.test import TestCase
    from django.urls import reverse

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("reports:export", args=[fmt]), data)
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    assert page.status_code == 200
    link = page.context["export"].pk
    download = client.get(reverse("reports:export_file", args=[link]))
    assert download.status_code == 200, download.status_code
    return b"".join(download.streaming_content)


AS_OF = "31/12/2025"


@pytest.fixture
def people(tree, courses, programme, target):
    la_bang = make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    lau_sau = make_cadre(tree["lau_sau"], family_name="Ma Văn", given_name="Thắng")
    dai_phuc = make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Bình Minh")
    for cadre in (la_bang, dai_phuc):
        complete(cadre, courses[0], dt.date(2025, 8, 1))
        complete(cadre, courses[1], dt.date(2025, 8, 1))
    return {"la_bang": la_bang, "lau_sau": lau_sau, "dai_phuc": dai_phuc}


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def q(programme, **extra):
    return {"programme": programme.pk, "as_of": AS_OF, **extra}
