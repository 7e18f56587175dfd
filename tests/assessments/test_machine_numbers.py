"""Numbers for machines stay raw on the quiz pages, with ids above 1,000,000;
grouped numbers sent back are refused, never read as another answer."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt

from .conftest import add_quiz, correct_response

pytestmark = pytest.mark.django_db


def _start(client, quiz, cadre_user) -> Attempt:
    client.force_login(cadre_user)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    return Attempt.objects.get(quiz=quiz)


def _page(client, attempt, query="") -> str:
    response = client.get(reverse("assessments:attempt", args=[attempt.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_timed_attempt_page_gives_the_script_raw_seconds(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, time_limit_minutes=20, slug="hai-muoi-phut")
    attempt = _start(client, quiz, cadre_user)

    html = _page(client, attempt)

    seconds = int(re.search(r'id="quiz-timer" data-seconds="(\d+)"', html).group(1))
    assert 1190 <= seconds <= 1200
    assert re.search(r">(19:5\d|20:00)</strong>", html), "the timer shows minutes before its script"


def test_timer_shows_the_servers_time_left_after_a_reload(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, time_limit_minutes=20, slug="bi-rut-ngan")
    attempt = _start(client, quiz, cadre_user)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() + timezone.timedelta(seconds=125)
    )

    html = _page(client, attempt)

    seconds = int(re.search(r'data-seconds="(\d+)"', html).group(1))
    assert 120 <= seconds <= 125
    assert ">2:0" in html


def test_attempt_page_is_never_served_from_the_browser_cache(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, time_limit_minutes=20, slug="khong-luu")
    attempt = _start(client, quiz, cadre_user)

    response = client.get(reverse("assessments:attempt", args=[attempt.pk]))

    assert "no-store" in response["Cache-Control"]


def test_autosave_reply_carries_the_servers_seconds_left(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, time_limit_minutes=20, slug="tu-luu")
    attempt = _start(client, quiz, cadre_user)
    slot = attempt.slots.get(number=1)

    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        data=json.dumps({"slot": 1, "seq": 1, "response": correct_response(slot)}),
        content_type="application/json",
    )

    assert 1190 <= response.json()["seconds_left"] <= 1200


def test_quiz_without_a_time_limit_shows_no_timer(client, quiz, enrolled, cadre_user):
    attempt = _start(client, quiz, cadre_user)

    html = _page(client, attempt)

    assert attempt.deadline is None
    assert "quiz-timer" not in html and "data-seconds" not in html


def test_ids_above_a_million_are_printed_raw_in_the_attempt_page(
    client, quiz, enrolled, cadre_user
):
    attempt = _start(client, quiz, cadre_user)
    slot = attempt.slots.get(number=1)

    html = _page(client, attempt, "?cau=1")

    assert attempt.pk > 1_000_000 and quiz.pk > 1_000_000
    assert f'data-attempt="{attempt.pk}"' in html
    assert f"/{attempt.pk}/" in html
    for answer_id in slot.order:
        assert answer_id > 1_000_000
        assert f'value="{answer_id}"' in html
    assert not re.search(r'(value|data-[a-z-]+)="\d{1,3}(\.\d{3})+"', html)


def test_ids_above_a_million_are_printed_raw_on_the_quiz_page(client, quiz, enrolled, cadre_user):
    client.force_login(cadre_user)

    html = client.get(quiz.url).content.decode()

    assert reverse("assessments:start", args=[quiz.pk]) in html
    assert f"/{quiz.pk}/" in html


def test_chosen_answer_sent_back_from_the_page_is_graded_as_chosen(
    client, quiz, enrolled, cadre_user
):
    attempt = _start(client, quiz, cadre_user)
    slot = attempt.slots.get(number=1)
    right = correct_response(slot)["choice"]
    html = _page(client, attempt, "?cau=1")
    assert f'name="q1" value="{right}"' in html

    response = client.post(
        reverse("assessments:form", args=[attempt.pk]),
        {"shown": "1", "s1": "1", "q1": str(right)},
    )

    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.response == {"choice": right}


@pytest.mark.parametrize(
    "field",
    ["choice", "sequence", "shown", "go"],
)
@pytest.mark.parametrize("grouped", ["1.234", "1.234.567", "1,234", "1_234", " 12", "²"])
def test_grouped_numbers_posted_by_the_form_are_a_400_and_change_nothing(
    client, quiz, enrolled, cadre_user, field, grouped
):
    attempt = _start(client, quiz, cadre_user)
    slot = attempt.slots.get(number=1)
    right = str(correct_response(slot)["choice"])
    data = {"shown": "1", "s1": "1", "q1": right, "finish": "1"}
    if field == "choice":
        # What a template with the thousand separator printed for the right answer.
        data["q1"] = f"{int(right):,}".replace(",", ".") if grouped == "1.234.567" else grouped
    elif field == "sequence":
        data["s1"] = grouped
    elif field == "shown":
        data["shown"] = grouped
    else:
        data.pop("finish")
        data["go"] = grouped

    response = client.post(reverse("assessments:form", args=[attempt.pk]), data)

    assert response.status_code == 400
    slot.refresh_from_db()
    attempt.refresh_from_db()
    assert slot.response is None and attempt.state == "in_progress" and attempt.score is None


@pytest.mark.parametrize("choice", ["1.234.567", 1.5, True, "1_234", " 12"])
def test_grouped_or_odd_choice_in_the_autosave_is_a_400(client, quiz, enrolled, cadre_user, choice):
    attempt = _start(client, quiz, cadre_user)
    slot = attempt.slots.get(number=1)
    if choice == "1.234.567":
        choice = f"{correct_response(slot)['choice']:,}".replace(",", ".")

    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        data=json.dumps({"slot": 1, "seq": 1, "response": {"choice": choice}}),
        content_type="application/json",
    )

    assert response.status_code == 400
    slot.refresh_from_db()
    assert slot.response is None


def test_grouped_question_number_in_the_address_is_a_400(client, quiz, enrolled, cadre_user):
    attempt = _start(client, quiz, cadre_user)

    assert (
        client.get(reverse("assessments:attempt", args=[attempt.pk]) + "?cau=1").status_code == 200
    )
    assert (
        client.get(reverse("assessments:attempt", args=[attempt.pk]) + "?cau=1.234").status_code
        == 400
    )
