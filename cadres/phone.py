import re

_NON_DIGITS = re.compile(r"[^\d+]")
# What a typed phone number may contain besides digits: "+84 (912) 345-678".
PHONE_CHARACTERS = re.compile(r"[\d\s+().-]+")


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


def parse_phone(value: str) -> str:
    """Like :func:`normalise_phone`, but only for a string made of a phone
    number's characters: "x0912345678" is not a phone number."""
    value = str(value or "").strip()
    return normalise_phone(value) if PHONE_CHARACTERS.fullmatch(value) else ""
