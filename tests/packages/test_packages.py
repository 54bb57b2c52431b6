"""The small packages Torch scripts require: xlua, paths, sys, lfs, gnuplot, image, and
cutorch/cunn/cudnn running on the CPU."""

from __future__ import annotations

import os
import re
import struct

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime


class Out:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, s: str) -> None:
        self.parts.append(s)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@pytest.fixture
def rt() -> tuple[Runtime, Out]:
    out = Out()
    return Runtime(write=out), out


@pytest.fixture
def cuda_rt() -> tuple[Runtime, Out]:
    """A runtime with the CPU emulation of cutorch/cunn/cudnn switched on (off by default)."""
    out = Out()
    return Runtime(write=out, emulate_cuda=True), out


def run(rt_out: tuple[Runtime, Out], code: str) -> str:
    rt, out = rt_out
    out.parts.clear()
    rt.execute(code, "@test.lua")
    return out.text


# ------------------------------------------------------------------------------------- xlua
def test_progress_bar_bytes_without_terminal(rt: tuple[Runtime, Out]) -> None:
    text = run(rt, "require 'xlua' for i = 1, 4 do xlua.progress(i, 4) end")
    # 80 columns as `tput cols` answers without a terminal: a 46-character bar
    bars = re.findall(r" \[([=>.]*)\] ", text)
    assert len(bars) == 4 and all(len(b) == 46 for b in bars)
    assert bars[0] == "=" * 10 + ">" + "." * 35  # floor(1*46/4) = 11
    assert bars[3] == "=" * 45 + ">"
    first = text.split("\r")[0]
    # then 42 blanks and 42 backspaces, the times, back to the middle, the count
    assert first.startswith(" [" + bars[0] + "] " + " " * 30 + "\b" * 30 + " ETA: ")
    m = re.search("( ETA: [^\x08]*)(\x08+) 1/4 $", first)
    assert m and len(m.group(2)) == 5 + len(m.group(1)) + 23
    assert " Tot: " in text and text.endswith(" 4/4 \n\r")
    # a second loop starts a new bar
    again = run(rt, "for i = 1, 2 do xlua.progress(i, 2) end")
    assert again.startswith(" [") and again.endswith(" 2/2 \n\r")


def test_format_time_and_string_helpers(rt: tuple[Runtime, Out]) -> None:
    r, _ = rt
    res = r.execute("""
      require 'xlua'
      local s = string.split('a,b,,c', ',')
      local t = string.tokenize('  x  yy z ')
      local sp, rem = table.splice({1, 2, 3, 4}, 2, 2)
      return xlua.formatTime(3725.5), xlua.formatTime(0.0123), xlua.formatTime(90061),
             xlua.formatTime(0), table.concat(s, '|'), table.concat(t, '|'),
             table.concat(sp, ','), table.concat(rem, ','), #table.prune({1, 1, 2, 2, 3}),
             xlua.table2string({1, 'a', k = true})
    """)
    assert res == (
        "1h2m",
        "12ms",
        "1D1h",
        "0ms",
        "a|b||c",
        "x|yy|z",
        "1,4",
        "2,3",
        3,
        '{1,"a",k=true}',
    )


def test_xlua_print_require_and_unpack(rt: tuple[Runtime, Out]) -> None:
    text = run(rt, "require 'xlua' xlua.print({a = 1}) xlua.print('x', 2)")
    assert text == "{[a] = 1}\nx    2\n"
    text = run(rt, "print(xlua.require('no_such_package_xyz'))")
    assert "module 'no_such_package_xyz' not found" in text
    assert text.endswith(
        "warning: <no_such_package_xyz> could not be loaded (is it installed?)\t\nfalse\t\n"
    )
    r, _ = rt
    res = r.execute("""
      local args, a, b = xlua.unpack({{b = 5}}, 'f', 'demo',
         {arg = 'a', type = 'number', default = 1}, {arg = 'b', type = 'number', req = true})
      return a, b, args.b""")
    assert res == (1, 5, 5)
    with pytest.raises(LuaError, match="error"):
        r.execute("xlua.unpack({{}}, 'f', 'demo', {arg = 'b', type = 'number', req = true})")


# ------------------------------------------------------------------------------ paths, sys
def test_paths_names(rt: tuple[Runtime, Out]) -> None:
    r, _ = rt
    res = r.execute("""
      require 'paths'
      return paths.concat('/a', 'b/../c', './d'), paths.concat('/x', '/y'),
             paths.dirname('/a/b/c.lua'), paths.dirname('c.lua'), paths.dirname('/c'),
             paths.basename('/a/b/c.lua'), paths.basename('/a/b/c.lua', 'lua'),
             paths.basename('/a/b/'), paths.extname('/a/b.tar.gz'), paths.extname('/a/b'),
             paths.concat() == paths.cwd(), paths.concat('q') == paths.cwd() .. '/q'""")
    assert res == ("/a/c/d", "/y", "/a/b", ".", "/", "c.lua", "c", "b", "gz", None, True, True)


def test_paths_directories(rt: tuple[Runtime, Out], tmp_path) -> None:
    r, _ = rt
    base = str(tmp_path)
    res = r.execute(f"""
      require 'paths'
      local base = {base!r}
      local d = paths.concat(base, 'sub')
      assert(paths.mkdir(d))
      local ok, err = paths.mkdir(d)
      local f = io.open(paths.concat(base, 'f.txt'), 'w') f:write('x') f:close()
      local dirs, files = {{}}, {{}}
      for x in paths.iterdirs(base) do dirs[#dirs + 1] = x end
      for x in paths.iterfiles(base) do files[#files + 1] = x end
      local all = paths.dir(base)
      return ok, type(err), table.concat(dirs, ','), table.concat(files, ','), #all,
             paths.dirp(d), paths.filep(d), paths.filep(paths.concat(base, 'f.txt')),
             paths.rmall(d, 'yes'), paths.rmall(base, 'no'), paths.dirp(d), paths.dir(d)""")
    assert res[:8] == (None, "string", "sub", "f.txt", 4, True, False, True)
    assert res[8] is True and res[9] is None and res[10] is False and res[11] is None
    res = r.execute(
        """
      local t = paths.tmpname()
      return paths.filep(t), t ~= paths.tmpname(), paths.is_win(), paths.uname(),
             type(paths.home), paths.thisfile()""",
        "@/some/dir/script.lua",
    )
    # tempnam's name: not created (tests/oracle/opkg_paths_sys checks it against Torch7)
    assert res[0] is False and res[1] is True and res[2] is None
    assert res[3] == os.uname().sysname and res[4] == "string"
    assert res[5] == "/some/dir/script.lua"


def test_sys_and_lfs(rt: tuple[Runtime, Out], tmp_path) -> None:
    r, _ = rt
    res = r.execute("""
      require 'sys'
      local t0 = sys.clock()
      sys.sleep(0.02)
      local dt = sys.clock() - t0
      sys.tic()
      return dt, sys.execute('echo "  hello "'), sys.uname(), sys.COLORS.red, sys.toc() >= 0,
             sys.fexecute('echo hi'), #sys.split('a b c', ' ')""")
    assert 0.015 < res[0] < 1.0
    assert res[1:5] == ("hello", "linux", "\x1b[0;31m", True)
    assert res[5] == "hi" and res[6] == 3
    base = str(tmp_path)
    res = r.execute(f"""
      require 'lfs'
      local base = {base!r}
      assert(lfs.mkdir(base .. '/d'))
      local f = io.open(base .. '/x.t7', 'w') f:write('12345') f:close()
      local names = {{}}
      for e in lfs.dir(base) do names[#names + 1] = e end
      table.sort(names)
      local old = lfs.currentdir()
      assert(lfs.chdir(base))
      local here = lfs.currentdir()
      lfs.chdir(old)
      return lfs.attributes(base .. '/d', 'mode'), lfs.attributes(base .. '/x.t7').size,
             lfs.attributes(base .. '/nope'), table.concat(names, ','), here,
             type(lfs.attributes(base .. '/x.t7', 'modification'))""")
    assert res[0] == "directory" and res[1] == 5 and res[2] is None
    assert res[3] == ".,..,d,x.t7" and os.path.realpath(res[4]) == os.path.realpath(base)
    assert res[5] == "number"


# ---------------------------------------------------------------------------------- gnuplot
def _png_size(path: str) -> tuple[int, int]:
    with open(path, "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def test_gnuplot_writes_png_files(rt: tuple[Runtime, Out], tmp_path, monkeypatch) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    text = run(
        rt,
        """
      require 'gnuplot'
      local x = torch.linspace(-3, 3, 40)
      gnuplot.plot({'sin', x, torch.sin(x), '-'}, {'cos', x, torch.cos(x), '~'},
                   {'pts', x, x * 0.2, '+'})
      gnuplot.title('curves') gnuplot.xlabel('x') gnuplot.ylabel('y') gnuplot.grid(true)
      gnuplot.movelegend('left', 'bottom') gnuplot.axis({-3, 3, -1.5, 1.5})
      gnuplot.pngfigure('hist.png')
      gnuplot.hist(torch.randn(500), 10)
      gnuplot.plotflush()
      gnuplot.pngfigure('img.png')
      gnuplot.imagesc(torch.rand(8, 9), 'color')
      gnuplot.close()
      gnuplot.epsfigure('fig.eps')
      gnuplot.plot(torch.rand(10))
      gnuplot.plotflush()
    """,
    )
    assert text == f"gnuplot: no screen here, figure 1 drawn in {tmp_path}/gnuplot_figure_1.png\n"
    for name in ("gnuplot_figure_1.png", "hist.png", "img.png"):
        assert _png_size(str(tmp_path / name)) == (640, 480)
    assert (tmp_path / "fig.eps").read_bytes().startswith(b"%!PS-Adobe")


def test_gnuplot_errors_and_raw(rt: tuple[Runtime, Out], capfd) -> None:
    r, _ = rt
    r.execute("require 'gnuplot'")
    with pytest.raises(LuaError, match="expecting \\[string,\\] tensor"):
        r.execute("gnuplot.plot('a', 'b')", "@p.lua")
    with pytest.raises(LuaError, match="x is expected to be matrices x = 1D"):
        r.execute("gnuplot.imagesc(torch.rand(3))")
    with pytest.raises(LuaError, match="horizontal location is unknown"):
        r.execute("gnuplot.movelegend('up', 'top')")
    r.execute("gnuplot.raw('set xrange [0:1]')")
    assert "gnuplot.raw ignored" in capfd.readouterr().err
    h = r.execute(
        "local h = gnuplot.histc(torch.Tensor{1, 2, 2, 3}, 2, 1, 3) "
        "return h.raw[1], h.raw[2], h[1].val, h[2].val"
    )
    assert h == (1.0, 3.0, 1.5, 2.5)


def test_gnuplot_without_matplotlib(rt: tuple[Runtime, Out], monkeypatch, tmp_path) -> None:
    import sys

    # matplotlib cannot be imported (None in sys.modules makes both import and find_spec fail)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.chdir(tmp_path)
    r, _ = rt
    with pytest.raises(LuaError) as e:
        r.execute("require 'gnuplot' gnuplot.plot(torch.rand(5))", "@plot.lua")
    assert "needs matplotlib" in e.value.message and "plot.lua:1" in e.value.message


# ------------------------------------------------------------------------- cutorch, cunn
def test_cuda_tensor_types(cuda_rt: tuple[Runtime, Out], capfd) -> None:
    text = run(cuda_rt, "require 'cutorch' print(torch.CudaTensor(2, 2):fill(1.5))")
    assert text == " 1.5000  1.5000\n 1.5000  1.5000\n[torch.CudaTensor of size 2x2]\n\n"
    r, _ = cuda_rt
    res = r.execute("""
      require 'cunn'
      local x = torch.CudaTensor(2, 3):uniform()
      local l = torch.LongTensor{1, 2}:cudaLong()
      local f = x:float()
      f[1][1] = 7
      return torch.type(x), torch.type(x + x), torch.type(x:narrow(1, 1, 1)),
             torch.type(x:storage()), torch.type(x:clone()), torch.type(x.new()),
             torch.type(x:double()), torch.type(l), torch.type(x:cudaDouble()),
             x[1][1] ~= 7, torch.isTensor(x), x:getDevice(), torch.type(x:sum()),
             torch.type(torch.CudaStorage(3)), torch.type(torch.Tensor(2):cuda())""")
    assert res == (
        "torch.CudaTensor",
        "torch.CudaTensor",
        "torch.CudaTensor",
        "torch.CudaStorage",
        "torch.CudaTensor",
        "torch.CudaTensor",
        "torch.DoubleTensor",
        "torch.CudaLongTensor",
        "torch.CudaDoubleTensor",
        True,
        True,
        1,
        "number",
        "torch.CudaStorage",
        "torch.CudaTensor",
    )
    # CudaTensor is float32 on the CPU
    x = r.execute("return torch.CudaTensor{1, 2}")[0]
    assert r.globals.torch._P[x].arr.dtype == np.float32
    assert capfd.readouterr().err == ""  # the emulation was asked for: no notice


def test_cuda_model_forward_print_save_load(cuda_rt: tuple[Runtime, Out], tmp_path) -> None:
    r, _ = cuda_rt
    path = str(tmp_path / "m.t7")
    text = run(
        cuda_rt,
        f"""
      require 'cunn'
      torch.manualSeed(1)
      local m = nn.Sequential():add(nn.Linear(3, 4)):add(nn.Tanh()):add(nn.Linear(4, 2))
      local ref = m:clone():float()
      m:cuda()
      local input = torch.randn(5, 3)
      local y = m:forward(input:cuda())
      local yref = ref:forward(input:float())
      local crit = nn.MSECriterion():cuda()
      local target = torch.zeros(5, 2):cuda()
      crit:forward(y, target)
      m:zeroGradParameters()
      m:backward(input:cuda(), crit:backward(y, target))
      print(torch.type(y), (y:float() - yref):abs():max())
      print(m:get(1).weight:type(), m:get(1).gradWeight:type())
      torch.save({path!r}, m)
      local m2 = torch.load({path!r})
      print(torch.type(m2:get(1).weight), (m2:forward(input:cuda()) - y):abs():max())
      print(y)
    """,
    )
    lines = text.split("\n")
    assert lines[0] == "torch.CudaTensor\t0\t"
    assert lines[1] == "torch.CudaTensor\ttorch.CudaTensor\t"
    assert lines[2] == "torch.CudaTensor\t0\t"
    assert text.rstrip().endswith("[torch.CudaTensor of size 5x2]")
    raw = open(path, "rb").read()
    assert b"torch.CudaTensor" in raw and b"torch.CudaStorage" in raw
    # without cutorch the same file loads as FloatTensors (with a notice)
    r2 = Runtime(write=lambda s: None)
    t = r2.execute(f"require 'nn' return torch.type(torch.load({path!r}):get(1).weight)")
    assert t == ("torch.FloatTensor",)


def test_cutorch_api(cuda_rt: tuple[Runtime, Out]) -> None:
    r, _ = cuda_rt
    res = r.execute("""
      require 'cutorch'
      cutorch.setDevice(1)
      cutorch.synchronize()
      cutorch.manualSeed(7)
      local a = torch.CudaTensor(3):uniform()
      torch.manualSeed(7)
      local b = torch.FloatTensor(3):uniform()
      local free, total = cutorch.getMemoryUsage(1)
      return cutorch.getDeviceCount(), cutorch.getDevice(), (a:float() - b):abs():max(),
             free > 0 and total >= free, cutorch.getDeviceProperties(1).name ~= nil""")
    assert res == (1, 1, 0.0, True, True)
    with pytest.raises(LuaError, match="invalid device ordinal"):
        r.execute("cutorch.setDevice(2)")


def test_cudnn_modules_and_convert(cuda_rt: tuple[Runtime, Out]) -> None:
    text = run(
        cuda_rt,
        """
      require 'cudnn'
      torch.manualSeed(3)
      local net = nn.Sequential()
      net:add(cudnn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1))
      net:add(cudnn.SpatialBatchNormalization(4))
      net:add(cudnn.ReLU(true))
      net:add(cudnn.SpatialMaxPooling(2, 2, 2, 2))
      net:cuda()
      print(net)
      local y = net:forward(torch.rand(2, 3, 8, 8):cuda())
      print(torch.type(y), y:size(1), y:size(2), y:size(3), y:size(4))
      local plain = nn.Sequential():add(nn.SpatialConvolution(1, 2, 3, 3)):add(nn.ReLU())
      cudnn.convert(plain, cudnn)
      print(torch.type(plain:get(1)), torch.type(plain:get(2)))
      cudnn.convert(plain, nn)
      print(torch.type(plain:get(1)), torch.type(plain:get(2)))
      print(torch.isTypeOf(net:get(1), 'nn.SpatialConvolution'), net:get(1):fastest() == net:get(1))
    """,
    )
    assert text.startswith(
        "nn.Sequential {\n  [input -> (1) -> (2) -> (3) -> (4) -> output]\n"
        "  (1): cudnn.SpatialConvolution(3 -> 4, 3x3, 1,1, 1,1)\n"
        "  (2): cudnn.SpatialBatchNormalization (4D) (4)\n  (3): cudnn.ReLU\n"
        "  (4): cudnn.SpatialMaxPooling(2x2, 2,2)\n}\n"
    )
    assert "torch.CudaTensor\t2\t4\t4\t4\t\n" in text
    assert "cudnn.SpatialConvolution\tcudnn.ReLU\t\nnn.SpatialConvolution\tnn.ReLU\t\n" in text
    assert text.endswith("true\ttrue\t\n")
    r, _ = cuda_rt
    # grouped convolutions (checked against split convolutions in test_loadcaffe.py)
    assert r.execute(
        "return cudnn.SpatialConvolution(4, 4, 3, 3, 1, 1, 0, 0, 2).weight:size(2)"
    ) == (2,)
    with pytest.raises(LuaError, match="nInputPlane should be divisible by nGroups"):
        r.execute("cudnn.SpatialConvolution(3, 4, 3, 3, 1, 1, 0, 0, 2)")


def test_cunn_data_parallel_table(cuda_rt: tuple[Runtime, Out]) -> None:
    r, _ = cuda_rt
    res = r.execute("""
      require 'cunn'
      local inner = nn.Linear(3, 2)
      local dpt = nn.DataParallelTable(1):add(inner, {1, 2})
      dpt:cuda()
      local x = torch.rand(4, 3):cuda()
      local y = dpt:forward(x)
      return torch.type(y), (y - inner:forward(x)):abs():max(), #dpt:parameters()""")
    assert res == ("torch.CudaTensor", 0.0, 2)


# ------------------------------------------------------------------------------------ image
def test_image_round_trip_and_basics(rt: tuple[Runtime, Out], tmp_path) -> None:
    pytest.importorskip("PIL")
    r, _ = rt
    png, jpg = str(tmp_path / "a.png"), str(tmp_path / "a.jpg")
    res = r.execute(f"""
      require 'image'
      torch.manualSeed(5)
      local img = torch.rand(3, 12, 16)
      image.save({png!r}, img)
      local back = image.load({png!r})
      local bytes = image.load({png!r}, 3, 'byte')
      local gray = image.load({png!r}, 1, 'float')
      image.save({jpg!r}, img)
      local j = image.load({jpg!r})
      return (back - img):abs():max(), torch.type(back), torch.type(bytes), bytes:max() <= 255,
             gray:size(1), torch.type(gray), j:size(1), j:size(2), j:size(3),
             (bytes:double() / 255 - back):abs():max()""")
    # saved floats are saturated, times 255 and truncated, as torch/image does (oracle-checked
    # in tests/oracle/image_load.lua); depth 1 from an RGB file is a 2D luminance image
    assert res[0] < 1 / 255
    assert res[1:] == (
        "torch.DoubleTensor",
        "torch.ByteTensor",
        True,
        12,
        "torch.FloatTensor",
        3,
        12,
        16,
        0.0,
    )
    from PIL import Image

    with Image.open(png) as im:
        assert im.size == (16, 12) and im.mode == "RGB"
    with pytest.raises(LuaError, match="does not exist"):
        r.execute("image.load('/no/such/file.png')")


def test_image_geometry_and_colour(rt: tuple[Runtime, Out]) -> None:
    r, _ = rt
    res = r.execute("""
      require 'image'
      local img = torch.rand(3, 10, 20)
      local s = image.scale(img, 40, 20)
      local c = image.crop(img, 2, 3, 12, 8)
      local cc = image.crop(img, 'c', 4, 4)
      local h, v = image.hflip(img), image.vflip(img)
      local y, yuv = image.rgb2y(img), image.rgb2yuv(img)
      local back = image.yuv2rgb(yuv)
      local grid = image.toDisplayTensor{input = torch.rand(7, 3, 5, 5), padding = 2, nrow = 3}
      local lin = image.scale(torch.Tensor{{0, 1}}, 3, 1)
      return s:size(2), s:size(3), (s[{{}, 1, 1}] - img[{{}, 1, 1}]):abs():max(),
             (s[{{}, 20, 40}] - img[{{}, 10, 20}]):abs():max(),
             (c - img[{{}, {4, 8}, {3, 12}}]):abs():max(), cc:size(2), cc:size(3),
             (h[{{}, {}, 1}] - img[{{}, {}, 20}]):abs():max(),
             (v[{{}, 1}] - img[{{}, 10}]):abs():max(),
             y:size(1), (y[1] - (img[1] * 0.299 + img[2] * 0.587 + img[3] * 0.114)):abs():max(),
             (back - img):abs():max() < 1e-4, grid:size(1), grid:size(2), grid:size(3),
             lin[1][2], image.gaussian1D(5)[3], image.gaussian(3):size(1)""")
    assert res[:2] == (20, 40)
    assert res[2] < 1e-12 and res[3] < 1e-12 and res[4] == 0
    assert res[5:7] == (4, 4) and res[7] == 0 and res[8] == 0
    assert res[9] == 1 and res[10] < 1e-12 and res[11] is True
    assert res[12:15] == (3, 21, 21)
    assert res[15] == 0.5 and res[16] == 1.0 and res[17] == 3
