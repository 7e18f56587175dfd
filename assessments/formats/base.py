import codecs
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation


@dataclass
class ParsedAnswer:
    text: str
    fraction: Decimal = Decimal("0")
    feedback: str = ""
    tolerance: Decimal = Decimal("0")
    match_text: str = ""


@dataclass
class ParsedQuestion:
    line: int
    qtype: str
    name: str
    text: str
    text_format: str = "plain"
    general_feedback: str = ""
    answers: list[ParsedAnswer] = field(default_factory=list)
    category: str = ""  # path relative to the category chosen for the import
    tags: list[str] = field(default_factory=list)
    default_mark: Decimal = Decimal("1")
    ignore_case: bool = True
    ignore_spaces: bool = True
    ignore_diacritics: bool = False


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(q.qtype for q in self.questions)


def finite_decimal(text: str) -> Decimal:
    """A number written in a file; NaN and Infinity are not numbers here.
    Raises InvalidOperation, as Decimal does for any other text."""
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def decode_bytes(data: bytes) -> str:
    """UTF-8 with or without BOM, or UTF-16 (BOM or a telling pattern of zero bytes).

    Raises UnicodeError for anything else. Text comes back NFC with \\n line ends.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = data[3:].decode("utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    elif len(data) >= 2 and data[1::2].count(0) > len(data) // 4:
        text = data.decode("utf-16-le")
    elif len(data) >= 2 and data[0::2].count(0) > len(data) // 4:
        text = data.decode("utf-16-be")
    else:
        text = data.decode("utf-8")
    if "\x00" in text:
        raise UnicodeError("NUL in text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)
