"""Concurrency on PostgreSQL: graded once, one open attempt, no lost newer answer."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from assessments import services
from assessments.models import Attempt, AttemptSlot
from courses.models import Completion, Enrolment
from tests.factories import make_cadre
from tests.services import need_postgres

from .conftest import add_quiz, correct_response

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(fn):
    def run(*args):
        try:
            return fn(*args)
        finally:
            connection.close()

    return run


def test_sixteen_simultaneous_submits_grade_each_attempt_once(tree, course, questions):
    need_postgres()
    quiz = add_quiz(course, questions, attempts_allowed=0)
    attempts = []
    for _ in range(50):
        cadre = make_cadre(tree["la_bang"])
        Enrolment.objects.create(cadre=cadre, course=course, source="self")
        attempt = services.attempt_start(quiz=quiz, cadre=cadre)
        for slot in attempt.slots.select_related("question"):
            services.attempt_save(
                attempt=attempt, slot_number=slot.number, seq=1, response=correct_response(slot)
            )
        attempts.append(attempt)

    with ThreadPoolExecutor(max_workers=16) as pool:
        for attempt in attempts:
            barrier = threading.Barrier(16)

            @_in_thread
            def submit(_i, attempt=attempt, barrier=barrier):
                barrier.wait()
                return services.attempt_submit(attempt=attempt).grade_count

            results = list(pool.map(submit, range(16)))
            assert results == [1] * 16

    assert list(Attempt.objects.values_list("grade_count", flat=True).distinct()) == [1]
    assert Attempt.objects.filter(state="finished", passed=True).count() == 50
    assert Completion.objects.count() == 50


def test_thirty_simultaneous_starts_open_one_attempt_and_never_more_than_the_limit(
    tree, course, questions
):
    need_postgres()
    quiz = add_quiz(course, questions, attempts_allowed=3)
    cadre = make_cadre(tree["la_bang"])
    Enrolment.objects.create(cadre=cadre, course=course, source="self")
    barrier = threading.Barrier(30)

    @_in_thread
    def start(_i):
        barrier.wait()
        return services.attempt_start(quiz=quiz, cadre=cadre).pk

    with ThreadPoolExecutor(max_workers=30) as pool:
        ids = set(pool.map(start, range(30)))
    assert len(ids) == 1
    assert Attempt.objects.count() == 1

    barrier = threading.Barrier(30)

    @_in_thread
    def start_and_submit(_i):
        barrier.wait()
        for _ in range(10):
            try:
                attempt = services.attempt_start(quiz=quiz, cadre=cadre)
            except services.AttemptError:
                return
            assert Attempt.objects.filter(quiz=quiz, cadre=cadre, state="in_progress").count() <= 1
            services.attempt_submit(attempt=attempt)

    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(start_and_submit, range(30)))
    assert Attempt.objects.count() == 3
    assert sorted(Attempt.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert list(Attempt.objects.values_list("grade_count", flat=True).distinct()) == [1]


def test_stale_tab_saves_in_random_order_never_lose_the_newer_answer(
    tree, course, category, enrolled, cadre_user
):
    need_postgres()
    from .conftest import make_question

    short = [
        make_question(category, f"Ngắn {i}", qtype="shortanswer", answers=[("x", 100)])
        for i in range(5)
    ]
    quiz = add_quiz(course, short, slug="ngan")
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    rng = random.Random(4)
    saves = [(slot, seq) for slot in range(1, 6) for seq in range(1, 41)]
    rng.shuffle(saves)

    @_in_thread
    def save(item):
        slot, seq = item
        services.attempt_save(
            attempt=attempt, slot_number=slot, seq=seq, response={"text": f"lần {seq}"}
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(save, saves))
    for slot in AttemptSlot.objects.filter(attempt=attempt):
        assert slot.seq == 40 and slot.response == {"text": "lần 40"}
