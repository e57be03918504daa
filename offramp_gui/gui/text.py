"""User text made safe to show: plain, bounded, no control or direction-override marks."""
from __future__ import annotations

import html
import re

#: Enough for any label on screen; a 50 MB label is cut here before it is measured.
MAX_SHOWN = 2000
# Control characters (except tab and newline) and the bidirectional overrides and
# isolates that could make a label read differently from what it holds.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = {ord("\n"): "\N{REPLACEMENT CHARACTER}", ord("\t"): "\N{REPLACEMENT CHARACTER}"}
#: What XML 1.0 forbids: control characters but tab, newline and carriage return, lone
#: surrogates, U+FFFE and U+FFFF. An SVG or a PDF's metadata holding one is unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def shown(text: str | None, limit: int = MAX_SHOWN) -> str:
    """The text as drawn: unsafe characters replaced by U+FFFD, cut to `limit`."""
    if not text:
        return ""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", cut)


def shown_line(text: str | None, limit: int = MAX_SHOWN) -> str:
    """As `shown`, kept on one line (a window title, the status line): line breaks and
    tabs are replaced too."""
    return shown(text, limit).translate(_BREAKS)


def xml_text(text: str) -> str:
    """The text with each character XML forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", text)


def xml_document(data: bytes) -> bytes:
    """An XML document as Qt wrote it (in UTF-8), with what XML forbids replaced.

    Qt escapes markup in the text it writes, but not these characters.
    """
    return xml_text(data.decode("utf-8", "replace")).encode("utf-8")


def tooltip(*lines: str | None) -> str:
    """A tooltip that shows user text literally, never as markup."""
    body = "<br>".join(html.escape(shown(line)).replace("\n", "<br>") for line in lines if line)
    return f"<qt>{body}</qt>" if body else ""
