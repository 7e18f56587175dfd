"""The spreadsheet template (XLSX or CSV), one question per row.

Columns, recognised with or without diacritics and in any order:
Loại | Tiêu đề | Câu hỏi | Phương án A … Phương án H | Đáp án | Phản hồi | Danh mục | Thẻ | Điểm.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cadres import spreadsheets
from cadres.text import fold, nfc

from .base import ParsedAnswer, ParsedQuestion, ParseResult, Rejection, finite_decimal

TYPES = {
    "mot lua chon": "single", "single": "single",
    "nhieu lua chon": "multiple", "multiple": "multiple",
    "dung sai": "truefalse", "dung/sai": "truefalse", "truefalse": "truefalse",
    "tra loi ngan": "shortanswer", "shortanswer": "shortanswer",
    "so": "numerical", "dien so": "numerical", "numerical": "numerical",
    "ghep noi": "matching", "matching": "matching",
}  # fmt: skip
COLUMNS = {
    "loai": "type", "type": "type",
    "tieu de": "name", "name": "name", "title": "name",
    "cau hoi": "text", "question": "text", "noi dung": "text",
    "dap an": "answer", "answer": "answer", "dap an dung": "answer",
    "phan hoi": "feedback", "phan hoi chung": "feedback", "feedback": "feedback",
    "danh muc": "category", "category": "category",
    "the": "tags", "tags": "tags",
    "diem": "mark", "mark": "mark",
}  # fmt: skip
LETTERS = "ABCDEFGH"
HEADER = (
    ["Loại", "Tiêu đề", "Câu hỏi"]
    + [f"Phương án {x}" for x in LETTERS[:6]]
    + [
        "Đáp án",
        "Phản hồi",
        "Danh mục",
        "Thẻ",
        "Điểm",
    ]
)
MAX_ROWS = 5000


def _column(header: str) -> str | None:
    key = fold(header)
    if key in COLUMNS:
        return COLUMNS[key]
    match = re.fullmatch(r"(?:phuong an|lua chon|option)?\s*([a-h])", key)
    return f"option_{match.group(1).upper()}" if match else None


# Questions are read through the same hardened reader as the roster; question
# text may be long, a file holds at most MAX_ROWS questions under its header.
LIMITS = spreadsheets.DEFAULT_LIMITS.but(max_bytes=5 * 1024 * 1024, max_rows=MAX_ROWS + 1)


def parse(data: bytes, fmt: str) -> ParseResult:
    """Read an XLSX or CSV upload (CSV in UTF-8, UTF-16 or Windows-1258)."""
    try:
        grid = spreadsheets.read(data, kind=fmt, limits=LIMITS, formulas=False)
    except spreadsheets.SpreadsheetError as exc:
        return ParseResult(rejections=[Rejection(0, str(exc))])
    rows = [["" if v is None else str(v) for v in row] for row in grid.rows]
    return _parse_rows(rows)


def _parse_rows(rows: list[list[str]]) -> ParseResult:
    result = ParseResult()
    if not rows:
        result.rejections.append(Rejection(1, _("The file is empty.")))
        return result
    columns = [_column(h or "") for h in rows[0]]
    if "type" not in columns or "text" not in columns:
        result.rejections.append(
            Rejection(1, _("The first row must name the columns, at least “Loại” and “Câu hỏi”."))
        )
        return result
    if len(rows) > MAX_ROWS + 1:
        result.rejections.append(
            Rejection(MAX_ROWS + 2, _("At most %(n)s questions per file.") % {"n": MAX_ROWS})
        )
        return result
    for number, row in enumerate(rows[1:], start=2):
        values: dict[str, str] = {}
        for column, value in zip(columns, row, strict=False):
            if column and nfc(value):
                values[column] = nfc(value)
        if not values:
            continue
        try:
            result.questions.append(_question(number, values))
        except ValueError as exc:
            result.rejections.append(Rejection(number, str(exc)))
    return result


def _question(line: int, values: dict[str, str]) -> ParsedQuestion:
    qtype = TYPES.get(fold(values.get("type", "")))
    if qtype is None:
        raise ValueError(_("Unknown question type “%(type)s”.") % {"type": values.get("type", "")})
    text = values.get("text", "")
    if not text:
        raise ValueError(_("The question has no text."))
    options = [(x, values[f"option_{x}"]) for x in LETTERS if values.get(f"option_{x}")]
    question = ParsedQuestion(
        line=line,
        qtype=qtype,
        name=values.get("name") or text[:60],
        text=text,
        general_feedback=values.get("feedback", ""),
        category="/".join(p.strip() for p in values.get("category", "").split("/") if p.strip()),
        tags=[t.strip() for t in values.get("tags", "").split(",") if t.strip()],
    )
    if values.get("mark"):
        question.default_mark = _mark(values["mark"])
    question.answers = ANSWER_READERS[qtype](qtype, values.get("answer", ""), options)
    if qtype == "shortanswer":
        question.ignore_diacritics = True
    return question


def _mark(text: str) -> Decimal:
    try:
        mark = finite_decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("The mark “%(v)s” is not a number.") % {"v": text}) from None
    if mark <= 0:
        raise ValueError(_("The mark must be greater than zero."))
    return mark


def _choice_answers(qtype: str, answer: str, options: list[tuple[str, str]]) -> list[ParsedAnswer]:
    letters = [x.strip().upper() for x in re.split(r"[,;\s]+", answer) if x.strip()]
    known = [x for x, _t in options]
    if len(options) < 2:
        raise ValueError(_("A choice question needs at least two options."))
    if not letters or any(x not in known for x in letters):
        raise ValueError(
            _("The answer “%(answer)s” is not one of the options %(options)s.")
            % {"answer": answer, "options": ", ".join(known)}
        )
    if qtype == "single" and len(letters) != 1:
        raise ValueError(_("A single-choice question has exactly one correct letter."))
    share = (Decimal(100) / len(set(letters))).quantize(Decimal("0.0001"))
    return [ParsedAnswer(t, share if x in letters else Decimal(0)) for x, t in options]


def _true_false_answers(qtype: str, answer: str, options) -> list[ParsedAnswer]:
    key = fold(answer)
    if key not in ("dung", "sai", "true", "false", "d", "s"):
        raise ValueError(_("The answer of a true/false question is “Đúng” or “Sai”."))
    value = key in ("dung", "true", "d")
    return [
        ParsedAnswer("true", Decimal(100 if value else 0)),
        ParsedAnswer("false", Decimal(0 if value else 100)),
    ]


def _short_answers(qtype: str, answer: str, options) -> list[ParsedAnswer]:
    accepted = [a.strip() for a in answer.split("|") if a.strip()] or [t for _x, t in options]
    if not accepted:
        raise ValueError(_("A short-answer question needs at least one accepted answer."))
    return [ParsedAnswer(a, Decimal(100)) for a in accepted]


def _numerical_answers(qtype: str, answer: str, options) -> list[ParsedAnswer]:
    from ..grading import parse_number

    match = re.fullmatch(r"\s*([-+]?[\d.,]+)\s*(?:(?:±|\+-|:)\s*([\d.,]+))?\s*", answer)
    value = parse_number(match.group(1)) if match else None
    tolerance = parse_number(match.group(2)) if match and match.group(2) else Decimal(0)
    if value is None or tolerance is None:
        raise ValueError(_("Write the numerical answer as “3,14” or “3,14 ± 0,01”."))
    return [ParsedAnswer(f"{value.normalize():f}", Decimal(100), tolerance=tolerance)]


def _matching_answers(qtype: str, answer: str, options) -> list[ParsedAnswer]:
    pairs = []
    for _x, option in options:
        if "->" not in option:
            raise ValueError(_("Write each matching pair as “item -> match”."))
        left, right = (s.strip() for s in option.split("->", 1))
        if not left or not right:
            raise ValueError(_("Write each matching pair as “item -> match”."))
        pairs.append(ParsedAnswer(left, Decimal(100), match_text=right))
    if len(pairs) < 2:
        raise ValueError(_("A matching question needs at least two pairs."))
    return pairs


ANSWER_READERS = {
    "single": _choice_answers,
    "multiple": _choice_answers,
    "truefalse": _true_false_answers,
    "shortanswer": _short_answers,
    "numerical": _numerical_answers,
    "matching": _matching_answers,
}
