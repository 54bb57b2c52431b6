"""Our own short documentation of Torch's functions and modules, for ``help``, ``?name``,
completion details and the notebook inspector.

The text lives in ``luatorch/doc/*.txt``: an entry is one or more ``@ signature`` lines followed
by its description; ``#`` lines are comments. A signature's leading name is the key:
``torch.randn``, ``nn.Linear``, or ``t:add`` for a method of every tensor type. Parsed on first
use, so scripts that never ask for help never read the files.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

DOC_DIR = Path(__file__).resolve().parent.parent / "doc"
_NAME = re.compile(r"[A-Za-z_][\w.:]*")


@dataclass(frozen=True)
class Entry:
    """The documentation of one function or module: its calling forms and what it does."""

    signatures: tuple[str, ...]
    text: str

    @property
    def summary(self) -> str:
        """The description's first sentence, for one-line displays."""
        first = self.text.split("\n", 1)[0]
        return first.split(". ", 1)[0].rstrip(".")

    def render(self) -> str:
        return "\n".join(self.signatures) + "\n\n" + self.text


def parse(text: str) -> list[Entry]:
    """The entries of one documentation file."""
    out: list[Entry] = []
    signatures: list[str] = []
    body: list[str] = []

    def close() -> None:
        if signatures:
            out.append(Entry(tuple(signatures), "\n".join(body).strip()))

    previous_was_signature = False
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.startswith("@ "):
            if not previous_was_signature:
                close()
                signatures, body = [], []
            signatures.append(line[2:].strip())
            previous_was_signature = True
        else:
            body.append(line)
            previous_was_signature = False
    close()
    return out


@functools.cache
def entries() -> dict[str, Entry]:
    """Every documented name, from every file in DOC_DIR."""
    index: dict[str, Entry] = {}
    for path in sorted(DOC_DIR.glob("*.txt")):
        for entry in parse(path.read_text(encoding="utf-8")):
            for sig in entry.signatures:
                m = _NAME.match(sig)
                if m:
                    index.setdefault(m.group(0), entry)
    return index


def lookup(name: str) -> Entry | None:
    """The entry documenting ``name`` (``torch.randn``, ``nn.Linear``, ``t:add``), or None.

    A tensor method without an entry of its own shares the function's: ``t:add`` is
    documented by ``torch.add``."""
    index = entries()
    found = index.get(name)
    if found is None and name.startswith("t:"):
        found = index.get("torch." + name[2:])
    return found
