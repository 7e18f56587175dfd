"""Crawl the Wagtail admin as one user and report the English a person would
meet: visible text and the aria-label, title and placeholder attributes."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

ADMIN = "/quan-tri/"
ASSISTIVE = ("aria-label", "title", "placeholder", "alt")
# Not pages a person reads, or pages whose GET changes something.
SKIP = re.compile(
    r"/(logout|preview|serve|download|xuat|export|bulk|unlock|lock|"
    r"copy_for_translation|workflow/preview|revisions/compare|usage|"
    r"chooser|choose|jsi18n|api|searchpicks)/|\?export=|\.(png|jpe?g|gif|svg|pdf|zip|xlsx|csv)$"
)
# Words that are English but also our product's names, formats or
# Vietnamese syllables written without marks.
ALLOW = {
    "pdf",
    "gift",
    "aiken",
    "qr",
    "zalo",
    "wi",
    "fi",
    "xlsx",
    "csv",
    "html",
    "markdown",
    "url",
    "id",
    "email",
    "otp",
    "moodle",
    "vneid",
    "ios",
    "android",
    "wagtail",
    "ok",
    "an",
    "ban",
    "bao",
    "cho",
    "con",
    "do",
    "hay",
    "in",
    "sao",
    "tin",
    "to",
    "tai",
    "the",
    "mau",
    "lan",
    "long",
    "me",
    "tan",
    "ten",
    "phone",
    "so",
    "hoa",
    "minh",
    "dao",
    "van",
    "thi",
    "nam",
    "anh",
    "bang",
    "la",
    "dai",
    "mai",
    "nga",
    "bai",
    "thu",
    "tu",
    "ha",
}
ALLOW |= {"web", "enter", "mttq", "cn"}
VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input"),
    *("link", "meta", "source", "track", "wbr", "param"),
}
# "{seq:05d}/{year}" is a pattern a trainer types, not English prose.
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
WORD = re.compile(r"[A-Za-z]{2,}")
# A word is a run of letters; only runs that are all ASCII can be English
# ("miền" is not the English "mi" + "n").
LETTERS = re.compile(r"[^\W\d_]+")


def english_vocabulary() -> set[str]:
    """Every word of Wagtail's own English admin catalogues: what an
    untranslated Wagtail string is made of."""
    import wagtail

    words: set[str] = set()
    for po in Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/*.po"):
        for line in po.read_text(encoding="utf-8").splitlines():
            if line.startswith(("msgid", '"')) and not line.startswith('"Content-'):
                line = re.sub(r"%\(\w+\)s|\{\w+\}", "", line)
                words.update(w.lower() for w in WORD.findall(line))
    words.update({"wagtail", "help", "images", "documents", "snippets", "site", "summary"})
    return words - ALLOW - {"msgid", "msgid_plural", "msgctxt"}


HIDDEN_TAGS = {"script", "style", "template", "noscript", "textarea", "svg", "option"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._open: list[bool] = []  # per open element: does it hide its content?

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        hides = tag in HIDDEN_TAGS or "hidden" in attrs
        if tag not in VOID:
            self._open.append(hides)
            self._skip += hides
        if self._skip:
            return
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        for name in ASSISTIVE:
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag not in VOID and self._open:
            self._skip -= self._open.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


SIDEBAR = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S
)


def _sidebar(html: str, page: "_Page") -> None:
    """The sidebar is drawn by script from JSON: its labels are visible text
    and its links are pages to visit."""
    match = SIDEBAR.search(html)
    if not match:
        return

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("label", "footer_text") and isinstance(value, str) and value:
                    page.texts.append(value)
                elif key == "url" and isinstance(value, str):
                    page.links.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(match.group(1)))


def english_in(text: str, vocabulary: set[str]) -> list[str]:
    text = PLACEHOLDER.sub(" ", text)
    return [
        w for w in LETTERS.findall(text) if len(w) > 1 and w.isascii() and w.lower() in vocabulary
    ]


def crawl(client, *, start=ADMIN, limit=120, vocabulary=None, content_words=()):
    """Visit admin pages breadth-first from ``start``; return
    ({url: status}, {text: first url where it was seen}) for texts with English."""
    vocabulary = (vocabulary or english_vocabulary()) - {w.lower() for w in content_words}
    seen, queue, statuses, findings = set(), [start], {}, {}
    shapes: dict[str, int] = {}
    while queue and len(statuses) < limit:
        url = queue.pop(0)
        # Pages of one kind (every lesson's editor) say the same things: two do.
        shape = re.sub(r"\d+", "N", url)
        if url in seen or shapes.get(shape, 0) >= 2:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        statuses[url] = response.status_code
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = _Page()
        page.feed(html)
        _sidebar(html, page)
        for text in page.texts:
            if english_in(text, vocabulary):
                findings.setdefault(text, url)
        for href in page.links:
            target = urldefrag(urljoin(url, href))[0]
            parts = urlparse(target)
            if parts.netloc not in ("", "testserver") or not parts.path.startswith(ADMIN):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(target) or target in seen:
                continue
            queue.append(target)
    return statuses, findings
