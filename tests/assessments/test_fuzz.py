"""Hypothesis: the save endpoint and the GIFT importer never fail with a 500
and never leave a partial import."""

import json

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments import services
from assessments.formats import gift
from assessments.models import Attempt, AttemptSlot, Question, QuestionCategory

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
payloads = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "slot": st.one_of(st.integers(-3, 8), st.text(max_size=3), st.none()),
            "seq": st.one_of(st.integers(-2, 2**60), st.floats(), st.text(max_size=3)),
            "response": st.one_of(
                json_values,
                st.fixed_dictionaries({"choice": json_values}),
                st.fixed_dictionaries({"choices": st.lists(json_values, max_size=5)}),
                st.fixed_dictionaries({"text": json_values}),
                st.fixed_dictionaries(
                    {"matches": st.dictionaries(st.text(max_size=4), json_values, max_size=3)}
                ),
            ),
        },
        optional={"score": json_values, "passed": st.booleans()},
    ),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads)
# A number too large for an int (1e400 reads as infinity) in every kind of answer.
@example(payload={"slot": 1, "seq": 1, "response": {"choice": float("inf")}})
@example(payload={"slot": 1, "seq": 2, "response": {"choices": [float("inf")]}})
@example(payload={"slot": 1, "seq": 3, "response": {"matches": {"1": float("inf")}}})
def test_save_endpoint_never_fails_and_never_touches_the_grade(
    client, quiz, enrolled, cadre_user, payload
):
    client.force_login(cadre_user)
    attempt = Attempt.objects.filter(quiz=quiz).first() or services.attempt_start(
        quiz=quiz, cadre=cadre_user.cadre
    )
    before = list(AttemptSlot.objects.filter(attempt=attempt).values_list("seq", "response"))
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]),
        data=json.dumps(payload, allow_nan=True),
        content_type="application/json",
    )
    assert response.status_code in (200, 400)
    attempt.refresh_from_db()
    assert attempt.state == "in_progress" and attempt.score is None and attempt.grade_count == 0
    if response.status_code == 400:
        after = list(AttemptSlot.objects.filter(attempt=attempt).values_list("seq", "response"))
        assert after == before


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=300))
def test_raw_bytes_never_break_the_save_endpoint(client, quiz, enrolled, cadre_user, raw):
    client.force_login(cadre_user)
    attempt = Attempt.objects.filter(quiz=quiz).first() or services.attempt_start(
        quiz=quiz, cadre=cadre_user.cadre
    )
    response = client.post(
        reverse("assessments:save", args=[attempt.pk]), data=raw, content_type="application/json"
    )
    assert response.status_code in (200, 400)


gift_alphabet = st.sampled_from(list("=~#{}:\\%->.TF[]$/ \nabcđá0123456789\t"))
gift_text = st.text(alphabet=gift_alphabet, max_size=120) | st.text(max_size=80)


@settings(max_examples=300, deadline=None)
@given(text=gift_text)
def test_gift_parser_returns_questions_or_rejections_never_raises(text):
    result = gift.parse(text)
    for question in result.questions:
        assert question.qtype in {
            "single",
            "multiple",
            "truefalse",
            "shortanswer",
            "numerical",
            "matching",
        }
        assert question.answers
    for rejection in result.rejections:
        assert rejection.line >= 1 and rejection.reason


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=gift_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
def test_gift_import_is_all_or_nothing(db, text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    before = (Question.objects.count(), QuestionCategory.objects.count())
    report = services.questions_import(data=data, fmt="gift", category_path="Mờ")
    after = (Question.objects.count(), QuestionCategory.objects.count())
    if report.committed:
        assert not report.result.rejections
        assert after[0] == before[0] + len(report.result.questions)
    else:
        assert after == before
