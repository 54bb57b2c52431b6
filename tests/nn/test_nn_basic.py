"""The foundation's nn modules: gradients against finite differences, Torch's init and printing."""

from __future__ import annotations

import numpy as np
import pytest

from luatorch.runtime import Runtime


@pytest.fixture(scope="module")
def rt() -> Runtime:
    r = Runtime(write=lambda s: None)
    r.execute("require 'nn'")
    return r


def arr(rt: Runtime, name: str) -> np.ndarray:
    """A copy of the Lua global tensor `name` as a numpy array."""
    return rt.globals.torch._P[rt.globals[name]].arr.copy()


def numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    g = np.zeros_like(x)
    flat = x.reshape(-1)
    gflat = g.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        fp = f()
        flat[i] = old - eps
        fm = f()
        flat[i] = old
        gflat[i] = (fp - fm) / (2 * eps)
    return g


MODULES = [
    "nn.Linear(5, 3)",
    "nn.Linear(5, 3):noBias()",
    "nn.Tanh()",
    "nn.Sigmoid()",
    "nn.ReLU()",
    "nn.Threshold(0.1, -2)",
    "nn.Sequential():add(nn.Linear(5, 4)):add(nn.Tanh()):add(nn.Linear(4, 3))",
]


@pytest.mark.parametrize("ctor", MODULES)
@pytest.mark.parametrize("batch", [False, True])
def test_gradients_match_finite_differences(rt: Runtime, ctor: str, batch: bool) -> None:
    rt.execute(f"""
      torch.manualSeed(3)
      m = {ctor}
      x = torch.randn({"4, 5" if batch else "5"})
      -- keep inputs away from the ReLU/Threshold kinks
      x:apply(function(v)
         if math.abs(v - 0.1) < 0.05 or math.abs(v) < 0.05 then return v + 0.2 end
      end)
      y = m:forward(x)
      w = torch.randn(y:size())
      m:zeroGradParameters()
      gi = m:backward(x, w)
      params, grads = m:getParameters()
    """)
    P = rt.globals.torch._P
    x = P[rt.globals.x].arr
    loss = rt.lua.eval("function() return m:forward(x):clone():cmul(w):sum() end")

    np.testing.assert_allclose(arr(rt, "gi"), numeric_grad(loss, x), rtol=1e-5, atol=1e-7)
    if rt.eval("params:nElement()") > 0:
        p = P[rt.globals.params].arr
        np.testing.assert_allclose(arr(rt, "grads"), numeric_grad(loss, p), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("size_average", ["true", "false"])
def test_mse_criterion(rt: Runtime, size_average: str) -> None:
    rt.execute(f"""
      torch.manualSeed(5)
      c = nn.MSECriterion({size_average})
      x = torch.randn(3, 4)
      t = torch.randn(3, 4)
      loss = c:forward(x, t)
      gi = c:backward(x, t):clone()
    """)
    x, t = arr(rt, "x"), arr(rt, "t")
    expected = ((x - t) ** 2).sum() / (x.size if size_average == "true" else 1)
    assert rt.eval("loss") == pytest.approx(expected, rel=1e-12)
    f = rt.lua.eval("function() return c:forward(x, t) end")
    np.testing.assert_allclose(
        arr(rt, "gi"), numeric_grad(f, rt.globals.torch._P[rt.globals.x].arr), rtol=1e-5, atol=1e-8
    )


def test_linear_init_uses_torch_rng_order(rt: Runtime) -> None:
    rt.execute("torch.manualSeed(42); lin = nn.Linear(3, 4)")
    w = arr(rt, "lin") if False else rt.globals.torch._P[rt.lua.eval("lin.weight")].arr
    assert w[0, 0] == -0.14486859755165954  # golden rng.out, bit for bit
    assert rt.lua.eval("lin.bias[4]") == -0.19201675604011781


def test_user_subclass_inside_sequential(rt: Runtime) -> None:
    res = rt.execute("""
      local Double, parent = torch.class('nn.TestDouble', 'nn.Module')
      function Double:updateOutput(input)
         self.output:resizeAs(input):copy(input):mul(2)
         return self.output
      end
      function Double:updateGradInput(input, gradOutput)
         self.gradInput:resizeAs(gradOutput):copy(gradOutput):mul(2)
         return self.gradInput
      end
      local m = nn.Sequential():add(nn.TestDouble()):add(nn.Linear(2, 1))
      m:get(2).weight:fill(1)
      m:get(2).bias:zero()
      local y = m:forward(torch.Tensor{1, 2})
      local gi = m:backward(torch.Tensor{1, 2}, torch.Tensor{1})
      local n = 0
      for _, mod in ipairs(m.modules) do n = n + 1 end
      return y[1], gi[1], gi[2], n, tostring(m)
    """)
    assert res[:4] == (6, 2, 2, 2)
    assert res[4] == (
        "nn.Sequential {\n  [input -> (1) -> (2) -> output]\n  (1): nn.TestDouble\n"
        "  (2): nn.Linear(2 -> 1)\n}"
    )


def test_training_reduces_loss(rt: Runtime) -> None:
    res = rt.execute("""
      torch.manualSeed(1)
      local m = nn.Sequential():add(nn.Linear(4, 8)):add(nn.Tanh()):add(nn.Linear(8, 1))
      local c = nn.MSECriterion()
      local x = torch.randn(32, 4)
      local y = x:sum(2):mul(0.5)
      local first, last
      for i = 1, 200 do
         local loss = c:forward(m:forward(x), y)
         m:zeroGradParameters()
         m:backward(x, c:backward(m.output, y))
         m:updateParameters(0.05)
         first = first or loss
         last = loss
      end
      return first, last
    """)
    assert res[1] < res[0] / 10


def test_get_parameters_flattens_into_one_storage(rt: Runtime) -> None:
    res = rt.execute("""
      local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Linear(2, 2))
      local p, g = m:getParameters()
      p:fill(1)
      g:zero()
      local w = m:get(2).weight
      return p:nElement(), w[1][1], torch.pointer(w:storage()) == torch.pointer(p:storage())
    """)
    assert res == (8 + 6, 1, True)


def test_module_api(rt: Runtime) -> None:
    res = rt.execute("""
      local m = nn.Sequential():add(nn.Linear(3, 2)):add(nn.ReLU())
      m:evaluate()
      local train = m:get(1).train
      m:training()
      local c = m:clone()
      c:get(1).weight:fill(0)
      local found = #m:findModules('nn.Linear')
      local n = #m:listModules()
      local f = m:float()
      return train, m:get(1).weight:sum() ~= 0, found, n, torch.type(m:get(1).weight)
    """)
    assert res == (False, True, 1, 3, "torch.FloatTensor")
