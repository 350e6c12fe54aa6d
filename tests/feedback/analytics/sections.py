"""The dashboard as a browser with a script sees it: the page, then each part it loads
after (htmx, ``hx-get`` on load: its sections, then the evidence and verdict beside
each insight of their lists) put in its place."""

import re
from html import unescape

PLACEHOLDER = re.compile(
    r'<(section|p) class="[^"]*\b(?:dashboard-part|dashboard-card)\b[^"]*"[^>]*?'
    r'\shx-get="([^"]+)"[^>]*>.*?</\1>',
    re.S,
)


def section_urls(html: str) -> list[str]:
    """What the page loads after it, in its order."""
    return [unescape(match.group(2)) for match in PLACEHOLDER.finditer(html)]


def section(client, url: str):
    """A part as the page's script asks for it."""
    return client.get(url, headers={"HX-Request": "true"})


def assembled(client, url: str, **kwargs) -> tuple[int, str]:
    """The page's status and its HTML with every part loaded in place, and the parts
    those load in turn."""
    response = client.get(url, **kwargs)
    html = response.text

    def load(match):
        loaded = section(client, unescape(match.group(2)))
        assert loaded.status_code == 200, (match.group(2), loaded.status_code)
        return loaded.text

    while PLACEHOLDER.search(html):
        html = PLACEHOLDER.sub(load, html)
    return response.status_code, html
