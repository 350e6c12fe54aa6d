"""Reading rendered HTML in tests: which assets a page loads, and from where."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Attributes through which a page makes the browser fetch something.
FETCHING = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src"],
    "form": ["action"],
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")
ARABIC = re.compile(r"[\u0600-\u06FF]")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in FETCHING.get(tag, []):
            value = values.get(name)
            if value:
                if name == "srcset":
                    self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
                else:
                    self.urls.append(value)
        if values.get("style"):
            self.urls += CSS_URL.findall(values["style"])
        self.in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.urls += CSS_URL.findall(data)


def fetched_urls(html: str) -> list[str]:
    """Every URL the page makes a browser load (scripts, styles, images, frames, forms)."""
    collector = _Collector()
    collector.feed(html)
    return collector.urls


def foreign_urls(html: str, host: str = "testserver") -> list[str]:
    """The fetched URLs that point anywhere but ``host`` (relative URLs are same-origin)."""
    foreign = []
    for url in fetched_urls(html):
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):
            continue
        if parts.netloc and parts.netloc != host:
            foreign.append(url)
    return foreign
