import re

_NON_DIGITS = re.compile(r"[^\d+]")


def normalise_phone(value: str) -> str:
    """Vietnamese mobile numbers in one form: 0xxxxxxxxx. Returns '' if not a phone."""
    digits = _NON_DIGITS.sub("", str(value or ""))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if re.fullmatch(r"0\d{9}", digits):
        return digits
    return ""
