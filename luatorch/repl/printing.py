"""What the REPL itself prints: th's banner, the per-command timing line, the `?` help text.

The plain (uncoloured) forms are byte for byte what th prints when its output is not a terminal
(see golden/tutorial_th_repl.out); on a terminal th colours them and so do we.
"""

from __future__ import annotations

_NONE = "\x1b[0m"
_BLACK = "\x1b[1;30m"  # th's "Black": bold dark grey
_MAGENTA = "\x1b[0;35m"
_BLUE = "\x1b[0;34m"
_RED = "\x1b[0;31m"

_LOGO = [
    "  ______             __   ",
    " /_  __/__  ________/ /   ",
    "  / / / _ \\/ __/ __/ _ \\  ",
    " /_/  \\___/_/  \\__/_//_/  ",
    "                          ",
]


def _c(color: str, text: str, on: bool) -> str:
    return color + text + _NONE if on else text


def banner(color: bool = False, globals_warning: bool = False) -> str:
    """th's start-up banner, as its print() writes it (a tab before the final newline)."""
    right = [
        _c(_BLACK, "|  Torch7", color),
        _c(_BLACK, "|  ", color) + _c(_MAGENTA, "Scientific computing for Lua.", color),
        _c(_BLACK, "|  Type ? for help", color),
        _c(_BLACK, "|  ", color) + _c(_BLUE, "https://github.com/torch", color),
        _c(_BLACK, "|  ", color) + _c(_BLUE, "http://torch.ch", color),
    ]
    text = " \n" + "".join(left + r + " \n" for left, r in zip(_LOGO, right, strict=True)) + "\t\n"
    if globals_warning:
        text += (
            _c(_RED, "WARNING: ", color)
            + _c(_BLACK, "global monitoring is on.\n", color)
            + _c(
                _BLACK,
                "This is typically not a good idea when running a live interpreter.\n",
                color,
            )
            + "\t\n"
        )
    return text


def timing_line(seconds: float, color: bool = False) -> str:
    """th's `[0.0001s]` line: 70 spaces, the time, and print()'s trailing tab."""
    return " " * 70 + _c(_BLACK, f"[{seconds:0.4f}s]", color) + "\t\n"


def selfhelp(color: bool = False) -> str:
    """The text a bare `?` prints."""

    def m(s: str) -> str:
        return _c(_MAGENTA, s, color)

    return (
        "\n".join(
            [
                "",
                "  ______             __",
                " /_  __/__  ________/ /",
                "  / / / _ \\/ __/ __/ _ \\",
                " /_/  \\___/_/  \\__/_//_/",
                "",
                _c(_RED, "luatorch", color)
                + " is Torch7's th interpreter, running on LuaJIT inside Python.",
                "",
                _c(_BLUE, "Features:", color),
                "",
                "   Tab completion of globals, nested fields ("
                + m("nn.Lin<Tab>")
                + "), methods ("
                + m("x:<Tab>")
                + ")",
                "   and file names inside strings",
                "   Results are kept in " + m("_RESULTS") + ", the last one in " + m("_LAST"),
                "   Expressions print their value; a trailing " + m(";") + " stops that",
                "   Every command is timed (" + m("F2") + " switches the timing line on and off)",
                "   Help on a function, class or object: "
                + m("? torch.randn")
                + ", "
                + m("? nn.Linear"),
                "   Shell commands: "
                + m("$ ls -l")
                + " (the output is also in "
                + m("_LAST")
                + ")",
                "   All user globals: " + m("who()"),
                "   Import a package's symbols globally: " + m("import 'torch'"),
                "   Relative require from a file: " + m("require './local/lib'"),
                "   Clear the screen: "
                + m("<Ctrl> L")
                + ";  interrupt a running command: "
                + m("<Ctrl> C"),
                "   Quit: " + m("<Ctrl> D") + " or " + m("exit"),
                "",
            ]
        )
        + "\t\n"
    )
