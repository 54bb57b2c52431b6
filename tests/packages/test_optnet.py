"""optnet: sharing storages between modules whose outputs are not alive at the same time keeps
the results of a branching network exactly and uses less memory; removeOptimization gives every
module its own buffers back. (A VGG-style run against real Torch7 with fmassa/optimize-net is
tests/oracle/optnet_api.lua.)"""

from __future__ import annotations

import pytest

from luatorch.runtime import Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("optnet = require 'optnet'")
    return r


@pytest.mark.parametrize("mode", ["inference", "training"])
def test_branching_network_same_results_less_memory(rt: Runtime, mode: str) -> None:
    rt.execute(f"""
        torch.manualSeed(1)
        local function block()
           return nn.Sequential():add(nn.Linear(6, 6)):add(nn.Tanh()):add(nn.Linear(6, 6))
        end
        net = nn.Sequential()
           :add(nn.Linear(5, 6)):add(nn.ReLU())
           :add(nn.Concat(2):add(block()):add(block()):add(nn.Identity()))
           :add(nn.Linear(18, 4)):add(nn.Sigmoid())
        x, g = torch.randn(3, 5), torch.randn(3, 4)
        ref = net:forward(x):clone()
        net:zeroGradParameters()
        refGi = net:backward(x, g):clone()
        local _, gp = net:parameters()
        refGp = {{}}
        for i, t in ipairs(gp) do refGp[i] = t:clone() end
        before = optnet.countUsedMemory(net)
        optnet.optimizeMemory(net, x, {{mode = '{mode}'}})
        out = net:forward(x):clone()
        after = optnet.countUsedMemory(net)
        diff = (out - ref):abs():max()
        if '{mode}' == 'training' then
           net:zeroGradParameters()
           gi = net:backward(x, g)
           diff = math.max(diff, (gi - refGi):abs():max())
           local _, gp2 = net:parameters()
           for i, t in ipairs(gp2) do diff = math.max(diff, (t - refGp[i]):abs():max()) end
        end
        optnet.removeOptimization(net)
        restored = (net:forward(x) - ref):abs():max()
    """)
    g = rt.globals
    assert g.diff == 0 and g.restored == 0
    assert g.after.total_size < g.before.total_size
    if mode == "inference":
        assert g.after.outputs < g.before.outputs
    else:
        assert g.after.gradInputs < g.before.gradInputs
