"""User text made safe to show: plain, bounded, no control or direction-override marks."""
from __future__ import annotations

import html
import re

#: Enough for any label on screen; a 50 MB label is cut here before it is measured.
MAX_SHOWN = 2000
# Control characters (except tab and newline) and the bidirectional overrides and
# isolates that could make a label read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown(text: str | None, limit: int = MAX_SHOWN) -> str:
    """The text as drawn: unsafe characters replaced by U+FFFD, cut to `limit`."""
    if not text:
        return ""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", cut)


def tooltip(*lines: str | None) -> str:
    """A tooltip that shows user text literally, never as markup."""
    body = "<br>".join(html.escape(shown(line)).replace("\n", "<br>") for line in lines if line)
    return f"<qt>{body}</qt>" if body else ""
