"""The dashboard as a browser with a script sees it: the page, then each section it
loads after (htmx, ``hx-get`` on load) put in its place."""

import re
from html import unescape

PLACEHOLDER = re.compile(
    r'<section class="card dashboard-part"[^>]*\shx-get="([^"]+)".*?</section>', re.S
)


def section_urls(html: str) -> list[str]:
    """The sections the page loads after it, in their order."""
    return [unescape(url) for url in PLACEHOLDER.findall(html)]


def section(client, url: str):
    """A section as the page's script asks for it."""
    return client.get(url, headers={"HX-Request": "true"})


def assembled(client, url: str, **kwargs) -> tuple[int, str]:
    """The page's status and its HTML with every section loaded in place."""
    response = client.get(url, **kwargs)
    html = response.text

    def load(match):
        loaded = section(client, unescape(match.group(1)))
        assert loaded.status_code == 200, (match.group(1), loaded.status_code)
        return loaded.text

    return response.status_code, PLACEHOLDER.sub(load, html)
