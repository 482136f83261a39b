"""A web page saved as HTML, turned into the Markdown the notes reader splits.

Headings (``<h1>`` to ``<h6>``) become ``#`` headings, blocks (paragraphs, list items,
table cells, line breaks) become lines, and what is not the article is skipped: scripts,
styles, navigation, headers, footers, asides, forms and comment sections::

    >>> page = ('<html><head><title>t</title><style>p{}</style></head><body><nav>홈 | 태그</nav>'
    ...         '<article><h2>DASH</h2><p>적응형 <b>스트리밍</b> 표준</p></article>'
    ...         '<footer>구독하기</footer></body></html>')
    >>> html_to_markdown(page)
    '## DASH\\n\\n적응형 스트리밍 표준'

``looks_like_html`` tells a saved page from Markdown that quotes a tag or two.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

SKIPPED = frozenset("script style noscript nav header footer aside form template svg iframe button select".split())
BLOCKS = frozenset("p div li tr br hr section article blockquote pre ul ol table dd dt figcaption main".split())
_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html[\s>])", re.I)


def looks_like_html(text: str) -> bool:
    """A saved web page: it opens with a doctype or an ``<html>`` tag."""
    return bool(_HTML_START.match(text[:1000]))


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skip = 0  # depth inside skipped elements
        self.heading = 0  # level of the open heading, 0 if none

    def _flush(self):
        text = " ".join("".join(self.line).split())
        if text:
            self.lines.append(("#" * self.heading + " " if self.heading else "") + text)
            self.lines.append("")
        self.line = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.heading = int(tag[1])
        elif tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush()
            self.heading = 0
        elif tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self.skip and self.lasttag != "title":
            self.line.append(data)


def html_to_markdown(text: str) -> str:
    """The article of a saved page as Markdown (see the module docstring)."""
    page = _Page()
    page.feed(text)
    page.close()
    page._flush()
    return html.unescape("\n".join(page.lines).strip())
