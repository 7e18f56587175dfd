"""The worth of a response for each question type."""

from decimal import Decimal

import pytest

from assessments import grading
from assessments.models import Answer, Question


def _q(qtype, answers, **fields):
    question = Question(qtype=qtype, text="?", **fields)
    built = []
    for pk, (text, fraction, *rest) in enumerate(answers, start=1):
        answer = Answer(text=text, fraction=Decimal(fraction), **(rest[0] if rest else {}))
        answer.pk = pk
        built.append(answer)
    return question, built


def test_multiple_choice_gives_partial_credit_and_never_below_zero():
    q, answers = _q("multiple", [("a", 50), ("b", 50), ("c", -100)])
    assert grading.grade(q, answers, [1, 2, 3], {"choices": [1]}) == Decimal("0.5")
    assert grading.grade(q, answers, [1, 2, 3], {"choices": [1, 2]}) == 1
    assert grading.grade(q, answers, [1, 2, 3], {"choices": [1, 3]}) == 0
    assert grading.grade(q, answers, [1, 2, 3], {"choices": [3]}) == 0


@pytest.mark.parametrize(
    ("given", "case", "spaces", "marks", "expected"),
    [
        ("thai nguyen", True, True, True, 1),
        ("Thái   Nguyên", False, True, False, 1),
        ("thái nguyên", False, True, False, 0),
        ("thai nguyen", True, True, False, 0),
        ("THÁI NGUYÊN", True, True, False, 1),
        ("TháiNguyên", True, True, False, 1),
        ("Thai Nguyen", False, True, True, 1),
        ("Đà Nẵng", True, True, True, 0),
    ],
)
def test_short_answer_options(given, case, spaces, marks, expected):
    q, answers = _q(
        "shortanswer", [("Thái Nguyên", 100)],
        ignore_case=case, ignore_spaces=spaces, ignore_diacritics=marks,
    )  # fmt: skip
    assert grading.grade(q, answers, [1], {"text": given}) == expected


def test_short_answer_wildcard_and_partial_answer():
    q, answers = _q("shortanswer", [("C-Thái Nguyên", 100), ("C*", 50)])
    assert grading.grade(q, answers, [1, 2], {"text": "c-thái nguyên"}) == 1
    assert grading.grade(q, answers, [1, 2], {"text": "C Thái"}) == Decimal("0.5")


@pytest.mark.parametrize(
    ("given", "expected"), [("3,14", 1), ("3.15", 1), ("3,2", Decimal("0.5")), ("abc", 0), ("", 0)]
)
def test_numerical_with_tolerance(given, expected):
    q, answers = _q(
        "numerical",
        [
            ("3.14", 100, {"tolerance": Decimal("0.01")}),
            ("3.14", 50, {"tolerance": Decimal("0.1")}),
        ],
    )
    assert grading.grade(q, answers, [1, 2], {"text": given}) == expected


def test_vietnamese_thousands_separator_is_read():
    assert grading.parse_number("1.500,5") == Decimal("1500.5")
    assert grading.parse_number("1e999999") is None


def test_matching_scores_each_pair():
    q, answers = _q("matching", [("A", 100, {"match_text": "1"}), ("B", 100, {"match_text": "2"})])
    order = [[1, 2], ["1", "2"]]
    assert grading.grade(q, answers, order, {"matches": {"1": 0, "2": 1}}) == 1
    assert grading.grade(q, answers, order, {"matches": {"1": 0, "2": 0}}) == Decimal("0.5")


def test_clean_response_refuses_choices_outside_the_question():
    with pytest.raises(grading.ResponseError):
        grading.clean_response("single", [1, 2], {"choice": 3})
    with pytest.raises(grading.ResponseError):
        grading.clean_response("multiple", [1, 2], {"choices": [1, "x"]})
    with pytest.raises(grading.ResponseError):
        grading.clean_response("matching", [[1], ["a"]], {"matches": {"1": 5}})
    assert grading.clean_response("multiple", [1, 2], {"choices": [2, 1, 2]}) == {"choices": [1, 2]}


def test_question_view_carries_no_fractions_or_feedback():
    q, answers = _q("single", [("a", 100, {"feedback": "đúng"}), ("b", 0)])
    view = grading.question_view(q, answers=answers, order=[2, 1], slot=1)
    assert [c.label for c in view.choices] == ["b", "a"]
    assert all(c.correct is None and c.feedback == "" for c in view.choices)


def test_html_question_text_is_sanitised():
    from assessments.richtext import to_html

    html = to_html(
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>', "html"
    )
    assert "script" not in html.replace("alert(1)", "") and "onclick" not in html
    assert "javascript" not in html
    assert (
        to_html("**đậm** và *nghiêng*", "markdown")
        == "<p><strong>đậm</strong> và <em>nghiêng</em></p>"
    )
    assert to_html("<b>", "plain") == "<p>&lt;b&gt;</p>"
