"""torchnet and argcheck: an engine trains a network on a ListDataset with meters and hooks
(its loss falls), datasets compose, a ParallelDatasetIterator loads on worker threads, and
argcheck's errors are Lua errors a script can catch. Outputs identical to real Torch7's are in
tests/oracle/torchnet_api.lua and tests/oracle/argcheck_api.lua."""

from __future__ import annotations

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
