"""Vietnamese text helpers: NFC normalisation, diacritic-free search keys and
a collation key that sorts names the way a Vietnamese reader expects."""

import re
import unicodedata

from django.utils.text import slugify

_SPACES = re.compile(r"\s+")


def strip_format_controls(value: str) -> str:
    """Drop Unicode format characters (category Cf): zero-width spaces and
    joiners, soft hyphens, byte-order marks, bidirectional overrides and
    isolates. Vietnamese needs none of them (its marks are category Mn); in a
    name they only hide text or reverse it on a certificate."""
    return "".join(ch for ch in value if unicodedata.category(ch) != "Cf")


def nfc(value: str | None) -> str:
    """Normalise to NFC without format characters and fold runs of white
    space; None becomes ''."""
    if not value:
        return ""
    text = strip_format_controls(str(value))
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(value: str | None) -> str:
    """Lower-case, diacritic-free, space-folded form for search and matching.

    "Nguyễn Thị Hoà" and "nguyen thi hoa" fold to the same key; đ becomes d.
    """
    text = unicodedata.normalize("NFD", nfc(value).lower().replace("đ", "d"))
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


# Vietnamese alphabet order; ă, â, đ, ê, ô, ơ, ư are letters of their own.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: f"{i + 10:02d}" for i, ch in enumerate(_ALPHABET)}
# Tones compare after letters: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "^", "\u031b": "ơ"}


def _letters_and_tones(word: str) -> tuple[str, str]:
    primary, tones = [], []
    for base in unicodedata.normalize("NFD", word.lower()):
        if base in _TONES:
            tones[-1:] = [_TONES[base]] if tones else []
            continue
        if base in _LETTER_MARKS and primary:
            prev = primary.pop()
            combined = {
                ("a", "ă"): "ă",
                ("a", "^"): "â",
                ("e", "^"): "ê",
                ("o", "^"): "ô",
                ("o", "ơ"): "ơ",
                ("u", "ơ"): "ư",
            }.get((prev, _LETTER_MARKS[base]), prev)
            primary.append(combined)
            continue
        if unicodedata.category(base) == "Mn":
            continue
        primary.append(base)
        tones.append("0")
    ranks = "".join(_LETTER_RANK.get(ch, "99" if ch.isalnum() else "") for ch in primary)
    return ranks, "".join(tones)


def sort_key(*parts: str) -> str:
    """A key of digits only, so it sorts identically under any database collation.

    Letters of every part compare first (in the order given), tones only break ties.
    """
    letters, tones = [], []
    for part in parts:
        for word in nfc(part).split(" "):
            ranks, word_tones = _letters_and_tones(word)
            letters.append(ranks + "01")
            tones.append(word_tones)
        letters.append("00")
    return ("".join(letters) + "0" + "".join(tones))[:255]


def split_full_name(full_name: str) -> tuple[str, str]:
    """Split a one-column full name into (family and middle names, given name).

    The given name is taken to be the last word; a two-word given name such as
    "Bình Minh" cannot be told from a middle name, so imports let HR correct it.
    """
    words = nfc(full_name).split(" ")
    if len(words) == 1:
        return "", words[0]
    return " ".join(words[:-1]), words[-1]


def ascii_slug(value: str | None) -> str:
    """A URL slug without diacritics: "Sử dụng Zalo đúng cách" → "su-dung-zalo-dung-cach".

    Links travel by Zalo, where a Unicode slug turns into "%E1%BB%AD…".
    """
    return slugify(fold(value), allow_unicode=False)


_DIGITS = re.compile(r"[0-9]{1,18}")


def is_plain_digits(value) -> bool:
    """True for an id, index or page number written as plain ASCII digits:
    never "1.234" (a localised number), "1_234", " 12" or "١٢"."""
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None
