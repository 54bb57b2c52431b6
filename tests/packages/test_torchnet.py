"""torchnet and argcheck: an engine trains a network on a ListDataset with meters and hooks
(its loss falls), datasets compose, a ParallelDatasetIterator loads on worker threads, and
argcheck's errors are Lua errors a script can catch. Outputs identical to real Torch7's are in
tests/oracle/torchnet_api.lua and tests/oracle/argcheck_api.lua."""

from __future__ import annotations

from pathlib import Path

import pytest

from luatorch.runtime import LuaError, Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("tnt = require 'torchnet'; require 'optim'")
    return r


def test_engine_trains_with_meters_and_hooks(rt: Runtime) -> None:
    rt.execute("""
        torch.manualSeed(3)
        local N, D = 64, 4
        local X = torch.randn(N, D)
        local Y = torch.LongTensor(N)
        for i = 1, N do Y[i] = X[i][1] + X[i][2] > 0 and 1 or 2 end
        local data = tnt.ListDataset{
           list = torch.range(1, N):long(),
           load = function(i) return {input = X[i], target = torch.LongTensor{Y[i]}} end,
        }:batch(16):transform(function(s) s.target = s.target:view(-1); return s end)
        local net = nn.Sequential():add(nn.Linear(D, 2)):add(nn.LogSoftMax())
        local engine = tnt.OptimEngine()
        local loss, err = tnt.AverageValueMeter(), tnt.ClassErrorMeter{topk = {1}}
        calls, losses, errors = {}, {}, {}
        for _, h in ipairs{'onStart', 'onStartEpoch', 'onSample', 'onForward', 'onBackward',
                           'onUpdate', 'onEndEpoch', 'onEnd'} do
           local prev = engine.hooks[h]
           engine.hooks[h] = function(state) calls[h] = (calls[h] or 0) + 1 end
        end
        engine.hooks.onStartEpoch = function() loss:reset(); err:reset() end
        engine.hooks.onForwardCriterion = function(state)
           loss:add(state.criterion.output)
           err:add(state.network.output, state.sample.target)
        end
        engine.hooks.onEndEpoch = function(state)
           losses[state.epoch] = loss:value()
           errors[state.epoch] = err:value{k = 1}
        end
        engine:train{network = net, criterion = nn.ClassNLLCriterion(),
                     iterator = tnt.DatasetIterator(data), optimMethod = optim.sgd,
                     config = {learningRate = 0.5}, maxepoch = 10}
    """)
    g = rt.globals
    assert g.calls.onSample == 40 and g.calls.onUpdate == 40
    assert g.calls.onStart == 1 and g.calls.onEnd == 1
    assert g.losses[10] < 0.5 * g.losses[1]
    assert g.errors[10] <= 10


def test_datasets_compose(rt: Runtime) -> None:
    rt.execute("""
        local base = tnt.TableDataset{data = {{v = 1}, {v = 2}, {v = 3}, {v = 4}, {v = 5}}}
        local negated = base:transform(function(s) s.v = -s.v; return s end)
        local d = tnt.ConcatDataset{datasets = {base, negated}}
        local split = d:split({a = 4, b = 6}, 'b')
        vals = {}
        for s in split:iterator()() do vals[#vals + 1] = s.v end
        shuffled = {}
        for s in base:shuffle():iterator()() do shuffled[#shuffled + 1] = s.v end
        table.sort(shuffled)
    """)
    g = rt.globals
    assert [g.vals[i] for i in range(1, 7)] == [5, -1, -2, -3, -4, -5]
    assert [g.shuffled[i] for i in range(1, 6)] == [1, 2, 3, 4, 5]


def test_parallel_iterator_on_threads(rt: Runtime) -> None:
    rt.execute("""
        local it = tnt.ParallelDatasetIterator{
           nthread = 2,
           closure = function()
              local tnt = require 'torchnet'
              return tnt.ListDataset{list = torch.range(1, 12):long(),
                                     load = function(x) return {x = x * x} end}
           end,
           filter = function(s) return s.x % 2 == 0 end,
           ordered = true,
        }
        got = {}
        for s in it() do got[#got + 1] = s.x end
    """)
    assert [rt.globals.got[i] for i in range(1, 7)] == [4, 16, 36, 64, 100, 144]


def test_argcheck_errors_are_catchable(rt: Runtime) -> None:
    with pytest.raises(LuaError, match=r"\*Got:\* \*\*tnt.AverageValueMeter\*\*, \*\*string\*\*"):
        rt.execute("tnt.AverageValueMeter():add('x')")
    with pytest.raises(LuaError, match="unknown hook <onFoo>"):
        rt.execute("tnt.SGDEngine().hooks.onFoo = function() end")
    with pytest.raises(LuaError, match="argcheck rules led to ambiguous situations"):
        rt.execute("""
            local argcheck = require 'argcheck'
            local f = argcheck{{name = 'x', type = 'number'}, call = print}
            argcheck{{name = 'y', type = 'number'}, overload = f, call = print}
        """)


# archives written by real torchnet (tests/data/torchnet_indexed/make_archives.lua, run with
# Torch7's th) and the samples they hold (samples.lua, rebuilt here)
ARCHIVES = Path(__file__).resolve().parents[1] / "data" / "torchnet_indexed"
SAME_SAMPLES = """
local dir, read, only = ...
local function equal(a, b)
   if type(a) ~= 'table' or type(b) ~= 'table' then return a == b end
   for k, v in pairs(a) do if not equal(v, b[k]) then return false end end
   for k in pairs(b) do if a[k] == nil then return false end end
   return true
end
local samples = dofile(dir .. '/samples.lua')
local bad = {}
for i = 1, samples.n do
   local got = read(i)
   for _, name in ipairs(only and {only} or samples.names) do
      local want, have = samples.fields[name](i), got[name]
      local same
      if torch.isTensor(want) then
         same = torch.type(have) == torch.type(want) and have:dim() == want:dim()
            and (want:dim() == 0 or (have:isSameSizeAs(want) and have:eq(want):all()))
      else
         same = equal(have, want)
      end
      if not same then bad[#bad + 1] = name .. i end
   end
end
return table.concat(bad, ' ')
"""


def _same_samples(rt: Runtime, read_lua: str, only: str | None = None) -> str:
    """The samples (field and index) that read(i) gives wrong; only: that field alone."""
    read = rt.execute(f"return function(i) {read_lua} end")[0]
    return rt.execute(SAME_SAMPLES, "=same", str(ARCHIVES), read, only)[0]


@pytest.mark.parametrize("mmap", ["false", "true"])
def test_indexed_dataset_reads_torchnet_archives(rt: Runtime, mmap: str) -> None:
    rt.execute(
        f"""
        local dir = ...
        local oldprint = print
        print = function(...) loadedline = table.concat({{...}}, ' ') end
        ds = tnt.IndexedDataset{{fields = {{'input', 'target', 'pixels', 'meta'}}, path = dir,
                                mmap = {mmap}, mmapidx = {mmap}}}
        print = oldprint
        meta = tnt.IndexedDatasetReader(dir .. '/meta.idx', dir .. '/meta.bin')
    """,
        "=load",
        str(ARCHIVES),
    )
    assert rt.execute("return ds:size(), meta:size()")[:2] == (5, 5)
    assert (
        rt.execute("return loadedline")[0] == f"| IndexedDataset: loaded {ARCHIVES} with 5 examples"
    )
    assert _same_samples(rt, "return ds:get(i)") == ""
    # a reader (with its file) survives serialization, as when sent to a thread
    assert _same_samples(rt, "return torch.deserialize(torch.serialize(ds)):get(i)") == ""
    assert rt.execute("return torch.type(meta:get(2)), meta:get(2).name")[:2] == (
        "table",
        "sample2",
    )


def test_indexed_writer_writes_torchnet_bytes(rt: Runtime, tmp_path: Path) -> None:
    """Our writer's files are byte for byte those of real torchnet (so it reads ours); in the
    table archive only the order of a table's keys may differ (LuaJIT versions hash strings
    differently), so it must have the same length and index and read back the same values."""
    rt.execute(
        """
        local dir, out = ...
        local samples = dofile(dir .. '/samples.lua')
        for _, name in ipairs(samples.names) do
           local w = tnt.IndexedDatasetWriter(out .. '/' .. name .. '.idx',
                                              out .. '/' .. name .. '.bin', samples.types[name])
           for i = 1, samples.n do w:add(samples.fields[name](i)) end
           w:close()
        end
    """,
        "=write",
        str(ARCHIVES),
        str(tmp_path),
    )
    for name in ("input", "target", "pixels", "meta"):
        for ext in ("idx", "bin"):
            ours = (tmp_path / f"{name}.{ext}").read_bytes()
            theirs = (ARCHIVES / f"{name}.{ext}").read_bytes()
            if name == "meta" and ext == "bin":
                assert len(ours) == len(theirs)
            else:
                assert ours == theirs, f"{name}.{ext}"
    rt.execute(
        """
        local out = ...
        written = tnt.IndexedDatasetReader(out .. '/meta.idx', out .. '/meta.bin')
    """,
        "=read",
        str(tmp_path),
    )
    assert _same_samples(rt, "return {meta = written:get(i)}", "meta") == ""


def test_indexed_writer_appends_and_checks(rt: Runtime, tmp_path: Path) -> None:
    rt.execute(
        """
        local out = ...
        local w = tnt.IndexedDatasetWriter(out .. '/a.idx', out .. '/a.bin', 'double')
        w:add(torch.Tensor{1, 2})
        w:close()
        w = tnt.IndexedDatasetWriter(out .. '/a.idx', out .. '/a.bin')
        w:add(torch.Tensor{{3}, {4}})
        w:close()
        r = tnt.IndexedDatasetReader(out .. '/a.idx', out .. '/a.bin')
        wb = tnt.IndexedDatasetWriter(out .. '/b.idx', out .. '/b.bin', 'int')
    """,
        "=append",
        str(tmp_path),
    )
    assert rt.execute("return r:size(), r:get(1):sum(), r:get(2):dim(), r:get(2)[2][1]")[:4] == (
        2,
        3,
        2,
        4,
    )
    with pytest.raises(LuaError, match="invalid tensor type"):
        rt.execute("wb:add(torch.FloatTensor(2))")
    with pytest.raises(LuaError, match='only available for "table" or "char"-based datasets'):
        rt.execute("wb:add({1, 2})")
    with pytest.raises(LuaError, match="index out of range"):
        rt.execute("r:get(3)")
    with pytest.raises(LuaError, match="invalid type"):
        rt.execute("tnt.IndexedDatasetWriter('x.idx', 'x.bin', 'half')")


def test_coroutine_batch_dataset(rt: Runtime) -> None:
    """Every get() of a batch starts before any finishes: a dataset that yields after queueing
    its index sees the whole batch queued, and the batch is what BatchDataset gives."""
    rt.execute("""
        local classes = {}
        local Lazy = torch.class('tnt.LazyTestDataset', 'tnt.Dataset', classes)
        function Lazy:__init() self.queued = {} ; self.maxQueued = 0 end
        function Lazy:size() return 7 end
        function Lazy:get(i)
           table.insert(self.queued, i)
           self.maxQueued = math.max(self.maxQueued, #self.queued)
           if i % 2 == 1 then coroutine.yield() end
           self.queued = {}
           return {input = torch.Tensor{i, -i}}
        end
        lazy = classes.LazyTestDataset()
        cb = tnt.CoroutineBatchDataset(lazy, 3)
        b = tnt.BatchDataset(tnt.ListDataset{list = torch.range(1, 7):long(),
              load = function(i) return {input = torch.Tensor{i, -i}} end}, 3)
        sizes = {cb:size(), cb:get(1).input:size(1), cb:get(3).input:size(1)}
        same = cb:get(2).input:equal(b:get(2).input) and cb:get(3).input:equal(b:get(3).input)
    """)
    sizes = rt.execute("return sizes")[0]
    assert [sizes[i] for i in (1, 2, 3)] == [3, 3, 1]
    assert rt.execute("return same, lazy.maxQueued")[:2] == (True, 2)
