"""Markdown from trainers, rendered to HTML that is safe to show.

``markdown`` renders; ``nh3`` (the Rust ``ammonia`` sanitiser) keeps only the tags
and attributes below. Nothing else is ever marked safe. Images are not allowed: a
page must load nothing from another host, and content is text.
"""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th",
    "td", "a", "abbr", "dl", "dt", "dd", "sup", "sub",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["tables", "sane_lists", "def_list", "abbr"]


def render(text: str) -> SafeString:
    """``text`` (Markdown) as sanitised HTML. Headings start at level 2: the page
    has its own ``h1``."""
    html = md.markdown(text or "", extensions=EXTENSIONS, output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    clean = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 -- sanitised by nh3 just above
