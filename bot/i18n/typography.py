"""OQLF typography for French text, applied when a message is rendered, not by hand in each string.

- a non-breaking space (U+00A0) before « : » and inside « »;
- no space at all before ; ! ? (Québec usage: the thin space is optional and Discord renders a
  regular one as a line-break opportunity, so none is the safe choice);
- « no » for « numéro », never the degree sign « n° ».

Only the catalog's own text goes through these rules: user text (questions, notes, names) is
inserted afterwards, untouched. See docs/fr-style.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

NBSP = "\u00a0"
_SPACES = "[ \u00a0\u202f]"
# A colon that ends a label or a clause (followed by a space, the end, or Markdown emphasis),
# not the colon of https://, 12:00, HH:MM or <t:…:F>.
_COLON = re.compile(rf"(?<=[^\s]){_SPACES}?:(?=[\s*_]|$)")
_OPENING = re.compile(rf"«{_SPACES}*")
_CLOSING = re.compile(rf"{_SPACES}*»")
_TIGHT = re.compile(rf"{_SPACES}+([;!?])")
_NUMERO = re.compile(r"\b[Nn]°")


@lru_cache(maxsize=4096)
def french(text: str) -> str:
    """`Quand: « x » !` → `Quand\u00a0: «\u00a0x\u00a0»!`"""
    text = _NUMERO.sub(lambda m: "no" if m[0][0] == "n" else "No", text)
    text = _COLON.sub(NBSP + ":", text)
    text = _OPENING.sub("«" + NBSP, text)
    text = _CLOSING.sub(NBSP + "»", text)
    return _TIGHT.sub(r"\1", text)
