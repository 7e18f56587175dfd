import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import AuditEvent
from cadres.services import cadre_create, cadre_move
from courses import services
from courses.models import Enrolment, Programme, ProgrammeCourse

from .conftest import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tree, index):
    course = make_course(index, slug="ky-nang-so")
    programme = Programme.objects.create(
        name="Kỹ năng số cơ bản 2025",
        unit=tree["la_bang"],
        full_time_only=True,
        deadline=dt.date(2025, 12, 31),
    )
    ProgrammeCourse.objects.create(programme=programme, course=course)
    return programme


def test_assign_enrols_the_full_time_population_of_the_subtree(programme, tree):
    from tests.factories import make_cadre

    inside = make_cadre(tree["lau_sau"], full_time=True)
    part_time = make_cadre(tree["lau_sau"], full_time=False)
    outside = make_cadre(tree["dai_phuc"], full_time=True)
    assert services.programme_assign(programme=programme) == 1
    enrolled = set(Enrolment.objects.values_list("cadre_id", flat=True))
    assert inside.pk in enrolled
    assert part_time.pk not in enrolled
    assert outside.pk not in enrolled
    assert services.programme_assign(programme=programme) == 0  # idempotent


def test_cadre_created_later_in_the_subtree_is_enrolled(
    programme, tree, django_capture_on_commit_callbacks
):
    services.programme_assign(programme=programme)
    with django_capture_on_commit_callbacks(execute=True):
        cadre = cadre_create(
            family_name="Hoàng Thị",
            given_name="Đào",
            unit=tree["lau_sau"],
            valid_from=dt.date(2025, 7, 1),
            is_full_time=True,
        )
    enrolment = Enrolment.objects.get(cadre=cadre)
    assert enrolment.programme == programme
    assert enrolment.source == Enrolment.Source.PROGRAMME


def test_cadre_created_later_outside_the_population_is_not_enrolled(
    programme, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        elsewhere = cadre_create(
            family_name="Ma Văn",
            given_name="Thắng",
            unit=tree["dai_phuc"],
            valid_from=dt.date(2025, 7, 1),
            is_full_time=True,
        )
        part_time = cadre_create(
            family_name="Nông Văn",
            given_name="Ước",
            unit=tree["la_bang"],
            valid_from=dt.date(2025, 7, 1),
            is_full_time=False,
        )
    assert not Enrolment.objects.filter(cadre__in=[elsewhere, part_time]).exists()


def test_cadre_moved_into_the_subtree_is_enrolled(
    programme, tree, django_capture_on_commit_callbacks
):
    from tests.factories import make_cadre

    cadre = make_cadre(tree["dai_phuc"], full_time=True)
    assert not Enrolment.objects.filter(cadre=cadre).exists()
    with django_capture_on_commit_callbacks(execute=True):
        cadre_move(cadre=cadre, unit=tree["la_bang"], on=dt.date(2025, 9, 1))
    assert Enrolment.objects.filter(cadre=cadre, programme=programme).exists()


def test_optional_programme_does_not_enrol_joiners(
    programme, tree, django_capture_on_commit_callbacks
):
    programme.is_optional = True
    programme.save()
    with django_capture_on_commit_callbacks(execute=True):
        cadre = cadre_create(
            family_name="Lý Thị",
            given_name="Uyên",
            unit=tree["la_bang"],
            valid_from=dt.date(2025, 7, 1),
            is_full_time=True,
        )
    assert not Enrolment.objects.filter(cadre=cadre).exists()


# --- programmes in the Wagtail admin ------------------------------------------------


def test_hr_officer_assigns_a_programme_from_the_admin(client, hr_la_bang, programme, tree):
    from tests.factories import make_cadre

    make_cadre(tree["la_bang"], full_time=True)
    client.force_login(hr_la_bang)
    url = reverse("courses_programme_assign", args=[programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Giao chương trình" in page.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert Enrolment.objects.filter(programme=programme).count() == 1
    assert AuditEvent.objects.filter(action="programme.assign", actor=hr_la_bang).exists()


def test_hr_officer_of_another_commune_cannot_assign(client, hr_dai_phuc, programme):
    client.force_login(hr_dai_phuc)
    url = reverse("courses_programme_assign", args=[programme.pk])
    assert client.post(url).status_code == 404
    assert not Enrolment.objects.exists()


def test_programme_list_in_the_admin_is_narrowed_to_the_subtree(
    client, hr_la_bang, hr_dai_phuc, programme
):
    url = reverse("wagtailsnippets_courses_programme:list")
    client.force_login(hr_la_bang)
    html = client.get(url).content.decode()
    assert "Kỹ năng số cơ bản 2025" in html
    assert "Giao" in html
    client.force_login(hr_dai_phuc)
    assert "Kỹ năng số cơ bản 2025" not in client.get(url).content.decode()


def test_programme_add_form_offers_only_units_in_scope(client, hr_la_bang, tree):
    client.force_login(hr_la_bang)
    html = client.get(reverse("wagtailsnippets_courses_programme:add")).content.decode()
    assert "Chương trình bồi dưỡng" in html or "chương trình" in html.lower()
    assert "Ủy ban MTTQ xã La Bằng" in html
    assert "Ủy ban MTTQ xã Đại Phúc" not in html


def test_hr_officer_cannot_edit_a_programme_outside_their_scope(
    client, hr_la_bang, hr_dai_phuc, programme
):
    url = reverse("wagtailsnippets_courses_programme:edit", args=[programme.pk])
    client.force_login(hr_la_bang)
    assert client.get(url).status_code == 200
    client.force_login(hr_dai_phuc)
    assert client.get(url).status_code != 200


# --- every object URL of the programme admin is scoped (IDOR matrix) ----------------


def _programme_object_urls(programme) -> list[str]:
    viewset = Programme.snippet_viewset
    names = [
        pattern.name
        for pattern in viewset.get_urlpatterns()
        if "<int:pk>" in str(pattern.pattern) or "<str:pk>" in str(pattern.pattern)
    ]
    assert {"edit", "delete", "copy", "history", "usage"} <= set(names)
    return [reverse(viewset.get_url_name(name), args=[programme.pk]) for name in names]


def test_hr_officer_of_another_commune_gets_404_on_every_programme_url(
    client, hr_dai_phuc, programme
):
    client.force_login(hr_dai_phuc)
    for url in _programme_object_urls(programme):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("wagtailsnippets_courses_programme:delete", args=[programme.pk]))
    assert Programme.objects.filter(pk=programme.pk).exists()


def test_hr_officer_of_the_unit_opens_every_programme_url(client, hr_la_bang, programme):
    client.force_login(hr_la_bang)
    for url in _programme_object_urls(programme):
        # HR officers may not delete programmes: Wagtail sends them back (302).
        expected = 302 if "/delete/" in url else 200
        assert client.get(url).status_code == expected, url


def test_copy_of_another_communes_programme_is_refused_on_post(client, hr_dai_phuc, programme):
    client.force_login(hr_dai_phuc)
    url = reverse("wagtailsnippets_courses_programme:copy", args=[programme.pk])
    response = client.post(url, {"name": "Bản sao", "unit": programme.unit_id})
    assert response.status_code == 404
    assert Programme.objects.count() == 1


def test_missing_programme_is_the_same_404(client, hr_la_bang, programme):
    client.force_login(hr_la_bang)
    for url in _programme_object_urls(programme):
        missing = url.replace(f"/{programme.pk}/", f"/{programme.pk + 1000000}/")
        assert client.get(missing).status_code == 404, missing


def test_enrolling_a_joiner_reads_only_the_programmes_over_their_units(programme, tree, index):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_cadre

    def queries_to_enrol(cadre) -> int:
        with CaptureQueriesContext(connection) as queries:
            services.programmes_enrol_cadre(cadre_id=cadre.pk)
        return len(queries.captured_queries)

    first = queries_to_enrol(make_cadre(tree["lau_sau"], full_time=True))
    for number in range(6):
        other = Programme.objects.create(name=f"Chương trình {number}", unit=tree["dai_phuc"])
        ProgrammeCourse.objects.create(
            programme=other, course=make_course(index, slug=f"khoa-{number}")
        )
    assert queries_to_enrol(make_cadre(tree["lau_sau"], full_time=True)) == first


def test_joiner_in_a_position_the_programme_names_is_enrolled(programme, tree):
    from tests.factories import make_cadre

    programme.positions = "Chủ tịch, Phó Chủ tịch"
    programme.save()
    cadre = make_cadre(tree["la_bang"], position="Chủ tịch")
    assert services.programmes_enrol_cadre(cadre_id=cadre.pk) == 1


def test_joiner_in_a_position_the_programme_does_not_name_is_not_enrolled(programme, tree):
    from tests.factories import make_cadre

    programme.positions = "Chủ tịch"
    programme.save()
    cadre = make_cadre(tree["la_bang"], position="Ủy viên")
    assert services.programmes_enrol_cadre(cadre_id=cadre.pk) == 0
