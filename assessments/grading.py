"""Pure grading rules: what a response is worth, what the cadre may see.

Nothing here touches the database; services pass questions and answers in.
"""

import fnmatch
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cadres.text import fold, is_plain_digits, nfc

from .richtext import to_html

ZERO = Decimal("0")
ONE = Decimal("1")
MAX_TEXT = 500
_SPACES = re.compile(r"\s+")


class ResponseError(ValueError):
    """The response does not fit the question; the message is for the cadre."""


def parse_number(text: str) -> Decimal | None:
    """Read "3,5", "3.5", "1.500,25" or "-2" as a number; None when it is not one."""
    value = _SPACES.sub("", nfc(text))
    if not value:
        return None
    if "," in value and "." in value:
        value = value.replace(".", "").replace(",", ".")
    else:
        value = value.replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d{1,3})?", value):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def normalise_short(text: str, *, ignore_case: bool, ignore_spaces: bool, ignore_diacritics: bool):
    value = nfc(text) if ignore_spaces else (text or "").strip()
    if ignore_diacritics:
        value = fold(value) if ignore_case else _strip_marks(value)
    elif ignore_case:
        value = value.lower()
    if ignore_spaces:
        value = value.replace(" ", "")
    return value


def _strip_marks(value: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def as_id(value) -> int:
    """An id or index sent back by the form or the autosave: a JSON integer or
    plain ASCII digits. "1.234" (an id printed with a thousand separator),
    "1_234", " 12", 1.5 and True are refused rather than read as another
    number. Raises ValueError."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if is_plain_digits(value):
        return int(value)
    raise ValueError(value)


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def clean_response(qtype: str, order: list, response) -> dict:
    """Validate a response against the slot's frozen order; raise ResponseError."""
    if not isinstance(response, dict):
        raise ResponseError(_("The answer is not in the expected form."))
    if qtype in ("single", "truefalse"):
        choice = response.get("choice")
        if choice is None or choice == "":
            return {"choice": None}
        try:
            choice = as_id(choice)
        except ValueError:
            raise ResponseError(_("This choice is not part of the question.")) from None
        if choice not in order:
            raise ResponseError(_("This choice is not part of the question."))
        return {"choice": choice}
    if qtype == "multiple":
        choices = response.get("choices")
        if choices is None:
            choices = []
        if not isinstance(choices, list) or len(choices) > 100:
            raise ResponseError(_("This choice is not part of the question."))
        try:
            picked = sorted({as_id(c) for c in choices})
        except ValueError:
            raise ResponseError(_("This choice is not part of the question.")) from None
        if any(c not in order for c in picked):
            raise ResponseError(_("This choice is not part of the question."))
        return {"choices": picked}
    if qtype in ("shortanswer", "numerical"):
        text = response.get("text", "")
        if text is None:
            text = ""
        if not isinstance(text, str | int | float) or isinstance(text, bool):
            raise ResponseError(_("The answer is not in the expected form."))
        text = nfc(str(text))
        if len(text) > MAX_TEXT:
            raise ResponseError(_("The answer is too long."))
        return {"text": text}
    if qtype == "matching":
        matches = response.get("matches") or {}
        if not isinstance(matches, dict):
            raise ResponseError(_("The answer is not in the expected form."))
        items = order[0] if order else []
        options = order[1] if len(order) > 1 else []
        cleaned = {}
        for key, value in matches.items():
            try:
                item, option = as_id(key), as_id(value) if value not in ("", None) else None
            except ValueError:
                raise ResponseError(_("This choice is not part of the question.")) from None
            if item not in items or (option is not None and not 0 <= option < len(options)):
                raise ResponseError(_("This choice is not part of the question."))
            if option is not None:
                cleaned[str(item)] = option
        return {"matches": cleaned}
    raise ResponseError(_("The answer is not in the expected form."))


def grade(question, answers: list, order: list, response: dict | None) -> Decimal:
    """The fraction of the question's mark the response earns, from 0 to 1."""
    if not response:
        return ZERO
    qtype = question.qtype
    by_id = {a.pk: a for a in answers}
    if qtype in ("single", "truefalse"):
        answer = by_id.get(response.get("choice"))
        return clamp(answer.weight) if answer else ZERO
    if qtype == "multiple":
        picked = [by_id[c] for c in response.get("choices", []) if c in by_id]
        return clamp(sum((a.weight for a in picked), ZERO))
    if qtype == "shortanswer":
        given = normalise_short(
            response.get("text", ""),
            ignore_case=question.ignore_case,
            ignore_spaces=question.ignore_spaces,
            ignore_diacritics=question.ignore_diacritics,
        )
        if not given:
            return ZERO
        best = ZERO
        for answer in answers:
            accepted = normalise_short(
                answer.text,
                ignore_case=question.ignore_case,
                ignore_spaces=question.ignore_spaces,
                ignore_diacritics=question.ignore_diacritics,
            )
            hit = (
                fnmatch.fnmatchcase(given, accepted.replace("[", "[[]"))
                if "*" in accepted
                else given == accepted
            )
            if hit:
                best = max(best, answer.weight)
        return clamp(best)
    if qtype == "numerical":
        value = parse_number(response.get("text", ""))
        if value is None:
            return ZERO
        best = ZERO
        for answer in answers:
            target = parse_number(answer.text)
            if target is not None and abs(value - target) <= (answer.tolerance or ZERO):
                best = max(best, answer.weight)
        return clamp(best)
    if qtype == "matching":
        items = [a for a in answers if a.text.strip()]
        if not items:
            return ZERO
        options = order[1] if len(order) > 1 else []
        matches = response.get("matches", {})
        right = 0
        for item in items:
            chosen = matches.get(str(item.pk))
            if chosen is not None and 0 <= chosen < len(options):
                right += nfc(options[chosen]) == nfc(item.match_text)
        return clamp(Decimal(right) / Decimal(len(items)))
    return ZERO


def freeze_order(question, answers: list, rng, shuffle: bool) -> list:
    """The order of choices a new attempt will show, fixed for its lifetime."""
    if question.qtype == "matching":
        items = [a.pk for a in answers if a.text.strip()]
        options = sorted({a.match_text for a in answers if a.match_text.strip()})
        if shuffle:
            rng.shuffle(items)
        rng.shuffle(options)
        return [items, options]
    ids = [a.pk for a in answers]
    if shuffle and question.qtype in ("single", "multiple"):
        rng.shuffle(ids)
    return ids


@dataclass
class Choice:
    """One option as the form shows it. ``value`` is what the form posts back:
    the answer's id as plain digits, never a localised number ("1.234")."""

    key: int
    label: str
    selected: bool | int | None = False
    # Filled only for review, when the policy allows.
    correct: bool | None = None
    feedback: str = ""

    @property
    def value(self) -> str:
        return str(self.key)


@dataclass
class QuestionView:
    """What the template shows of one question. Holds no key unless ``review`` filled it."""

    slot: int
    qtype: str
    text_html: str
    mark: Decimal
    choices: list[Choice] = field(default_factory=list)
    items: list[Choice] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    text_value: str = ""
    seq: int = 0
    answered: bool = False
    # Review only:
    state: str = ""
    score: Decimal | None = None
    right_answer: str = ""
    feedback: list[str] = field(default_factory=list)
    general_feedback: str = ""


TRUE_FALSE_LABELS = {"true": "Đúng", "false": "Sai"}


def _label(answer, qtype) -> str:
    if qtype == "truefalse":
        return TRUE_FALSE_LABELS.get(answer.text.strip().lower(), answer.text)
    return answer.text


def question_view(
    question, *, answers, order, slot, response=None, seq=0, mark=None
) -> QuestionView:
    by_id = {a.pk: a for a in answers}
    view = QuestionView(
        slot=slot,
        qtype=question.qtype,
        text_html=to_html(question.text, question.text_format),
        mark=mark if mark is not None else question.default_mark,
        seq=seq,
        answered=bool(response) and is_answered(response),
    )
    response = response or {}
    if question.qtype in ("single", "truefalse", "multiple"):
        picked = set(response.get("choices", [])) | {response.get("choice")}
        view.choices = [
            Choice(key=pk, label=_label(by_id[pk], question.qtype), selected=pk in picked)
            for pk in order
            if pk in by_id
        ]
    elif question.qtype == "matching":
        items, options = (order + [[], []])[:2]
        matches = response.get("matches", {})
        view.items = [
            Choice(key=pk, label=by_id[pk].text, selected=matches.get(str(pk)))
            for pk in items
            if pk in by_id
        ]
        view.options = list(options)
    else:
        view.text_value = response.get("text", "")
    return view


def is_answered(response: dict) -> bool:
    return bool(
        response.get("choice") is not None
        or response.get("choices")
        or (response.get("text") or "").strip()
        or response.get("matches")
    )


def review(view: QuestionView, question, answers, fraction, score, *, correctness, key, feedback):
    """Add to ``view`` what the review policy allows the cadre to see."""
    if correctness and fraction is not None:
        view.state = "right" if fraction >= ONE else ("partial" if fraction > ZERO else "wrong")
        view.score = score
    by_id = {a.pk: a for a in answers}
    if key:
        for choice in view.choices:
            choice.correct = by_id[choice.key].fraction > 0
        if question.qtype == "shortanswer":
            view.right_answer = ", ".join(a.text for a in answers if a.fraction >= 100)
        elif question.qtype == "numerical":
            view.right_answer = ", ".join(
                a.text + (f" ± {a.tolerance.normalize()}" if a.tolerance else "")
                for a in answers
                if a.fraction >= 100
            )
        elif question.qtype == "matching":
            view.right_answer = "; ".join(
                f"{a.text} → {a.match_text}" for a in answers if a.text.strip()
            )
    if feedback:
        for choice in view.choices:
            if choice.selected and by_id[choice.key].feedback:
                choice.feedback = by_id[choice.key].feedback
        if question.qtype in ("shortanswer", "numerical") and view.text_value:
            response = {"text": view.text_value}
            for answer in sorted(answers, key=lambda a: -a.fraction):
                if grade(question, [answer], [], response) > 0 or (
                    answer.fraction <= 0 and _matches_exactly(question, answer, response)
                ):
                    if answer.feedback:
                        view.feedback.append(answer.feedback)
                    break
        view.general_feedback = question.general_feedback
    return view


def _matches_exactly(question, answer, response) -> bool:
    probe = type(answer)(text=answer.text, fraction=Decimal(100), tolerance=answer.tolerance)
    probe.pk = answer.pk
    return grade(question, [probe], [], response) > 0
