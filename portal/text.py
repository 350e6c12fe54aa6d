"""Text people type, made safe to store and show.

What is removed, on every write path (form, API, admin, service, import):

* C0 and C1 control characters (an ESC sequence in a name reaches terminals through
  the console mail log, a NUL cannot be stored); single-line text also loses tabs and
  line breaks, multi-line text keeps ``\\n`` and ``\\t`` (``\\r\\n`` becomes ``\\n``);
* bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069):
  they reorder what a reader sees (a name that reads as another, a file name whose
  extension is reversed); the pages isolate user text themselves;
* invisible characters at the start and end (zero-width spaces and joiners, word
  joiner, BOM, left-to-right and right-to-left marks) of the text and of each of
  its lines, with the spaces around the whole.

Inside the text, zero-width joiners and non-joiners and the direction marks stay:
Arabic and Persian writing uses them.
"""

import re

_C0_C1 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_DROP = re.compile(f"[{_C0_C1}{_BIDI}]")
_SINGLE_LINE_SPACE = re.compile(r"[\t\n\r]+")
_EDGE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def clean_text(value, *, multiline: bool = False):
    """``value`` without control, bidi-override and edge-invisible characters (see the
    module's docstring). Anything that is not a ``str`` is returned unchanged."""
    if not isinstance(value, str):
        return value
    if multiline:
        text = value.replace("\r\n", "\n").replace("\r", "\n")
        text = _DROP.sub("", text)
        text = "\n".join(line.strip(_EDGE) for line in text.split("\n"))
    else:
        text = _SINGLE_LINE_SPACE.sub(" ", value)
        text = _DROP.sub("", text)
    return text.strip().strip(_EDGE).strip()
