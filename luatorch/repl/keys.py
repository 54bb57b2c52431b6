"""Key bindings: Enter runs a complete chunk or opens a continuation line, Tab indents or
completes, F2 switches the timing line."""

from __future__ import annotations

from typing import Any

from prompt_toolkit.filters import Condition, has_completions, has_selection
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys

from .session import is_complete

INDENT = "   "  # Torch style: three spaces


def split_paste(before: str, data: str, after: str) -> list[str]:
    """The lines a paste of ``data`` into ``before|after`` amounts to (CR LF and CR as LF); the
    last one is what stays in the input line, unfinished."""
    text = before + data.replace("\r\n", "\n").replace("\r", "\n") + after
    return text.split("\n")


def should_accept(rt: Any, text: str) -> bool:
    """Enter accepts the buffer when the chunk is complete, or when the user ends an
    unfinished multi-line chunk with an empty line (th gives up on it then)."""
    if not text.strip():
        return True
    if is_complete(rt, text):
        return True
    lines = text.split("\n")
    return len(lines) > 1 and not lines[-1].strip()


def repl_key_bindings(session: Any) -> KeyBindings:
    """The REPL's bindings on top of prompt_toolkit's Emacs defaults."""
    kb = KeyBindings()

    @Condition
    def at_line_start() -> bool:
        from prompt_toolkit.application import get_app

        doc = get_app().current_buffer.document
        return not doc.current_line_before_cursor.strip()

    @kb.add("enter", filter=~has_selection)
    def _enter(event: KeyPressEvent) -> None:
        buf = event.current_buffer
        state = buf.complete_state
        if state and state.current_completion:
            buf.apply_completion(state.current_completion)
            return
        doc = buf.document
        if doc.is_cursor_at_the_end and should_accept(session.rt, buf.text):
            buf.validate_and_handle()
            return
        # keep the indentation of the line above
        indent = doc.current_line[: len(doc.current_line) - len(doc.current_line.lstrip())]
        buf.insert_text("\n" + indent)

    @kb.add("escape", "enter")
    def _force_accept(event: KeyPressEvent) -> None:
        event.current_buffer.validate_and_handle()

    @kb.add("tab", filter=at_line_start & ~has_completions)
    def _indent(event: KeyPressEvent) -> None:
        event.current_buffer.insert_text(INDENT)

    @kb.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        # trepl read a paste through readline one line at a time: lines run as typed.
        # A single-line paste is plain insertion.
        data = event.data
        buf = event.current_buffer
        if "\n" not in data and "\r" not in data:
            buf.insert_text(data)
            return
        doc = buf.document
        lines = split_paste(doc.text_before_cursor, data, doc.text_after_cursor)
        # the first line is accepted as if Enter was pressed; the others wait in the session
        session.pasted = lines[1:]
        buf.text = lines[0]
        buf.validate_and_handle()

    @kb.add("f2")
    def _toggle_timing(event: KeyPressEvent) -> None:
        session.timing = not session.timing
        event.app.invalidate()

    return kb
