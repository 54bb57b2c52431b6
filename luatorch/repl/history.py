"""History in GNU readline's file format (one entry a line), the file th reads and writes."""

from __future__ import annotations

import os
from collections.abc import Iterable

from prompt_toolkit.history import History


class ReadlineHistory(History):
    """``~/.luahistory`` shared with th: plain lines, oldest first.

    A multi-line chunk is written line by line, as readline writes it, so th and luatorch can
    share the file; in the running session it stays one entry.
    """

    def __init__(self, filename: str) -> None:
        self.filename = filename
        super().__init__()

    def load_history_strings(self) -> Iterable[str]:
        try:
            with open(self.filename, encoding="utf-8", errors="replace") as f:
                lines = [line.rstrip("\n") for line in f]
        except OSError:
            return []
        out: list[str] = []
        for line in reversed(lines):  # prompt_toolkit wants the newest first
            if line.strip() and (not out or out[-1] != line):
                out.append(line)
        return out

    def store_string(self, string: str) -> None:
        if not string.strip():
            return
        try:
            directory = os.path.dirname(self.filename)
            if directory:
                os.makedirs(directory, exist_ok=True)
            with open(self.filename, "a", encoding="utf-8") as f:
                f.write(string.rstrip("\n") + "\n")
        except OSError:
            pass  # a read-only home must not break the REPL
