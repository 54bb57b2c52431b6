"""display (szym/display's API): panes written to a local HTML page, reused by window id, or
sent to a notebook."""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime


@pytest.fixture
def rt(tmp_path: Path) -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute(
        "display = require 'display'; display.configure{file = ...}",
        "@t.lua",
        str(tmp_path / "page.html"),
    )
    return r


def panes(tmp_path: Path) -> list[str]:
    return re.findall(
        r'<div class="pane" id="[^"]*">.*?</div></div>', (tmp_path / "page.html").read_text(), re.S
    )


def test_image_is_a_png_of_the_normalized_tensor(rt: Runtime, tmp_path: Path) -> None:
    Image = pytest.importorskip("PIL.Image")
    (win,) = rt.execute(
        "return display.image(torch.range(0, 11):resize(3, 4) * 5, {title = 'ramp'})"
    )
    (html,) = panes(tmp_path)
    assert win in html and ">ramp<" in html
    data = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    img = Image.open(io.BytesIO(base64.b64decode(data)))
    assert img.size == (4, 3)
    px = np.asarray(img).reshape(-1).tolist()
    # min -> 0, max -> 254: normalized in float (0.99999994), then truncated as image.save does
    assert px[0] == 0 and px[-1] == 254


def test_image_lists_and_labels(rt: Runtime, tmp_path: Path) -> None:
    rt.execute(
        "display.images({torch.rand(8, 8), torch.rand(3, 8, 8), torch.rand(8, 8)}, "
        "{labels = {'a', 'b', 'c'}})"
    )
    rt.execute("display.image(torch.rand(5, 6, 6))")  # 5 planes: a list of images
    one, two = panes(tmp_path)
    assert one.count('class="label"') == 3 and ">b<" in one
    assert 'width="16"' in one  # ceil(sqrt(3)) = 2 per row x 8
    assert 'width="18"' in two  # ceil(sqrt(5)) = 3 per row


def test_plot_and_window_reuse(rt: Runtime, tmp_path: Path) -> None:
    (win,) = rt.execute(
        "return display.plot(torch.Tensor{{1, 2, 5}, {2, 3, 4}, {3, 1, 2}}, "
        "{labels = {'epoch', 'acc', 'loss'}, ylabel = 'ratio', title = 't'})"
    )
    (html,) = panes(tmp_path)
    assert html.count("<polyline") == 2 and ">acc<" in html and ">ratio<" in html
    assert len(re.search(r'points="([^"]*)"', html).group(1).split()) == 3
    rt.execute("display.plot({{1, 1}, {2, 2}}, {win = ...})", "@t.lua", win)
    (html,) = panes(tmp_path)  # replaced, not added
    assert html.count("<polyline") == 1


def test_text_is_escaped_and_errors(rt: Runtime, tmp_path: Path) -> None:
    rt.execute("display.text('a <b> & c')")
    assert "a &lt;b&gt; &amp; c" in panes(tmp_path)[0]
    with pytest.raises(LuaError, match="2D tensor or table of rows expected"):
        rt.execute("display.plot(torch.rand(3))")


def test_panes_go_to_the_notebook_when_there_is_one(tmp_path: Path) -> None:
    r = Runtime(write=lambda s: None)
    sent = r.execute(
        """
        local sent = {}
        package.loaded['itorch._backend'] = {notebook = function() return true end,
           html = function(h, id) sent[#sent + 1] = {h, id} end}
        local display = require 'display'
        display.configure{file = ...}
        local w = display.text('hi')
        display.text('again', {win = w})
        return #sent, sent[2][2] == w, sent[2][1]:find('again') ~= nil
    """,
        "@t.lua",
        str(tmp_path / "none.html"),
    )
    assert sent == (2, True, True)
    assert not (tmp_path / "none.html").exists()
