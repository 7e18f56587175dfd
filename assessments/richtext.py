"""Question text in the three GIFT formats, turned into safe HTML."""

import html
import re
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

_ALLOWED = {
    "p", "br", "b", "strong", "i", "em", "u", "sub", "sup", "ul", "ol", "li",
    "code", "pre", "blockquote", "span", "table", "thead", "tbody", "tr", "th", "td", "a",
}  # fmt: skip
_VOID = {"br"}
_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBER = re.compile(r"^\s*\d+[.)]\s+")


class _Sanitiser(HTMLParser):
    """Keeps a small set of tags and only the href of links (http/https/mailto)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in _ALLOWED:
            return
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not re.match(r"^(https?:|mailto:)", href.strip(), re.I):
                href = ""
            self.out.append(f'<a href="{html.escape(href)}" rel="noopener nofollow">')
        else:
            self.out.append(f"<{tag}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open:
                last = self.open.pop()
                self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{t}>" for t in reversed(self.open))


def sanitise_html(text: str) -> str:
    parser = _Sanitiser()
    parser.feed(text)
    parser.close()
    return parser.result()


def _inline_markdown(text: str) -> str:
    text = html.escape(text, quote=False)
    text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
    text = re.sub(r"(?<!\*)\*(?!\s)(.+?)(?<!\s)\*", r"<em>\1</em>", text)
    text = re.sub(r"`(.+?)`", r"<code>\1</code>", text)
    return text


def markdown_to_html(text: str) -> str:
    """The part of Markdown question writers use: paragraphs, lists, bold, italic, code."""
    blocks = re.split(r"\n\s*\n", text.strip())
    out = []
    for block in blocks:
        lines = block.splitlines()
        if lines and all(_BULLET.match(line) for line in lines):
            items = "".join(
                "<li>" + _inline_markdown(_BULLET.sub("", line)) + "</li>" for line in lines
            )
            out.append(f"<ul>{items}</ul>")
        elif lines and all(_NUMBER.match(line) for line in lines):
            items = "".join(
                "<li>" + _inline_markdown(_NUMBER.sub("", line)) + "</li>" for line in lines
            )
            out.append(f"<ol>{items}</ol>")
        else:
            out.append("<p>" + "<br>".join(_inline_markdown(line) for line in lines) + "</p>")
    return "".join(out)


def plain_to_html(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(
        "<p>" + "<br>".join(html.escape(line, quote=False) for line in p.splitlines()) + "</p>"
        for p in paragraphs
        if p.strip()
    )


def to_html(text: str, fmt: str = "plain") -> SafeString:
    if fmt == "html":
        return mark_safe(sanitise_html(text))  # noqa: S308 - sanitised above
    if fmt == "markdown":
        return mark_safe(markdown_to_html(text))  # noqa: S308 - escaped while converting
    return mark_safe(plain_to_html(text))  # noqa: S308 - escaped while converting
