"""Untrusted text (article text, titles, file names, stored values) made safe to show.

On a terminal a control character is an instruction (an escape sequence moves the cursor, recolours or rewrites
what was printed) and a bidirectional control reorders what follows it (U+202E shows `2024-04-10` as
`01-40-4202`): both are printed as visible escapes. In HTML the page isolates such text instead (see
`report.html`); values that must read as they are (ids, dates, offsets) lose their bidi controls.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# C0 controls, DEL, C1 controls (CSI U+009B starts an escape sequence on its own), line and paragraph separators,
# and the bidi controls.
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]")
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m[0]
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def escape_controls(text: str, keep: str = "") -> str:
    """`text` with every control and bidi character written as a visible escape (`\\x1b`, `\\n`, `\\u202e`),
    except the characters in `keep` (e.g. "\\n\\t" for text laid out in lines)."""
    if keep:
        return _CONTROLS.sub(lambda m: m[0] if m[0] in keep else _escape(m), text)
    return _CONTROLS.sub(_escape, text)


def strip_bidi(value: object) -> str:
    """`value` as text without bidi controls: for ids, dates and offsets, which must read as they are."""
    return _BIDI.sub("", "" if value is None else str(value))


def json_safe(text: str) -> str:
    """JSON text with the characters JSON leaves raw but a terminal obeys (C1 controls, bidi controls, line
    separators) written as `\\uXXXX` escapes: the same JSON value, safe to print."""
    return re.sub(f"[\x7f-\x9f\u2028\u2029{BIDI_CONTROLS}]", lambda m: f"\\u{ord(m[0]):04x}", text)
