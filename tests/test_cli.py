"""The ``luatorch`` command as th: arguments, flags, errors, goldens (run as a subprocess)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"

CMD = [sys.executable, "-m", "luatorch"]


def run(
    *args: str, stdin: str | None = None, cwd: str | Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    env = dict(os.environ, TREPL_HISTORY=os.devnull)
    return subprocess.run(
        CMD + list(args),
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


def inproc(capsys, monkeypatch, *args: str, cwd: str | Path | None = None) -> tuple[int, str, str]:
    """main() in this process (fast): for behaviour that needs no process of its own."""
    from luatorch.cli import main

    if cwd is not None:
        monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# ------------------------------------------------------------------------------- arguments
def test_arg_table_as_th(tmp_path: Path) -> None:
    write(
        tmp_path / "args.lua",
        (
            "print(arg[0], arg[1], arg[2], #arg)\n"
            "print(type(arg[-1]), arg[-2])\n"
            "print(select('#', ...), ...)\n"
        ),
    )
    r = run("args.lua", "a", "-b", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # arg[0] is the script, the interpreter sits at a negative index, `...` holds the arguments
    assert r.stdout == "args.lua\ta\t-b\t2\t\nstring\tnil\t\n2\ta\t-b\t\n"


def test_options_before_script_go_below_zero(tmp_path: Path) -> None:
    script = write(tmp_path / "s.lua", "print(arg[-2], arg[-1], arg[0])\n")
    r = run("-e", "x = 1", str(script))
    assert r.stdout == f"-e\tx = 1\t{script}\t\n"


def test_flags_after_script_belong_to_it(tmp_path: Path, capsys, monkeypatch) -> None:
    script = write(tmp_path / "s.lua", "print(arg[1], arg[2])\n")
    assert inproc(capsys, monkeypatch, str(script), "-e", "-h") == (0, "-e\t-h\t\n", "")


def test_statement_then_script(tmp_path: Path, capsys, monkeypatch) -> None:
    script = write(tmp_path / "s.lua", "print(x + 1)\n")
    assert inproc(capsys, monkeypatch, "-e", "x = 41", str(script)) == (0, "42\t\n", "")


def test_statements_run_in_order(capsys, monkeypatch) -> None:
    assert inproc(capsys, monkeypatch, "-e", "x = 2", "-e", "print(x * 21)") == (0, "42\t\n", "")


def test_statement_error_exits_1() -> None:
    r = run("-e", "error('bad')")
    assert r.returncode == 1
    assert "[string \"error('bad')\"]:1: bad" in r.stderr
    assert "stack traceback:" in r.stderr


def test_statement_syntax_error(capsys, monkeypatch) -> None:
    code, out, err = inproc(capsys, monkeypatch, "-e", "print(1+")
    assert (code, out) == (1, "")
    assert err == "[string \"print(1+\"]:1: unexpected symbol near '<eof>'\n"


def test_load_library(tmp_path: Path) -> None:
    write(tmp_path / "mylib.lua", "mylib_loaded = 'yes'\nreturn {}\n")
    r = run("-l", "mylib", "-e", "print(mylib_loaded)", cwd=tmp_path)
    assert r.stdout == "yes\t\n"


def test_load_library_joined_form(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path / "mylib2.lua", "mylib2_loaded = 'yes'\nreturn {}\n")
    out = inproc(capsys, monkeypatch, "-lmylib2", "-e", "print(mylib2_loaded)", cwd=tmp_path)
    assert out == (0, "yes\t\n", "")


def test_load_missing_library_is_skipped(tmp_path: Path, capsys, monkeypatch) -> None:
    code, out, _ = inproc(
        capsys, monkeypatch, "-l", "no_such_lib_xyz", "-e", "print('after')", cwd=tmp_path
    )
    assert code == 0
    assert out.startswith("could not load no_such_lib_xyz, skipping\t\n")
    assert "module 'no_such_lib_xyz' not found" in out
    assert out.endswith("after\t\n")


def test_help_and_unknown_flag(capsys, monkeypatch) -> None:
    r = run("-h")
    assert r.returncode == 0 and r.stdout.startswith("Usage: luatorch [options] [script.lua")
    for flag in ("-l name", "-e statement", "-i,--interactive", "-g,--globals", "-gg"):
        assert flag in r.stdout
    code, _, err = inproc(capsys, monkeypatch, "-z")
    assert code == 1 and "unrecognized flag --z" in err  # th's own words, `--` and all


def test_version(capsys, monkeypatch) -> None:
    import lupa

    from luatorch import __version__

    code, out, _ = inproc(capsys, monkeypatch, "--version")
    assert code == 0 and out.startswith(f"luatorch {__version__} (")
    assert f"lupa {lupa.__version__}" in out


def test_script_from_stdin() -> None:
    r = run("-", "a", "b", stdin="print(arg[0], arg[1], ...)\nprint(1 + 1)\n")
    assert r.returncode == 0 and r.stdout == "-\ta\ta\tb\t\n2\t\n"
    r = run("-", stdin="error('from stdin')\n")
    assert r.returncode == 1 and r.stderr.startswith("stdin:1: from stdin")


def test_th_gfx_and_async_flags(capsys, monkeypatch) -> None:
    # th -x without gfx.js says so and goes on; th -a without async stops at the require
    code, out, _ = inproc(capsys, monkeypatch, "-x", "-e", "print(7)")
    assert code == 0
    assert out == "could not load gfx.js, please install with: luarocks install gfx.js\t\n7\t\n"
    code, out, err = inproc(capsys, monkeypatch, "-a", "-e", "print(7)")
    assert code == 1 and err.startswith("module 'async' not found") and "7" not in out


def test_kernel_command_line() -> None:
    kernel = [sys.executable, "-m", "luatorch.kernel"]
    r = subprocess.run(kernel + ["--help"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and r.stdout.startswith("Usage: luatorch-kernel install")
    assert "IPython" not in r.stdout
    r = subprocess.run(kernel, capture_output=True, text=True, check=False, timeout=30)
    assert r.returncode == 2 and "Usage: luatorch-kernel" in r.stdout  # no bare kernel


# ------------------------------------------------------------------------------- errors
def test_script_error_message_traceback_exit_code(tmp_path: Path) -> None:
    script = write(
        tmp_path / "err.lua",
        ("print('before')\nlocal function f(t)\n   return t.x.y\nend\nf({})\n"),
    )
    r = run(script.name, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stdout == "before\t\n"
    first, rest = r.stderr.split("\n", 1)
    assert first == "err.lua:3: attempt to index field 'x' (a nil value)"
    assert rest.startswith("stack traceback:\n")
    assert "err.lua:3: in function 'f'" in rest
    assert "err.lua:5: in main chunk" in rest


def test_torch_error_points_at_script_line(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path / "bad.lua", "local t = torch.Tensor(2, 3)\nlocal u = t:size(7)\n")
    code, _, err = inproc(capsys, monkeypatch, "bad.lua", cwd=tmp_path)
    assert code == 1
    # (a method call: Torch7 counts from the argument after the tensor)
    assert err.startswith("bad.lua:2: bad argument #1 to 'size'")


def test_syntax_error_in_script(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path / "syn.lua", "x = = 1\n")
    code, _, err = inproc(capsys, monkeypatch, "syn.lua", cwd=tmp_path)
    # th's dofile raised it: its stack ends there (th's own lines below name the install)
    dofile = "stack traceback:\n\t[C]: in function 'dofile'\n"
    assert (code, err) == (1, "syn.lua:1: unexpected symbol near '='\n" + dofile)


@pytest.mark.parametrize(
    "raise_, stderr",
    [
        ("error({code = 3})", "(error object is not a string)\n"),  # no stack, as luajit
        ("error(true)", "(error object is not a string)\n"),
        ("error()", ""),  # nil: luajit prints nothing
        (
            "error(setmetatable({}, {__tostring = function() return 'TS' end}))",
            "TS\nstack traceback:\n\t[C]: in function 'error'\n\tobj.lua:2: in main chunk\n"
            "\t[C]: in function 'dofile'\n",
        ),
    ],
)
def test_error_objects_as_luajit_reports_them(tmp_path: Path, capsys, monkeypatch, raise_, stderr):
    write(tmp_path / "obj.lua", "print('x')\n" + raise_ + "\n")
    code, out, err = inproc(capsys, monkeypatch, "obj.lua", cwd=tmp_path)
    assert (code, out, err) == (1, "x\t\n", stderr)


def test_missing_script() -> None:
    r = run("does_not_exist.lua")
    assert r.returncode == 1
    assert "cannot open does_not_exist.lua" in r.stderr


def test_os_exit_keeps_output(tmp_path: Path) -> None:
    script = write(tmp_path / "ex.lua", "print('bye')\nos.exit(3)\nprint('never')\n")
    r = run(str(script))
    assert (r.returncode, r.stdout) == (3, "bye\t\n")


def test_ctrl_c_stops_a_jit_loop(tmp_path: Path) -> None:
    script = write(
        tmp_path / "loop.lua", "print('started')\nlocal x = 0\nwhile true do x = x + 1 end\n"
    )
    p = subprocess.Popen(
        CMD + [str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert p.stdout is not None
    assert p.stdout.readline() == "started\t\n"
    time.sleep(0.2)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    assert p.returncode == 130
    assert "interrupted!" in err


# ------------------------------------------------------------------------------- paths, globals
def test_script_dir_on_package_path(tmp_path: Path, capsys, monkeypatch) -> None:
    sub = tmp_path / "proj"
    sub.mkdir()
    write(sub / "helper.lua", "return {answer = 42}\n")
    script = write(sub / "main.lua", "local h = require 'helper'\nprint(h.answer)\n")
    # cwd is not the script's folder
    assert inproc(capsys, monkeypatch, str(script), cwd=tmp_path) == (0, "42\t\n", "")


def test_relative_require(tmp_path: Path, capsys, monkeypatch) -> None:
    sub = tmp_path / "pkg"
    sub.mkdir()
    write(sub / "util.lua", "return {name = 'util'}\n")
    script = write(tmp_path / "main.lua", "print(require('./pkg/util').name)\n")
    assert inproc(capsys, monkeypatch, str(script), cwd="/") == (0, "util\t\n", "")


def test_th_globals_exist_in_scripts(capsys, monkeypatch) -> None:
    code, out, _ = inproc(
        capsys, monkeypatch, "-e", "print(type(who), type(import), type(monitor_G), type(_RESULTS))"
    )
    assert out == "function\tfunction\tfunction\ttable\t\n"


def test_globals_warning(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path / "g.lua", "local a = 1\nnewglobal = 2\nprint(newglobal)\n")
    code, out, _ = inproc(capsys, monkeypatch, "-g", "g.lua", cwd=tmp_path)
    assert (code, out) == (0, "created global variable: newglobal @ g.lua:2\t\n2\t\n")


def test_globals_strict(tmp_path: Path, capsys, monkeypatch) -> None:
    write(tmp_path / "g.lua", "local a = 1\nnewglobal = 2\nprint('unreached')\n")
    code, out, err = inproc(capsys, monkeypatch, "-gg", "g.lua", cwd=tmp_path)
    assert (code, out) == (1, "")
    assert err.startswith("g.lua:2: created global variable: newglobal")


# ------------------------------------------------------------------------------- REPL entry
def test_interactive_after_script_with_piped_stdin(tmp_path: Path) -> None:
    script = write(tmp_path / "s.lua", "y = 6 * 7\n")
    r = run("-i", str(script), stdin="y\n")
    assert r.returncode == 0
    assert "th> y\n42\t\n" in r.stdout
    assert r.stdout.endswith("th> Do you really want to exit ([y]/n)? \t\n")


def test_piped_repl_matches_th_transcript() -> None:
    """The tutorial cells piped into the REPL print what th printed (timings aside)."""
    cells = [
        line
        for line in (GOLDEN / "tutorial_cells.lua").read_text().split("\n")
        if line and not line.startswith("--")
    ]
    stdin = "torch.manualSeed(42)\n\n" + "\n".join(cells) + "\n"
    r = run(stdin=stdin)
    assert r.returncode == 0, r.stderr

    def mask(s: str) -> str:
        return re.sub(r"\[\d+\.\d{4}s\]", "[T]", s)

    assert mask(r.stdout) == mask((GOLDEN / "tutorial_th_repl.out").read_text())


def test_piped_multiline_chunk() -> None:
    r = run("--no-timing", stdin="for i = 1, 2 do\nprint(i)\nend\n")
    assert "th> for i = 1, 2 do\n..> print(i)\n..> end\n1\t\n2\t\n" in r.stdout


# ------------------------------------------------------------------------------- goldens
@pytest.mark.parametrize("name", ["tutorial", "rng", "print"])
def test_golden_script_output(name: str) -> None:
    r = run(str(GOLDEN / f"{name}.lua"), cwd=GOLDEN)
    assert r.stderr == ""
    assert r.stdout == (GOLDEN / f"{name}.out").read_text()
    assert r.returncode == 0


def test_script_path_does_not_import_prompt_toolkit() -> None:
    code = (
        "import sys\nfrom luatorch.cli import main\n"
        "assert main(['-e', 'x = 1']) == 0\n"
        "print('prompt_toolkit' in sys.modules, 'pygments' in sys.modules)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.stdout == "False False\n", r.stderr
