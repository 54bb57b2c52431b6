"""Lua syntax highlighting for the prompt (Pygments' LuaLexer)."""

from __future__ import annotations

from prompt_toolkit.lexers import Lexer, PygmentsLexer


def lua_lexer() -> Lexer:
    """A prompt_toolkit lexer colouring Lua as Pygments does."""
    from pygments.lexers.scripting import LuaLexer

    return PygmentsLexer(LuaLexer)
