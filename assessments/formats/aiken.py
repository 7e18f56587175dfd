"""Moodle's Aiken format: a question, lettered options, then ``ANSWER: X``.

``ANSWER: A, C`` (several letters) makes a multiple-choice question with the
marks shared equally between the letters named.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Rejection

_OPTION = re.compile(r"^([A-Za-z])\s*[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.I)


def parse(text: str) -> ParseResult:
    result = ParseResult()
    start = 0
    question: list[str] = []
    options: list[tuple[str, str]] = []

    def reset():
        nonlocal start, question, options
        start, question, options = 0, [], []

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if not line:
            continue
        if match := _ANSWER.match(line):
            if not question:
                result.rejections.append(Rejection(number, _("“ANSWER:” without a question.")))
            else:
                _finish(result, start, question, options, match.group(1))
            reset()
            continue
        if (match := _OPTION.match(line)) and question:
            options.append((match.group(1).upper(), match.group(2)))
            continue
        if options:
            result.rejections.append(
                Rejection(start, _("The question has no “ANSWER:” line after its options."))
            )
            reset()
        if not question:
            start = number
        question.append(line)
    if question:
        result.rejections.append(
            Rejection(start, _("The question has no “ANSWER:” line after its options."))
        )
    return result


def _finish(result, start, question, options, answer_spec) -> None:
    letters = [x.strip().upper() for x in re.split(r"[,;\s]+", answer_spec) if x.strip()]
    known = [letter for letter, _text in options]
    if len(options) < 2:
        result.rejections.append(Rejection(start, _("A question needs at least two options.")))
        return
    if len(set(known)) != len(known):
        result.rejections.append(Rejection(start, _("Two options have the same letter.")))
        return
    if not letters or any(letter not in known for letter in letters):
        result.rejections.append(
            Rejection(
                start,
                _("The answer “%(answer)s” is not one of the options %(options)s.")
                % {"answer": answer_spec.strip(), "options": ", ".join(known)},
            )
        )
        return
    share = (Decimal(100) / len(set(letters))).quantize(Decimal("0.0001"))
    text = "\n".join(question)
    result.questions.append(
        ParsedQuestion(
            line=start,
            qtype="single" if len(set(letters)) == 1 else "multiple",
            name=text[:60],
            text=text,
            answers=[
                ParsedAnswer(option, share if letter in letters else Decimal(0))
                for letter, option in options
            ],
        )
    )
