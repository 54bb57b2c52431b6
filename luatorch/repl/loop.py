"""The REPL loops: a prompt_toolkit terminal front end, and th's plain mode for piped input.

Piped mode (stdin not a terminal) behaves as th under readline: each line is echoed after its
prompt, results and timings follow, and end of input asks th's exit question.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import IO, Any

from . import printing
from .session import Session, is_complete

PROMPT = "th> "
CONTINUATION = "..> "
EXIT_QUESTION = "Do you really want to exit ([y]/n)? "


def history_path() -> str:
    """th's history file: $TREPL_HISTORY, else ~/.luahistory."""
    env = os.environ.get("TREPL_HISTORY")
    if env:
        return env
    return os.path.join(os.path.expanduser("~"), ".luahistory")


def _use_color() -> bool:
    from . import thenv

    return (
        thenv.colors_enabled
        and sys.stdout.isatty()
        and os.environ.get("TERM", "") != "dumb"
        and "NO_COLOR" not in os.environ
    )


def _timing_default(timing: bool) -> bool:
    # LUATORCH_TIMING=0 turns the timing line off without a flag (for example in notebooks)
    return timing and os.environ.get("LUATORCH_TIMING", "1") not in ("0", "off", "false")


def run_repl(
    rt: Any, timing: bool = True, globals_warning: bool = False, stdin: IO[str] | None = None
) -> int:
    """Start th's REPL on ``rt``: prompt_toolkit on a terminal, th's plain mode otherwise."""
    stdin = stdin or sys.stdin
    if stdin.isatty() and sys.stdout.isatty():
        return run_terminal(rt, timing=_timing_default(timing), globals_warning=globals_warning)
    session = Session(rt, timing=_timing_default(timing), color=False)
    return run_piped(session, stdin.readline, globals_warning=globals_warning)


def run_piped(session: Session, readline: Callable[[], str], globals_warning: bool = False) -> int:
    """th without prompt editing: echo each line after its prompt, print results and timings."""
    write = session.write
    write(printing.banner(False, globals_warning))

    def read(prompt: str) -> str | None:
        write(prompt)
        _flush()
        line = readline()
        if not line:
            return None
        line = line.rstrip("\n").rstrip("\r")
        write(line + "\n")
        return line

    while True:
        line = read(PROMPT)
        if line is None or line == "exit":
            write(EXIT_QUESTION)
            _flush()
            answer = readline()
            if not answer:
                session._print("")
                _flush()
                return 0
            if answer.strip().lower() in ("", "y"):
                return 0
            continue
        if line == "break":
            return 0
        while not is_complete(session.rt, line):
            more = read(CONTINUATION)
            if not more:
                break
            line += "\n" + more
        session.run(line)
        _flush()


def _flush() -> None:
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        pass


def run_terminal(rt: Any, timing: bool = True, globals_warning: bool = False) -> int:
    """The interactive REPL on prompt_toolkit: highlighting, completion, history, toolbar."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import ANSI
    from prompt_toolkit.styles import Style

    from .completer import LuaCompleter
    from .history import ReadlineHistory
    from .keys import repl_key_bindings
    from .lexer import lua_lexer

    color = _use_color()
    session = Session(rt, timing=timing, color=color)
    session.write(printing.banner(color, globals_warning))
    _flush()
    style = Style.from_dict({"bottom-toolbar": "noreverse bg:#303030 #a0a0a0"})
    prompt = PromptSession(
        message=ANSI("\x1b[0;32mth>\x1b[0m ") if color else PROMPT,
        prompt_continuation=lambda width, line_number, wrap_count: CONTINUATION,
        multiline=True,
        lexer=lua_lexer(),
        completer=LuaCompleter(rt),
        complete_while_typing=False,
        history=ReadlineHistory(history_path()),
        key_bindings=repl_key_bindings(session),
        bottom_toolbar=session.toolbar_text,
        style=style,
        include_default_pygments_style=True,
        enable_open_in_editor=True,
    )
    prompt_text = "\x1b[0;32mth>\x1b[0m " if color else PROMPT
    while True:
        # a paste of several lines (keys.py) runs line by line, as typed: its last line stays
        # in the input, unfinished
        if len(session.pasted) > 1:
            line = _next_pasted(session, session.pasted.pop(0), prompt_text)
        else:
            default = session.pasted.pop() if session.pasted else ""
            try:
                line = prompt.prompt(default=default)
            except KeyboardInterrupt:
                session.pasted = []
                continue  # Ctrl-C cancels the line being typed
            except EOFError:
                line = None
            if session.pasted:
                line = _next_pasted(session, line, None)
        if line is None or line.strip() == "exit":
            if _confirm_exit(session):
                return 0
            continue
        if line.strip() == "break":
            return 0
        session.run(line)
        _flush()


def _next_pasted(session: Session, line: str, prompt_text: str | None) -> str:
    """A chunk of a paste starting with ``line`` (echoed after the prompt unless already on
    screen), plus the pasted lines that continue it while it is unfinished (an empty line ends
    it, as in th). The paste's last line is never taken: it stays in the input."""
    if prompt_text is not None:
        session.write(prompt_text + line + "\n")
    pending = session.pasted
    while len(pending) > 1 and not is_complete(session.rt, line) and line.split("\n")[-1].strip():
        more = pending.pop(0)
        session.write(CONTINUATION + more + "\n")
        line += "\n" + more
    return line


def _confirm_exit(session: Session) -> bool:
    """th's question on Ctrl-D: empty answer or y exits; Ctrl-D again exits too."""
    try:
        answer = input(EXIT_QUESTION)
    except EOFError:
        session._print("")
        return True
    except KeyboardInterrupt:
        sys.stdout.write("\n")
        return False
    return answer.strip().lower() in ("", "y")
