"""The Jupyter kernel: rich-output backend (no Jupyter needed), the protocol through a live
kernel (execute, errors, interrupt, streaming, complete, inspect, is_complete), the tutorial
notebook run by nbclient against real Torch7's outputs, and jupyter_kernel_test's checks."""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from luatorch.kernel import display
from luatorch.runtime import LuaError, Runtime

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NOTEBOOKS = Path(__file__).resolve().parents[2] / "luatorch" / "notebooks"
NOTEBOOK = NOTEBOOKS / "tutorial.ipynb"


def _have(*mods: str) -> bool:
    import importlib

    try:
        for m in mods:
            importlib.import_module(m)
    except ImportError:
        return False
    return True


needs_jupyter = pytest.mark.skipif(
    not _have("ipykernel", "jupyter_client"), reason="ipykernel/jupyter_client not installed"
)
needs_nbclient = pytest.mark.skipif(
    not _have("ipykernel", "nbclient", "nbformat"), reason="nbclient/nbformat not installed"
)


def decode_png(data: bytes) -> np.ndarray:
    """A minimal PNG reader (8-bit grey/RGB, filter 0 only: what png_bytes writes without Pillow
    uses; Pillow's files are read with Pillow)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        crc = struct.unpack(">I", data[pos + 8 + n : pos + 12 + n])[0]
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            w, h, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    channels = 3 if colour == 2 else 1
    raw = np.frombuffer(zlib.decompress(idat), np.uint8).reshape(h, 1 + w * channels)
    assert (raw[:, 0] == 0).all()
    px = raw[:, 1:]
    return px.reshape(h, w, 3) if channels == 3 else px


def png_size(data: bytes) -> tuple[int, int]:
    w, h = struct.unpack(">II", data[16:24])
    return w, h


# ------------------------------------------------------------------ backend, no Jupyter
def test_png_without_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL fails: the zlib writer runs
    grey = (np.arange(12, dtype=np.uint8) * 20).reshape(3, 4)
    assert (decode_png(display.png_bytes(grey)) == grey).all()
    rgb = np.random.default_rng(0).integers(0, 256, (5, 2, 3)).astype(np.uint8)
    assert (decode_png(display.png_bytes(rgb)) == rgb).all()


@pytest.fixture()
def shown() -> Iterator[tuple[Runtime, list]]:
    out: list[str] = []
    published: list[tuple] = []
    rt = Runtime(write=out.append)
    display.install(rt, lambda data, meta, did, update: published.append((data, meta, did, update)))
    rt.execute("itorch = require 'itorch'")
    yield rt, published


def test_itorch_image_values(shown: tuple[Runtime, list]) -> None:
    rt, published = shown
    # 1x2x3 image in [0, 1]: toDisplayTensor's min-max leaves 0..1 data as is
    rt.execute("itorch.image(torch.Tensor{{{0, 0.5, 1}, {1, 0.25, 0}}})")
    data, meta, _, update = published[-1]
    png = base64.b64decode(data["image/png"])
    assert png_size(png) == (3, 2) and meta["image/png"] == {"width": 3, "height": 2}
    assert not update
    try:
        import io

        from PIL import Image

        px = np.asarray(Image.open(io.BytesIO(png)))
    except ImportError:
        px = decode_png(png)
    assert px.tolist() == [[0, 128, 255], [255, 64, 0]]


def test_itorch_image_table_grid_and_errors(shown: tuple[Runtime, list]) -> None:
    rt, published = shown
    rt.execute("itorch.image({torch.rand(3, 4, 5), torch.rand(3, 4, 5)})")  # padding 2 as iTorch
    png = base64.b64decode(published[-1][0]["image/png"])
    assert png_size(png) == (14, 6)
    with pytest.raises(LuaError) as e:
        rt.execute("itorch.image(42)", "=cell")
    assert e.value.message == "cell:1: unhandled type in itorch.image:number"
    with pytest.raises(LuaError) as e:
        rt.execute("itorch.image(torch.rand(2, 3, 4, 5, 6))", "=cell")
    assert e.value.message.startswith("cell:1: ")


def test_itorch_html_window(shown: tuple[Runtime, list]) -> None:
    rt, published = shown
    rt.execute("w = itorch.html('<b>hi</b>')")
    data, _, did, update = published[-1]
    assert data["text/html"] == "<b>hi</b>" and not update
    assert rt.eval("tostring(w)") == did and rt.eval("'id ' .. w") == "id " + did
    rt.execute("itorch.html('<i>new</i>', w)")
    data, _, did2, update = published[-1]
    assert data["text/html"] == "<i>new</i>" and did2 == did and update


def test_plot_draw_redraw_save(shown: tuple[Runtime, list], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    rt, published = shown
    rt.execute("""
      p = itorch.Plot():circle(torch.randn(20), torch.randn(20), 'red', 'pts')
         :line({1, 2, 3}, {3, 1, 2}, 'blue', 'line'):histogram(torch.randn(100), 10)
         :title('demo'):xaxis('x'):yaxis('y'):legend(true):draw()
    """)
    data, _, did, update = published[-1]
    assert png_size(base64.b64decode(data["image/png"])) == (640, 480) and not update
    rt.execute("p:segment({0}, {0}, {1}, {1}, 'green'):redraw()")
    assert published[-1][2] == did and published[-1][3]
    html_file, png_file = tmp_path / "p.html", tmp_path / "p.png"
    rt.execute(f"p:save('{html_file}'); p:save('{png_file}')")
    assert "data:image/png;base64," in html_file.read_text()
    assert png_size(png_file.read_bytes()) == (640, 480)
    assert rt.eval("p:toHTML()").startswith("<!DOCTYPE html>")
    with pytest.raises(LuaError) as e:
        rt.execute("itorch.Plot():circle({1, 2}, {1})", "=cell")
    assert e.value.message == "cell:1: x and y have to have same number of elements"


def test_itorch_outside_a_notebook() -> None:
    rt = Runtime(write=lambda s: None)
    rt.execute("itorch = require 'itorch'")
    with pytest.raises(LuaError) as e:
        rt.execute("itorch.image(torch.rand(3, 2, 2))", "=cell")
    assert e.value.message.startswith("cell:1: itorch.image: no notebook here")
    # Plot:draw does nothing outside a notebook, as in iTorch
    assert rt.eval("torch.type(itorch.Plot():circle({1}, {2}):draw())") == "itorch.Plot"


def test_install_kernelspec(tmp_path: Path) -> None:
    pytest.importorskip("jupyter_client")
    from luatorch.kernel.install import main

    assert main(["--prefix", str(tmp_path)]) == 0
    spec = json.loads((tmp_path / "share/jupyter/kernels/luatorch/kernel.json").read_text())
    assert spec["display_name"] == "Torch (luatorch)" and spec["language"] == "lua"
    assert spec["argv"][1:] == ["-m", "luatorch.kernel", "-f", "{connection_file}"]


@needs_jupyter
def test_name_at_cursor() -> None:
    from luatorch.kernel.kernel import error_content, name_at

    assert name_at("nn.Linear(3, 4)", 4) == "nn.Linear"
    assert name_at("y = nn.Linear(", 14) == "nn.Linear"  # shift-tab after the parenthesis
    assert name_at("x = model:ad", 12) == "model.ad"
    assert name_at("1 + ", 4) == ""
    content = error_content(
        "m:1: oops\nstack traceback:\n\t[C]: in function 'error'\n"
        "\t[C]: in function 'xpcall'\n\t[repl]:26: in function <[repl]:22>\t"
    )
    assert content == {
        "ename": "LuaError",
        "evalue": "m:1: oops",
        "traceback": ["m:1: oops", "stack traceback:", "\t[C]: in function 'error'"],
    }


# ------------------------------------------------------------------------ a live kernel
@pytest.fixture(scope="module")
def jupyter_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("jupyter_client")
    from luatorch.kernel.install import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(prefix=str(prefix))
    path = str(prefix / "share" / "jupyter")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JUPYTER_PATH", path)
        mp.setenv("JUPYTER_PLATFORM_DIRS", "1")
        yield path


@pytest.fixture(scope="module")
def kernel(jupyter_path: str) -> Iterator[tuple[Any, Any]]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="luatorch", startup_timeout=30)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def run(kc: Any, code: str, timeout: float = 20) -> tuple[dict, list[tuple[str, dict, float]]]:
    """Execute ``code``; the reply content and (type, content, arrival time) of outputs.

    stop_on_error=False: after an error reply ipykernel aborts requests that arrive before it
    has finished aborting its queue, and these tests send the next request at once."""
    msg_id = kc.execute(code, stop_on_error=False)
    outputs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        kind = m["msg_type"]
        if kind == "status" and m["content"]["execution_state"] == "idle":
            break
        if kind not in ("status", "execute_input"):
            outputs.append((kind, m["content"], time.monotonic()))
    while True:
        reply = kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"], outputs


def stdout(outputs: list) -> str:
    return "".join(c["text"] for k, c, _ in outputs if k == "stream" and c["name"] == "stdout")


def results(outputs: list) -> list[str]:
    return [c["data"]["text/plain"] for k, c, _ in outputs if k == "execute_result"]


@needs_jupyter
def test_execute_autoprint_and_state(kernel: tuple) -> None:
    _, kc = kernel
    reply, out = run(kc, "x = torch.Tensor{1, 2, 3}")
    assert reply["status"] == "ok" and out == []
    reply, out = run(kc, "x")
    assert results(out) == [" 1\n 2\n 3\n[torch.DoubleTensor of size 3]\n"]
    _, out = run(kc, "x:sum(), 'a'")
    assert results(out) == ["6\ta\t"]  # th's print: a tab after each number or string
    _, out = run(kc, "x:fill(1);")  # a trailing ';' suppresses the auto-print
    assert out == []
    _, out = run(kc, "print('hi') print(x:size(1))")
    assert stdout(out) == "hi\t\n3\t\n" and results(out) == []
    _, out = run(kc, "-- a comment first\nx[2] * 10")
    assert results(out) == ["10\t"]
    _, out = run(kc, "nil")
    assert out == []


@needs_jupyter
def test_length_honours_len_as_in_torch(kernel: tuple) -> None:
    # Torch's LuaJIT has 5.2 compatibility: # calls nn.Sequential's __len (compat52.lua)
    _, kc = kernel
    reply, _ = run(kc, "require 'nn' cnn = nn.Sequential():add(nn.Tanh()):add(nn.Tanh())")
    assert reply["status"] == "ok"
    _, out = run(kc, "#cnn")
    assert results(out) == ["2\t"]


@needs_jupyter
def test_errors(kernel: tuple) -> None:
    _, kc = kernel
    reply, out = run(kc, "local function f() error('boom') end\nf()")
    assert reply["status"] == "error" and reply["ename"] == "LuaError"
    assert reply["evalue"] == "[string \"local function f() error('boom') end...\"]:1: boom"
    errors = [c for k, c, _ in out if k == "error"]
    assert len(errors) == 1 and errors[0]["traceback"][1] == "stack traceback:"
    assert "in function 'f'" in "\n".join(errors[0]["traceback"])
    assert not any("[repl]" in line for line in errors[0]["traceback"])
    reply, _ = run(kc, "y = ")
    assert reply["ename"] == "SyntaxError"
    assert reply["evalue"] == "[string \"y = \"]:1: unexpected symbol near '<eof>'"
    reply, _ = run(kc, "torch.Tensor(2):add('a')")
    assert reply["evalue"].split("\n")[0].endswith("invalid arguments: DoubleTensor string ")
    reply, out = run(kc, "print(1 + 1)")  # the session goes on
    assert reply["status"] == "ok" and stdout(out) == "2\t\n"
    _, out = run(kc, "io.stderr:write('warn ', 1, '\\n');")
    assert [(k, c["name"], c["text"]) for k, c, _ in out] == [("stream", "stderr", "warn 1\n")]


@needs_jupyter
def test_interrupt_pure_lua_and_python_loops(kernel: tuple) -> None:
    km, kc = kernel
    run(kc, "kept = 42")
    for loop in ("while true do end", "while true do local t = torch.randn(10) end"):
        msg_id = kc.execute(loop, stop_on_error=False)
        time.sleep(0.7)
        start = time.monotonic()
        km.interrupt_kernel()
        reply = kc.get_shell_msg(timeout=10)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert time.monotonic() - start < 5
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        assert reply["content"]["evalue"].endswith("interrupted!")
    reply, out = run(kc, "kept")
    assert reply["status"] == "ok" and results(out) == ["42\t"], (reply, out)


@needs_jupyter
def test_output_streams_while_running(kernel: tuple) -> None:
    _, kc = kernel
    code = (
        "print('first')\nlocal t = os.clock()\nwhile os.clock() - t < 1.2 do end\nprint('second')"
    )
    reply, out = run(kc, code)
    assert reply["status"] == "ok"
    streams = [(c["text"], t) for k, c, t in out if k == "stream"]
    assert "".join(s for s, _ in streams) == "first\t\nsecond\t\n"
    first = next(t for s, t in streams if "first" in s)
    second = next(t for s, t in streams if "second" in s)
    assert second - first > 0.8  # 'first' reached the notebook while the loop was running


@needs_jupyter
def test_rich_output_in_kernel(kernel: tuple, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    _, kc = kernel
    reply, out = run(kc, "itorch.image(torch.rand(3, 5, 7))")
    shown = [c for k, c, _ in out if k == "display_data"]
    assert reply["status"] == "ok" and results(out) == [] and len(shown) == 1
    assert png_size(base64.b64decode(shown[0]["data"]["image/png"])) == (7, 5)
    # draw() shows the plot; the cell's value (the plot) is not printed again
    _, out = run(kc, "itorch.Plot():histogram(torch.randn(1000)):draw()")
    assert [k for k, _, _ in out] == ["display_data"]
    _, out = run(kc, "itorch.html('<p>x</p>')")
    assert [k for k, _, _ in out] == ["display_data"]
    # gnuplot draws a PNG file: the notebook shows it after the cell
    fig = tmp_path / "fig.png"
    _, out = run(
        kc,
        f"require 'gnuplot'\ngnuplot.pngfigure('{fig}')\n"
        "gnuplot.plot(torch.linspace(0, 1, 10))\ngnuplot.title('t')",
    )
    shown = [c for k, c, _ in out if k == "display_data"]
    assert len(shown) == 1 and base64.b64decode(shown[0]["data"]["image/png"]) == fig.read_bytes()


@needs_jupyter
def test_complete_inspect_is_complete(kernel: tuple) -> None:
    _, kc = kernel
    run(kc, "model = nn and model or (require 'nn').Sequential()")
    code = "x = torch.ran"
    reply = kc.complete(code, len(code), reply=True, timeout=10)["content"]
    assert reply["matches"] == ["rand", "randn", "random", "randperm", "range"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (len(code) - 3, len(code))
    code = "model:ad"
    reply = kc.complete(code, len(code), reply=True, timeout=10)["content"]
    assert "add" in reply["matches"] and reply["cursor_start"] == 6
    reply = kc.inspect("nn.Linear(3, 4)", 4, reply=True, timeout=10)["content"]
    assert reply["found"] and reply["data"]["text/plain"].startswith("nn.Linear")
    reply = kc.inspect("no_such_thing", 3, reply=True, timeout=10)["content"]
    assert reply["status"] == "ok" and not reply["found"]
    for code, status in [
        ("for i = 1, 3 do", "incomplete"),
        ("x = {", "incomplete"),
        ("print(1)", "complete"),
        ("x + 1", "complete"),
        ("?torch.randn", "complete"),
        ("x = = 1", "invalid"),
    ]:
        kc.is_complete(code)
        reply = kc.get_shell_msg(timeout=10)["content"]
        assert reply["status"] == status, code
    kc.is_complete("function f()\n   if x then")
    reply = kc.get_shell_msg(timeout=10)["content"]
    assert reply["indent"] == "      "
    info = kc.kernel_info(reply=True, timeout=10)["content"]
    assert info["language_info"]["name"] == "lua"
    assert info["language_info"]["pygments_lexer"] == "lua"
    assert info["implementation"] == "luatorch"


# --------------------------------------------------------------------------- nbclient
def golden_cells() -> list[str]:
    """tutorial_marked.out cut at its `==== In [n]` lines: the output of each cell in turn."""
    text = (GOLDEN / "tutorial_marked.out").read_text()
    return re.split(r"^==== In \[\d+\]\n", text, flags=re.M)[1:]


def cell_text(cell: Any) -> str:
    """A code cell's stream text and execute_result text (with print's final newline)."""
    parts = []
    for o in cell.outputs:
        if o.output_type == "stream":
            parts.append(o.text)
        elif o.output_type == "execute_result":
            parts.append(o.data["text/plain"] + "\n")
    return "".join(parts)


@needs_nbclient
def test_tutorial_notebook_matches_torch7(jupyter_path: str) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    cells = (GOLDEN / "tutorial_cells.lua").read_text()
    sources = [s.rstrip("\n") for s in re.split(r"^-- In \[\d+\]:\n", cells, flags=re.M)[1:]]
    assert [c.source for c in code] == ["torch.manualSeed(42)"] + sources
    for c in code:
        c.outputs = []
    NotebookClient(nb, kernel_name="luatorch", timeout=60).execute()
    expected = golden_cells()
    assert cell_text(code[0]) == ""
    got = [cell_text(c) for c in code[1:]]
    assert len(got) == len(expected)
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert g == e, f"cell {i + 1}: {sources[i]!r}"


@needs_nbclient
def test_notebook_error_and_image_cells(jupyter_path: str) -> None:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "luatorch",
        "display_name": "Torch (luatorch)",
        "language": "lua",
    }
    nb.cells = [
        nbformat.v4.new_code_cell(s)
        for s in (
            "img = torch.linspace(0, 1, 16):view(1, 4, 4)",
            "itorch.image(img)",
            "error('bad cell')",
            "print('after')",
        )
    ]
    NotebookClient(nb, kernel_name="luatorch", timeout=30, allow_errors=True).execute()
    (shown,) = nb.cells[1].outputs
    assert shown.output_type == "display_data"
    assert png_size(base64.b64decode(shown.data["image/png"])) == (4, 4)
    (err,) = nb.cells[2].outputs
    assert err.output_type == "error" and err.ename == "LuaError"
    assert err.evalue == "[string \"_RESULT={error('bad cell')}\"]:1: bad cell"
    assert nb.cells[3].outputs[0].text == "after\t\n"
    # without allow_errors the run stops at the error, as Jupyter does
    nb2 = nbformat.v4.new_notebook(metadata=nb.metadata)
    nb2.cells = [nbformat.v4.new_code_cell("error('stop')"), nbformat.v4.new_code_cell("1")]
    with pytest.raises(CellExecutionError, match="stop"):
        NotebookClient(nb2, kernel_name="luatorch", timeout=30).execute()


@needs_nbclient
def test_itorch_demo_notebook_runs(jupyter_path: str, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / "itorch_demo.ipynb", as_version=4)
    NotebookClient(
        nb, kernel_name="luatorch", timeout=60, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    kinds = [[o.output_type for o in c.outputs] for c in nb.cells if c.cell_type == "code"]
    assert "error" not in sum(kinds, [])
    assert sum(k.count("display_data") for k in kinds) == 7  # 2 images, 3 plots, gnuplot, html
    training = next(c for c in nb.cells if "epoch" in c.source)
    assert "".join(o.text for o in training.outputs).count("loss") == 5
    assert (tmp_path / "demo_gnuplot.png").exists()


# ------------------------------------------------------------------- jupyter_kernel_test
try:
    import jupyter_kernel_test as jkt
except ImportError:
    jkt = None

if jkt is not None and _have("ipykernel"):

    class TestProtocol(jkt.KernelTests):
        """The messaging protocol, checked by Jupyter's own kernel test suite."""

        kernel_name = "luatorch"
        language_name = "lua"
        file_extension = ".lua"
        code_hello_world = "print('hello, world')"
        code_stderr = "io.stderr:write('oops\\n')"
        completion_samples = [{"text": "torch.randp", "matches": {"randperm"}}]
        complete_code_samples = ["x = 1", "print(1)", "for i = 1, 2 do end"]
        incomplete_code_samples = ["for i = 1, 2 do", "function f()", "x = {"]
        invalid_code_samples = ["x = = 1", "end"]
        code_generate_error = "error('oops')"
        code_execute_result = [
            {"code": "1 + 2", "result": "3\t"},
            {"code": "torch.Tensor{1}", "result": " 1\n[torch.DoubleTensor of size 1]\n"},
        ]
        code_display_data = [
            {"code": "itorch.html('<b>hi</b>')", "mime": "text/html"},
            {"code": "itorch.image(torch.rand(1, 2, 2))", "mime": "image/png"},
        ]
        code_inspect_sample = "torch.randn"

        @classmethod
        def setUpClass(cls) -> None:
            # the module's jupyter_path fixture is not active yet when unittest sets up
            import tempfile

            from luatorch.kernel.install import install

            cls._tmp = tempfile.TemporaryDirectory()
            install(prefix=cls._tmp.name)
            cls._old_path = os.environ.get("JUPYTER_PATH")
            os.environ["JUPYTER_PATH"] = os.path.join(cls._tmp.name, "share", "jupyter")
            super().setUpClass()

        @classmethod
        def tearDownClass(cls) -> None:
            super().tearDownClass()
            if cls._old_path is None:
                os.environ.pop("JUPYTER_PATH", None)
            else:
                os.environ["JUPYTER_PATH"] = cls._old_path
            cls._tmp.cleanup()


@needs_nbclient
def test_notebook_cell_forms(jupyter_path: str) -> None:
    """IPython's rule: a cell's last expression shows after its statements ran; `;` hides it."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "luatorch", "display_name": "Torch", "language": "lua"}
    sources = [
        "a = 1\nb = 2\na + b",  # statements, then a bare expression
        "x = torch.Tensor{1, 2, 3}\nx:size()",  # ends in a call: its value shows
        "print('first')\nlocal y = 5\ny * 2",  # locals of the cell are visible to its tail
        "a = 10\na;",  # hidden
        "a",
        "for i = 1, 2 do\n   b = b + i\nend",  # statements only
        "b",
    ]
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    NotebookClient(nb, kernel_name="luatorch", timeout=60).execute()
    got = [cell_text(c) for c in nb.cells]
    assert got == [
        "3\t\n",
        " 3\n[torch.LongStorage of size 1]\n\n",
        "first\t\n10\t\n",
        "",
        "10\t\n",
        "",
        "5\t\n",
    ]


@needs_nbclient
def test_gnuplot_figures_inline_only(jupyter_path: str, tmp_path: Path) -> None:
    """A gnuplot figure shows under its cell: no notice, no PNG left in the notebook's folder."""
    pytest.importorskip("matplotlib")
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "luatorch", "display_name": "Torch", "language": "lua"}
    nb.cells = [nbformat.v4.new_code_cell("require 'gnuplot'\ngnuplot.plot(torch.range(1, 5))")]
    NotebookClient(
        nb, kernel_name="luatorch", timeout=60, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["display_data"]
    assert base64.b64decode(outputs[0].data["image/png"]).startswith(b"\x89PNG")
    assert list(tmp_path.iterdir()) == []
