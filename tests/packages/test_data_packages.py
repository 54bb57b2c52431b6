"""hdf5 (torch-hdf5's API on h5py) and matio (matio-ffi's API on scipy.io): files written by the
reference Python libraries read in Lua, and files written from Lua read by them.
(The API's printed behaviour against real Torch7 is in tests/oracle/hdf5_api.lua.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

h5py = pytest.importorskip("h5py")
sio = pytest.importorskip("scipy.io")


@pytest.fixture(scope="module")
def rt() -> Runtime:
    return Runtime(write=lambda s: None)


def lua(rt: Runtime, code: str, *args: object) -> tuple:
    return rt.execute(code, "@test.lua", *args)


# ------------------------------------------------------------------------------------- hdf5
def test_hdf5_reads_torch_rnn_layout(rt: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "data.h5"
    rng = np.random.default_rng(0)
    with h5py.File(path, "w") as f:  # torch-rnn's preprocess.py: uint8 token ids per split
        f.create_dataset("train", data=rng.integers(1, 60, 1000, dtype=np.uint8))
        f.create_dataset("val", data=np.arange(1, 101, dtype=np.uint8))
        f.create_dataset("test", data=np.arange(1, 51, dtype=np.uint8))
    types, n, v5, s = lua(
        rt,
        """
        require 'hdf5'
        local f = hdf5.open(..., 'r')
        local train = f:read('/train'):all()
        local val = f:read('/val'):all()
        local size = f:read('/test'):dataspaceSize()
        f:close()
        return torch.type(train), train:nElement(), val[5], size[1]
        """,
        str(path),
    )
    assert (types, n, v5, s) == ("torch.ByteTensor", 1000, 5, 50)


@pytest.mark.parametrize(
    "dtype,ttype",
    [
        (np.uint8, "torch.ByteTensor"),
        (np.int8, "torch.ByteTensor"),  # torch-hdf5 reads any 1-byte integer as Byte
        (np.int16, "torch.ShortTensor"),
        (np.int32, "torch.IntTensor"),
        (np.int64, "torch.LongTensor"),
        (np.float32, "torch.FloatTensor"),
        (np.float64, "torch.DoubleTensor"),
    ],
)
def test_hdf5_element_types(rt: Runtime, tmp_path: Path, dtype: type, ttype: str) -> None:
    path = tmp_path / "t.h5"
    data = np.arange(12).reshape(3, 4).astype(dtype)
    with h5py.File(path, "w") as f:
        f.create_dataset("g/x", data=data)
    got_type, total, part = lua(
        rt,
        """
        local f = hdf5.open(..., 'r')
        local d = f:read('g/x')
        local t = d:all()
        local p = d:partial({2, 3}, 4)
        f:close()
        return torch.type(t), t:sum(), p:sum()
        """,
        str(path),
    )
    assert got_type == ttype
    assert total == 66 and part == 7 + 11


def test_hdf5_files_written_in_lua_read_by_h5py(rt: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "w.h5"
    lua(
        rt,
        """
        local f = hdf5.open(..., 'w')
        f:write('/a/b', torch.range(1, 6):resize(2, 3))
        f:write('/i', torch.IntTensor{1, 2})
        local o = hdf5.DataSetOptions():setChunked(2, 3):setDeflate(4)
        f:write('/c', torch.FloatTensor(4, 3):fill(2), o)
        f:append('/c', torch.FloatTensor(1, 3):fill(5), o)
        f:close()
        """,
        str(path),
    )
    with h5py.File(path, "r") as f:
        np.testing.assert_array_equal(f["a/b"][()], np.arange(1, 7).reshape(2, 3))
        assert f["a/b"].dtype == np.float64 and f["i"].dtype == np.int32
        c = f["c"]
        assert c.dtype == np.float32 and c.shape == (5, 3)
        assert c.chunks == (2, 3) and c.compression == "gzip" and c.compression_opts == 4
        assert c[4, 0] == 5


def test_hdf5_errors_are_lua_errors(rt: Runtime, tmp_path: Path) -> None:
    with pytest.raises(LuaError, match="no such directory"):
        lua(rt, "hdf5.open(...)", str(tmp_path / "none" / "x.h5"))
    # (each case its own file: one left open by the error cannot be truncated)
    with pytest.raises(LuaError, match="requires a tensor or table as its second parameter"):
        lua(rt, "local f = hdf5.open(..., 'w'); f:write('x', 'str')", str(tmp_path / "1.h5"))
    with pytest.raises(LuaError, match="writing data of type string is not supported"):
        lua(rt, "local f = hdf5.open(..., 'w'); f:write('x', {a = 's'})", str(tmp_path / "2.h5"))
    with pytest.raises(LuaError, match="only chunked datasets can grow"):
        lua(
            rt,
            "local f = hdf5.open(..., 'w'); f:write('x', torch.ones(2)); "
            "f:append('x', torch.ones(1))",
            str(tmp_path / "3.h5"),
        )


# ------------------------------------------------------------------------------------ matio
def test_matio_loads_scipy_written_variables(rt: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "v.mat"
    a = np.arange(24, dtype=np.float64).reshape(2, 3, 4)
    sio.savemat(
        path,
        {
            "a": a,
            "u": np.array([[1, 2, 3]], dtype=np.uint16),
            "f": np.ones((2, 2), dtype=np.float32),
            "c": np.array([[np.array([[1.0]]), "two"]], dtype=object),
            "s": {"m": np.eye(2), "name": "hi"},
        },
    )
    res = lua(
        rt,
        """
        local matio = require 'matio'
        local v = matio.load(...)
        local a = v.a
        return torch.type(a), a:size(1), a:size(2), a:size(3), a[2][3][4], a:isContiguous(),
           torch.type(v.u), torch.type(v.f), #v.c, torch.type(v.c[2]), v.s.m[2][2],
           matio.load(..., 'a'):sum(), #matio.load(..., {'u'}).u:storage()
        """,
        str(path),
    )
    assert res == (
        "torch.DoubleTensor", 2, 3, 4, float(a[1, 2, 3]), False,
        "torch.ShortTensor", "torch.FloatTensor", 2, "torch.CharTensor", 1.0,
        float(a.sum()), 3,
    )  # fmt: skip
    lua(rt, "require('matio').use_lua_strings = true")
    assert lua(rt, "return require('matio').load(..., 's').name", str(path)) == ("hi",)
    lua(rt, "require('matio').use_lua_strings = false")


def test_matio_save_read_by_scipy(rt: Runtime, tmp_path: Path) -> None:
    one, many = tmp_path / "one.mat", tmp_path / "many.mat"
    lua(
        rt,
        """
        local matio = require 'matio'
        local one, many = ...
        matio.save(one, torch.range(1, 24):resize(2, 3, 4))
        matio.save(many, {v = torch.IntTensor{1, 2, 3}, n = 9, s = 'hello', st = {h = 10}})
        """,
        str(one),
        str(many),
    )
    x = sio.loadmat(one)["x"]
    np.testing.assert_array_equal(x, np.arange(1, 25).reshape(2, 3, 4))
    m = sio.loadmat(many)
    assert m["v"].shape == (3, 1) and m["v"].dtype == np.int32  # a vector saves as a column
    assert m["n"][0, 0] == 9 and m["s"][0] == "hello"
    assert m["st"]["h"][0, 0][0, 0] == 10


def test_matio_missing_file_and_variable(rt: Runtime, tmp_path: Path) -> None:
    out: list[str] = []
    r = Runtime(write=out.append)
    res = r.execute("return require('matio').load(...)", "@t.lua", str(tmp_path / "no.mat"))
    assert res == (None,) and "File could not be opened" in "".join(out)
    path = tmp_path / "v.mat"
    sio.savemat(path, {"a": np.ones((2, 2))})
    res = r.execute("return require('matio').load(..., 'b')", "@t.lua", str(path))
    assert res == (None,) and "Could not find variable with name: b" in "".join(out)
