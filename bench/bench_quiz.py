"""quiz_*: 200 cadres each save 20 answers and submit (twice, as a second tab
would); then count lost answers and attempts graded more than once. Also the
query count of a 30-question attempt page (all on one page).

On PostgreSQL the cadres run on 8 threads at once; on SQLite, whose writes
are serialised anyway, they run one after another.
"""

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.test import Client
from django.urls import reverse

from assessments.formats import ParsedAnswer, ParsedQuestion
from assessments.models import Attempt, AttemptSlot, QuestionCategory, QuizPage
from assessments.services import question_create
from cadres.models import Cadre, User
from courses.models import CoursePage, Enrolment
from courses.services import course_index_ensure

from .timing import count_queries, p99

CADRES = 200
ANSWERS = 20


def _tree():
    # After another topic's flush there is no page tree: this rebuilds it.
    index = course_index_ensure()
    course = index.add_child(
        instance=CoursePage(
            title="An toàn thông tin",
            slug="bench-an-toan",
            completion_rule=CoursePage.CompletionRule.QUIZZES_ONLY,
        )
    )
    category = QuestionCategory.add_root(name="Đo hiệu năng")
    questions = [
        question_create(
            parsed=ParsedQuestion(
                line=i,
                qtype="single",
                name=f"Câu {i:02d}",
                text=f"Câu hỏi số {i}?",
                answers=[ParsedAnswer(f"Phương án {c}", 100 if c == "A" else 0) for c in "ABCD"],
            ),
            category=category,
        )
        for i in range(1, 31)
    ]
    return course, category, questions


def _quiz(course, category, n, slug, layout="one"):
    quiz = QuizPage(
        title=f"Bài kiểm tra {n} câu",
        slug=slug,
        selection="random",
        random_category=category,
        random_count=n,
        attempts_allowed=0,
        layout=layout,
        pass_mark=50,
    )
    course.add_child(instance=quiz)
    return QuizPage.objects.get(pk=quiz.pk)


def run() -> list[dict]:
    course, category, _questions = _tree()
    quiz = _quiz(course, category, ANSWERS, "bench-20")
    users = []
    for i in range(CADRES):
        user = User.objects.create(username=f"bench{i}")
        cadre = Cadre.objects.create(
            family_name="Nguyễn Văn", given_name=f"An{i}", cadre_code=f"B{i:05d}", user=user
        )
        Enrolment.objects.create(cadre=cadre, course=course, source="self")
        users.append(user)
    postgres = connection.vendor == "postgresql"
    workers = 8 if postgres else 1
    submit_ms: list[float] = []
    expected: dict[tuple[int, int], dict] = {}
    lock = threading.Lock()

    def cadre_session(user):
        try:
            client = Client()
            client.force_login(user)
            response = client.post(reverse("assessments:start", args=[quiz.pk]))
            attempt_id = int(response.url.rstrip("/").split("/")[-1])
            slots = list(
                AttemptSlot.objects.filter(attempt_id=attempt_id).values_list("number", "order")
            )
            url = reverse("assessments:save", args=[attempt_id])
            for number, order in slots:
                # Change one's mind once: the second, newer answer must be the one kept.
                for seq, choice in ((1, order[1]), (2, order[0])):
                    body = {"slot": number, "seq": seq, "response": {"choice": choice}}
                    response = client.post(url, json.dumps(body), content_type="application/json")
                    assert response.status_code == 200, response.content
                with lock:
                    expected[(attempt_id, number)] = {"choice": order[0]}
            start = time.perf_counter()
            client.post(reverse("assessments:submit", args=[attempt_id]))
            elapsed = (time.perf_counter() - start) * 1000
            client.post(reverse("assessments:submit", args=[attempt_id]))
            with lock:
                submit_ms.append(elapsed)
        finally:
            if postgres:
                connection.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(cadre_session, users))
    wall = time.perf_counter() - started
    saves = CADRES * ANSWERS * 2
    stored = {
        (a, n): r for a, n, r in AttemptSlot.objects.values_list("attempt_id", "number", "response")
    }
    lost = sum(1 for key, value in expected.items() if stored.get(key) != value)
    lost += CADRES * ANSWERS - len(expected)
    double = Attempt.objects.exclude(grade_count=1).count()
    double += CADRES - Attempt.objects.filter(state="finished").count()
    submit_ms.sort()

    # Query count of an all-on-one-page attempt: the same for 10 and 30 questions.
    def page_queries(n):
        big = _quiz(course, category, n, f"bench-page-{n}", layout="all")
        client = Client()
        client.force_login(users[0])
        client.post(reverse("assessments:start", args=[big.pk]))
        attempt = Attempt.objects.get(quiz=big, cadre__user=users[0])
        url = reverse("assessments:attempt", args=[attempt.pk])

        def get():
            assert client.get(url).status_code == 200

        get()
        return count_queries(get)

    q10, q30 = page_queries(10), page_queries(30)
    where = (
        "PostgreSQL, 8 threads, Django test client"
        if postgres
        else "SQLite, one cadre at a time (SQLite serialises writes), Django test client"
    )
    return [
        {
            "name": "quiz_answers_lost",
            "value": lost,
            "unit": "answers",
            "note": f"{CADRES} cadres × {ANSWERS} questions, each answered twice; {where}",
        },
        {
            "name": "quiz_double_graded",
            "value": double,
            "unit": "attempts",
            "note": f"every attempt submitted twice; {where}",
        },
        {
            "name": "quiz_saves_per_s",
            "value": round(saves / wall, 1),
            "unit": "saves/s",
            "note": f"{saves} saves plus starts and submits in {wall:.1f} s; {where}",
        },
        {
            "name": "quiz_submit_p50_ms",
            "value": round(statistics.median(submit_ms), 2),
            "unit": "ms",
            "note": f"grading {ANSWERS} questions; {where}",
        },
        {
            "name": "quiz_submit_p99_ms",
            "value": round(p99(submit_ms), 2),
            "unit": "ms",
            "note": where,
        },
        {
            "name": "quiz_page_queries",
            "value": q30,
            "unit": "queries",
            "note": f"attempt page with 30 questions on one page; {q10} with 10",
        },
    ]
