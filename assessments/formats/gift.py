"""Moodle GIFT: parse into ``ParsedQuestion`` and write back so it round-trips.

Supported: ``$CATEGORY:``, ``::title::``, ``[html]/[plain]/[markdown]/[moodle]``,
escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``, comments (``// [tag:x]`` lines become
tags), single and multiple choice with ``%weight%``, true/false with its two
feedbacks, short answer, numerical (``value:tolerance``, ``min..max``, several
weighted answers), matching, missing word (text after the braces), answer
feedback ``#`` and general feedback ``####``. Essay (``{}``) and description
(no braces) are rejected with a reason, as is anything malformed.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Rejection, finite_decimal

# Escaped characters travel through the parser as private-use code points.
_ESCAPES = {"\\\\": "\ue000", "\\~": "\ue001", "\\=": "\ue002", "\\#": "\ue003",
            "\\{": "\ue004", "\\}": "\ue005", "\\:": "\ue006"}  # fmt: skip
_UNESCAPE = {v: k[1] for k, v in _ESCAPES.items()}
_FORMAT = re.compile(r"^\s*\[(html|plain|markdown|moodle)\]", re.I)
_WEIGHT = re.compile(r"^%(-?\d+(?:[.,]\d+)?)%")
_META_TAG = re.compile(r"^//\s*\[tag:(.+?)\]\s*$")
_META_HOCSO = re.compile(r"^//\s*\[hocso:(.+?)\]\s*$")
_CATEGORY = re.compile(r"^\$CATEGORY:\s*(.*)$")
_SPECIAL = "\\~=#{}:"


class GiftError(ValueError):
    pass


def _protect(text: str) -> str:
    text = text.replace("\\\\", _ESCAPES["\\\\"])
    for raw, code in _ESCAPES.items():
        text = text.replace(raw, code)
    return text.replace("\\n", "\n")


def _restore(text: str) -> str:
    for code, char in _UNESCAPE.items():
        text = text.replace(code, char)
    return text.strip()


def category_path(raw: str) -> str:
    """Moodle's ``$course$/top/A/B`` (or ``top/A/B``) becomes ``A/B``."""
    path = re.sub(r"^\$\w+\$/", "", raw.strip())
    path = re.sub(r"^top(/|$)", "", path)
    return "/".join(part.strip() for part in path.split("/") if part.strip())


def parse(text: str) -> ParseResult:
    result = ParseResult()
    category = ""
    block: list[tuple[int, str]] = []
    tags: list[str] = []
    meta: dict[str, str] = {}

    def flush():
        nonlocal block, tags, meta
        if block:
            try:
                result.questions.append(_question(block, category, tags, meta))
            except GiftError as exc:
                result.rejections.append(Rejection(block[0][0], str(exc)))
        block, tags, meta = [], [], {}

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not block and stripped.startswith("//"):
            if match := _META_TAG.match(stripped):
                tags.append(match.group(1).strip())
            elif match := _META_HOCSO.match(stripped):
                for pair in match.group(1).split(";"):
                    key, _sep, value = pair.partition("=")
                    meta[key.strip()] = value.strip()
            continue
        if block and stripped.startswith("//"):
            continue
        if not stripped:
            flush()
            continue
        if not block and (match := _CATEGORY.match(stripped)):
            category = category_path(match.group(1))
            tags, meta = [], {}
            continue
        block.append((number, line))
    flush()
    return result


def _question(block, category, tags, meta) -> ParsedQuestion:
    line = block[0][0]
    source = _protect("\n".join(text for _n, text in block))
    name = ""
    stripped = source.lstrip()
    if stripped.startswith("::"):
        end = stripped.find("::", 2)
        if end < 0:
            raise GiftError(_("The title is not closed with “::”."))
        name = _restore(stripped[2:end])
        stripped = stripped[end + 2 :]
    text_format = "plain"
    if match := _FORMAT.match(stripped):
        text_format = match.group(1).lower()
        text_format = "plain" if text_format == "moodle" else text_format
        stripped = stripped[match.end() :]
    open_at = stripped.find("{")
    if open_at < 0:
        if "}" in stripped:
            raise GiftError(_("There is a “}” without a matching “{”."))
        raise GiftError(
            _("Descriptions (text without an answer in braces) are not supported as questions.")
        )
    close_at = stripped.find("}", open_at)
    if close_at < 0:
        raise GiftError(_("The answer part is not closed with “}”."))
    if stripped.find("{", open_at + 1, close_at) >= 0 or stripped.find("{", close_at) >= 0:
        raise GiftError(_("Only one answer part in braces is allowed per question."))
    before, body, after = (
        stripped[:open_at],
        stripped[open_at + 1 : close_at],
        stripped[close_at + 1 :],
    )
    if "}" in after:
        raise GiftError(_("There is a “}” without a matching “{”."))
    question_text = _restore(before)
    if after.strip():
        question_text = f"{question_text} _____ {_restore(after)}".strip()
    if not question_text:
        raise GiftError(_("The question has no text."))
    general = ""
    if "####" in body:
        body, general = body.split("####", 1)
        general = _restore(general)
    body_stripped = body.strip()
    question = ParsedQuestion(
        line=line,
        qtype="",
        name=(name or question_text[:60]).strip()[:255],
        text=question_text,
        text_format=text_format,
        general_feedback=general,
        category=category,
        tags=list(tags),
    )
    _apply_meta(question, meta)
    if not body_stripped:
        raise GiftError(_("Essay questions are not supported."))
    if body_stripped.startswith("#"):
        _numerical(question, body_stripped[1:])
    elif re.fullmatch(r"(?is)(T|TRUE|F|FALSE)\s*(#.*)?", body_stripped):
        _true_false(question, body_stripped)
    else:
        _choices(question, body_stripped)
    return question


def _apply_meta(question: ParsedQuestion, meta: dict) -> None:
    try:
        if "mark" in meta:
            question.default_mark = finite_decimal(meta["mark"])
    except InvalidOperation:
        raise GiftError(_("The mark in the [hocso:…] comment is not a number.")) from None
    for key in ("ignore_case", "ignore_spaces", "ignore_diacritics"):
        if key in meta:
            setattr(question, key, meta[key] == "1")


def _true_false(question: ParsedQuestion, body: str) -> None:
    head, *feedbacks = body.split("#")
    value = head.strip().upper() in ("T", "TRUE")
    wrong = _restore(feedbacks[0]) if feedbacks else ""
    right = _restore(feedbacks[1]) if len(feedbacks) > 1 else ""
    if len(feedbacks) > 2:
        raise GiftError(_("A true/false question takes at most two feedbacks."))
    question.qtype = "truefalse"
    question.answers = [
        ParsedAnswer("true", Decimal(100 if value else 0), right if value else wrong),
        ParsedAnswer("false", Decimal(0 if value else 100), wrong if value else right),
    ]


def _items(body: str) -> list[tuple[str, str]]:
    """Split ``=a#fb ~%50%b`` into [("=", "a#fb"), ("~", "%50%b")]."""
    parts = re.split(r"([=~])", body)
    if parts[0].strip():
        raise GiftError(_("Each answer must start with “=” or “~”."))
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _weight_text_feedback(raw: str, default: Decimal) -> tuple[Decimal, str, str]:
    raw = raw.strip()
    weight = default
    if match := _WEIGHT.match(raw):
        weight = Decimal(match.group(1).replace(",", "."))
        if not Decimal(-100) <= weight <= Decimal(100):
            raise GiftError(_("A weight must be between -100% and 100%."))
        raw = raw[match.end() :]
    text, _sep, feedback = raw.partition("#")
    text = _FORMAT.sub("", text, count=1)
    return weight, _restore(text), _restore(feedback)


def _choices(question: ParsedQuestion, body: str) -> None:
    items = _items(body)
    if not items:
        raise GiftError(_("The question has no answers."))
    if any("->" in raw for _m, raw in items):
        if any(marker != "=" or "->" not in raw for marker, raw in items):
            raise GiftError(_("Every matching pair must be written “=item -> match”."))
        question.qtype = "matching"
        for _m, raw in items:
            left, right = raw.split("->", 1)
            left, right = _restore(left), _restore(right)
            if not right:
                raise GiftError(_("A matching pair has nothing on the right of “->”."))
            question.answers.append(ParsedAnswer(left, Decimal(100), "", match_text=right))
        if sum(1 for a in question.answers if a.text) < 2:
            raise GiftError(_("A matching question needs at least two pairs."))
        return
    has_tilde = any(marker == "~" for marker, _raw in items)
    for marker, raw in items:
        weight, text, feedback = _weight_text_feedback(raw, Decimal(100 if marker == "=" else 0))
        if not text:
            raise GiftError(_("An answer is empty."))
        question.answers.append(ParsedAnswer(text, weight, feedback))
    if not has_tilde:
        question.qtype = "shortanswer"
        if max(a.fraction for a in question.answers) <= 0:
            raise GiftError(_("A short-answer question needs at least one accepted answer."))
        return
    if len(question.answers) < 2:
        raise GiftError(_("A choice question needs at least two answers."))
    if any(marker == "=" for marker, _raw in items):
        question.qtype = "single"
        if sum(1 for m, _r in items if m == "=") > 1:
            raise GiftError(
                _("Only one answer may be marked “=”; use weights such as ~%50% for several.")
            )
        if max(a.fraction for a in question.answers) != 100:
            raise GiftError(_("The correct answer must be worth 100%."))
    else:
        question.qtype = "multiple"
        positive = sum((a.fraction for a in question.answers if a.fraction > 0), Decimal(0))
        if abs(positive - 100) > Decimal("0.5"):
            raise GiftError(
                _("The weights of the correct answers add up to %(total)s%%, not 100%%.")
                % {"total": f"{positive.normalize():f}"}
            )


def _number(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise GiftError(_("“%(value)s” is not a number.") % {"value": raw.strip()}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e8"):
        raise GiftError(_("“%(value)s” is not a number.") % {"value": raw.strip()})
    return value


def _numeric_answer(spec: str) -> tuple[Decimal, Decimal]:
    spec = _restore(spec).replace(_UNESCAPE.get("\ue006", ":"), ":")
    if ".." in spec:
        low, high = (_number(x) for x in spec.split("..", 1))
        if high < low:
            raise GiftError(_("The range “%(value)s” ends below its start.") % {"value": spec})
        return (low + high) / 2, (high - low) / 2
    value, _sep, tolerance = spec.partition(":")
    tol = _number(tolerance) if tolerance.strip() else Decimal(0)
    if tol < 0:
        raise GiftError(_("A tolerance cannot be negative."))
    return _number(value), tol


def _numerical(question: ParsedQuestion, body: str) -> None:
    question.qtype = "numerical"
    body = body.strip()
    if not body:
        raise GiftError(_("The numerical answer is empty."))
    if body[0] in "=~":
        for marker, raw in _items(body):
            raw = raw.strip()
            weight = Decimal(100 if marker == "=" else 0)
            if match := _WEIGHT.match(raw):
                weight = Decimal(match.group(1).replace(",", "."))
                raw = raw[match.end() :]
            spec, _sep, feedback = raw.partition("#")
            value, tolerance = _numeric_answer(spec)
            question.answers.append(
                ParsedAnswer(f"{value.normalize():f}", weight, _restore(feedback), tolerance)
            )
    else:
        spec, _sep, feedback = body.partition("#")
        value, tolerance = _numeric_answer(spec)
        question.answers.append(
            ParsedAnswer(f"{value.normalize():f}", Decimal(100), _restore(feedback), tolerance)
        )
    if max(a.fraction for a in question.answers) <= 0:
        raise GiftError(_("A numerical question needs at least one correct value."))


# ---------------------------------------------------------------- export


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return out.replace("\n", "\\n")


def _weight(fraction: Decimal) -> str:
    return f"%{fraction.normalize():f}%"


def export(questions, *, root_path_length: int = 0) -> str:
    """GIFT text for questions (with ``category`` and ``answers`` loaded), grouped by category.

    Category paths drop the first ``root_path_length`` names: an export of a
    category, imported into another, recreates its subcategories there.
    """
    out: list[str] = []
    current = None
    for question in questions:
        path = "/".join(question.category.full_path.split("/")[root_path_length:])
        if path != current:
            out.append(f"$CATEGORY: {path}\n")
            current = path
        out.append(export_question(question))
    return "\n".join(out)


def export_question(question) -> str:
    lines = [f"// [tag:{tag.name}]" for tag in question.tags.all()]
    meta = []
    if question.default_mark != 1:
        meta.append(f"mark={question.default_mark.normalize():f}")
    if question.qtype == "shortanswer":
        meta += [
            f"ignore_case={int(question.ignore_case)}",
            f"ignore_spaces={int(question.ignore_spaces)}",
            f"ignore_diacritics={int(question.ignore_diacritics)}",
        ]
    if meta:
        lines.append(f"// [hocso:{';'.join(meta)}]")
    fmt = f"[{question.text_format}]" if question.text_format != "plain" else ""
    head = f"::{escape(question.name)}::{fmt}{escape(question.text)}"
    answers = list(question.answers.all())
    body = _export_body(question, answers)
    if question.general_feedback:
        body += f"\n\t####{escape(question.general_feedback)}"
    lines.append(f"{head} {{\n{body}\n}}\n")
    return "\n".join(lines)


def _feedback(answer) -> str:
    return f"#{escape(answer.feedback)}" if answer.feedback else ""


def _export_body(question, answers) -> str:
    qtype = question.qtype
    if qtype == "truefalse":
        right = next((a for a in answers if a.fraction >= 100), answers[0])
        wrong = next((a for a in answers if a is not right), None)
        value = "TRUE" if right.text.strip().lower() == "true" else "FALSE"
        parts = [value]
        if (wrong and wrong.feedback) or right.feedback:
            parts += [escape(wrong.feedback if wrong else ""), escape(right.feedback)]
        return "\t" + "#".join(parts)
    rows = []
    for answer in answers:
        if qtype == "matching":
            rows.append(f"\t={escape(answer.text)} -> {escape(answer.match_text)}")
        elif qtype == "numerical":
            tolerance = f":{answer.tolerance.normalize():f}" if answer.tolerance else ""
            rows.append(f"\t={_weight(answer.fraction)}{answer.text}{tolerance}{_feedback(answer)}")
        elif qtype == "shortanswer":
            weight = "" if answer.fraction == 100 else _weight(answer.fraction)
            rows.append(f"\t={weight}{escape(answer.text)}{_feedback(answer)}")
        elif qtype == "single":
            if answer.fraction == 100:
                rows.append(f"\t={escape(answer.text)}{_feedback(answer)}")
            else:
                weight = _weight(answer.fraction) if answer.fraction else ""
                rows.append(f"\t~{weight}{escape(answer.text)}{_feedback(answer)}")
        else:
            weight = _weight(answer.fraction) if answer.fraction else ""
            rows.append(f"\t~{weight}{escape(answer.text)}{_feedback(answer)}")
    if qtype == "numerical":
        return "\t#\n" + "\n".join(rows)
    return "\n".join(rows)
