"""Our own documentation: every torch function and nn module has an entry, and help, `?name`,
completion and the notebook inspector show it."""

from __future__ import annotations

import pytest

from luatorch.repl import completer, docs, thenv
from luatorch.repl.session import Session
from luatorch.runtime import Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    out: list[str] = []
    rt = Runtime(write=out.append)
    rt.out = out  # type: ignore[attr-defined]
    thenv.install(rt)
    rt.execute("require 'nn'; optim = require 'optim'")
    return rt


def undocumented(rt: Runtime, package: str) -> list[str]:
    """The public names of a package (functions and classes) without documentation."""
    missing = rt.execute(
        """
        local pkg, missing = _G[...], {}
        for k, v in pairs(pkg) do
           local public = type(k) == 'string' and not k:find('^_')
           if public and (type(v) == 'function' or type(v) == 'table') and not torch._doc(v) then
              missing[#missing + 1] = k
           end
        end
        table.sort(missing)
        return table.concat(missing, ' ')
        """,
        "=test",
        package,
    )[0]
    return missing.split()


@pytest.mark.parametrize("package", ["torch", "nn", "optim"])
def test_every_public_name_is_documented(rt: Runtime, package: str) -> None:
    assert undocumented(rt, package) == []


def test_every_entry_names_something_and_says_something() -> None:
    for name, entry in docs.entries().items():
        assert entry.text, name
        assert entry.summary and len(entry.summary) < 120, name


def test_help_shows_documentation_not_wrappers(rt: Runtime) -> None:
    out = rt.out  # type: ignore[attr-defined]
    session = Session(rt, timing=False)
    for line, first in [
        ("?torch.randn", "torch.randn([res,] [gen,] sizes...)"),
        ("?torch.mm", "torch.mm([res,] mat1, mat2)"),
        ("help(nn.Linear)", "nn.Linear(inputSize, outputSize, [bias])"),
        ("help(nn.Linear(2, 3))", "nn.Linear(inputSize, outputSize, [bias])"),  # an instance
        ("help(torch.randn(2).narrow)", "torch.narrow(x, dim, index, size)"),  # a method
    ]:
        out.clear()
        session.run(line)
        text = "".join(out)
        assert text.startswith(first), (line, text)
        assert ".lua:" not in text
    out.clear()
    session.run("help(torch._sizestr)")  # internal and undocumented: dok's words
    assert "".join(out) == "undocumented symbol\t\n"
    out.clear()
    session.run("function mine(a) return a end")
    session.run("help(mine)")  # the user's own function: where it is defined
    assert "".join(out).startswith("function defined at ")


def test_completion_details_show_the_summary(rt: Runtime) -> None:
    (c,) = completer.candidates(rt, "torch.rand")[1:2]
    assert c.text == "randn" and c.doc.startswith("Normally distributed random numbers")
    rt.execute("hx = torch.zeros(2)")
    (m,) = completer.candidates(rt, "hx:fil")
    assert m.text == "fill" and m.doc == "Sets every element of x to value"
