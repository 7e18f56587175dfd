import pytest
from django.urls import reverse

from trainings.models import Invitation, TrainingSession

pytestmark = pytest.mark.django_db


def test_session_list_in_the_admin_is_narrowed_to_the_subtree(
    client, hr_la_bang, hr_dai_phuc, session
):
    url = reverse("wagtailsnippets_trainings_trainingsession:list")
    client.force_login(hr_la_bang)
    assert session.title in client.get(url).content.decode()
    client.force_login(hr_dai_phuc)
    assert session.title not in client.get(url).content.decode()


def test_hr_officer_cannot_edit_a_session_outside_their_scope(
    client, hr_la_bang, hr_dai_phuc, session
):
    url = reverse("wagtailsnippets_trainings_trainingsession:edit", args=[session.pk])
    client.force_login(hr_la_bang)
    assert client.get(url).status_code == 200
    client.force_login(hr_dai_phuc)
    assert client.get(url).status_code == 404


def test_session_add_form_offers_only_units_in_scope(client, hr_la_bang):
    client.force_login(hr_la_bang)
    html = client.get(reverse("wagtailsnippets_trainings_trainingsession:add")).content.decode()
    assert "Ủy ban MTTQ xã La Bằng" in html
    assert "Ủy ban MTTQ xã Đại Phúc" not in html


def _form(tree, course, **extra):
    data = {
        "title": "Tập huấn an toàn thông tin",
        "description": "",
        "organiser_unit": tree["la_bang"].pk,
        "mode": "truc_tiep",
        "venue": "Hội trường xã",
        "meeting_link": "",
        "starts_at": "2026-12-20 08:00",
        "ends_at": "2026-12-20 11:00",
        "capacity": "",
        "series": "",
        "counts_for_course": course.pk,
        "counts_for_programme": "",
        "min_share_percent": 80,
        "invite_unit": tree["la_bang"].pk,
        "positions": "",
        "checkin_open_minutes": 30,
        "late_after_minutes": 15,
        "checkin_close_minutes": 90,
        "checkout_open_minutes": 15,
        "checkout_close_minutes": 30,
        "materials-TOTAL_FORMS": 0,
        "materials-INITIAL_FORMS": 0,
        "materials-MIN_NUM_FORMS": 0,
        "materials-MAX_NUM_FORMS": 1000,
    }
    data.update(extra)
    return data


def test_hr_officer_creates_a_session_and_its_population_is_invited(
    client, hr_la_bang, tree, course, cadre_user, other_cadre_user
):
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("wagtailsnippets_trainings_trainingsession:add"), _form(tree, course)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    session = TrainingSession.objects.get()
    invited = set(Invitation.objects.filter(session=session).values_list("cadre_id", flat=True))
    assert invited == {cadre_user.cadre.pk}


def test_hr_officer_cannot_create_a_session_for_another_commune(client, hr_la_bang, tree, course):
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("wagtailsnippets_trainings_trainingsession:add"),
        _form(tree, course, organiser_unit=tree["dai_phuc"].pk),
    )
    assert response.status_code == 200
    assert not TrainingSession.objects.exists()


def test_a_session_that_ends_before_it_starts_is_refused(client, hr_la_bang, tree, course):
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("wagtailsnippets_trainings_trainingsession:add"),
        _form(tree, course, ends_at="2026-12-20 07:00"),
    )
    assert response.status_code == 200
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_cadre_cannot_open_the_session_admin(client, cadre_user, session):
    client.force_login(cadre_user)
    response = client.get(reverse("wagtailsnippets_trainings_trainingsession:list"))
    assert response.status_code in (302, 403)


def test_an_administrator_who_is_not_a_superuser_manages_every_session(client, tree, session):
    from cadres.accounts.services import user_set_role
    from cadres.models import User
    from tests.factories import UserFactory

    administrator = UserFactory(username="quantri.thuong", is_superuser=False)
    user_set_role(user=administrator, role=User.Role.ADMINISTRATOR)
    client.force_login(administrator)
    listing = client.get(reverse("wagtailsnippets_trainings_trainingsession:list"))
    assert session.title in listing.content.decode()
    edit = reverse("wagtailsnippets_trainings_trainingsession:edit", args=[session.pk])
    assert client.get(edit).status_code == 200


def test_a_cadre_cannot_open_the_sessions_in_the_admin(client, cadre_user, session):
    client.force_login(cadre_user)
    listing = client.get(reverse("wagtailsnippets_trainings_trainingsession:list"))
    assert listing.status_code in (302, 403)
