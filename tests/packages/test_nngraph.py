"""nngraph and graph: gModules built from nodes, checked against finite differences, numpy
reference maths, nngraph's own test cases (rewritten here), serialization and graphviz output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from nn_gradcheck import check_module

from luatorch.pytest_plugin import LuaFixture

HAVE_DOT = shutil.which("dot") is not None


@pytest.fixture(scope="module")
def ng() -> LuaFixture:
    lua = LuaFixture()
    lua.run("require 'nngraph'")
    return lua


def graph_ctor(body: str) -> str:
    """A Lua expression building a gModule: `body` ends with a `return nn.gModule(...)`."""
    return "(function()\n" + body + "\nend)()"


# ---------------------------------------------------------------- gradients (finite differences)
GRAPHS = {
    # nngraph's README examples
    "mlp": (
        """
        local h1 = nn.Linear(5, 4)()
        local h2 = nn.Linear(4, 2)(nn.Tanh()(nn.Linear(4, 4)(nn.Tanh()(h1))))
        return nn.gModule({h1}, {h2})""",
        "torch.randn(5)",
    ),
    "two_in_two_out": (
        """
        local x1, x2 = nn.Linear(4, 4)(), nn.Linear(3, 3)()
        local madd = nn.CAddTable()({nn.Linear(4, 1)(nn.Tanh()(x1)),
                                     nn.Linear(3, 1)(nn.Tanh()(x2))})
        return nn.gModule({x1, x2}, {nn.Sigmoid()(madd), nn.Tanh()(madd)})""",
        "{torch.randn(4), torch.randn(3)}",
    ),
    "containers_split": (
        """
        local m = nn.Sequential():add(nn.SplitTable(1))
           :add(nn.ParallelTable():add(nn.Linear(4, 3)):add(nn.Linear(4, 2)))
        local input = nn.Identity()()
        local a, b = m(input):split(2)
        return nn.gModule({input}, {nn.JoinTable(1)({a, b})})""",
        "torch.randn(2, 4)",
    ),
    "skip_connections": (
        """
        local input = nn.Identity()()
        local L1 = nn.Tanh()(nn.Linear(2, 3)(input))
        local L2 = nn.Tanh()(nn.Linear(5, 4)(nn.JoinTable(1)({input, L1})))
        local L3 = nn.Tanh()(nn.Linear(7, 2)(nn.JoinTable(1)({L1, L2})))
        return nn.gModule({input}, {L3})""",
        "torch.randn(2)",
    ),
    # a fork: gradients of two consumers are summed
    "fork": (
        """
        local in1 = nn.Identity()()
        return nn.gModule({in1}, {nn.Identity()(in1), nn.Tanh()(in1)})""",
        "torch.randn(3)",
    ),
    "split_outputs": (
        """
        local in1 = nn.Sigmoid()()
        local a, b = nn.SplitTable(1)({in1}):split(2)
        return nn.gModule({in1}, {a, b})""",
        "torch.randn(2, 3)",
    ),
    # nested table input: the second input is itself a pair
    "nested_input": (
        """
        local in1, in2 = nn.Identity()(), nn.Identity()()
        local h, c = in2:split(2)
        return nn.gModule({in1, in2}, {nn.CMulTable()({in1, h, c})})""",
        "{torch.randn(3), {torch.randn(3), torch.randn(3)}}",
    ),
    "inputs_as_outputs": (
        """
        local in1, in2 = nn.Sigmoid()(), nn.Sigmoid()()
        return nn.gModule({in1, in2}, {in1, in2, nn.Sigmoid()(in1)})""",
        "{torch.randn(3), torch.randn(3)}",
    ),
    "rnn_cell": (
        """
        local x, prev = nn.Identity()(), nn.Identity()()
        local ph, pc = prev:split(2)
        local cell = nn.CAddTable()({nn.CMulTable()({x, ph}), nn.CMulTable()({ph, pc})})
        return nn.gModule({x, prev}, {cell})""",
        "{torch.randn(3), {torch.randn(3), torch.randn(3)}}",
    ),
    "tabular_input": (
        """
        local in1 = nn.SplitTable(1)()
        return nn.gModule({in1}, {nn.CAddTable()(in1)})""",
        "torch.randn(2, 3)",
    ),
    "cmul_params_fork": (
        """
        local in1 = nn.CMul(4)()
        return nn.gModule({in1}, {nn.Identity()(in1), nn.Identity()(in1)})""",
        "torch.randn(4)",
    ),
    "table_module_input": (
        """
        local x = nn.Identity()()
        local h1 = nn.Sequential():add(nn.JoinTable(2)):add(nn.Tanh())
        local h2 = nn.Sequential():add(nn.JoinTable(2)):add(nn.Identity())
        return nn.gModule({x}, {nn.CAddTable()({h1(x), h2(x)})})""",
        "{torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3)}",
    ),
    "usage_after_split": (
        """
        local prev = nn.Identity()()
        local h, cell = prev:split(2)
        return nn.gModule({prev}, {h, nn.Identity()(prev), nn.Sigmoid()(cell)})""",
        "{torch.randn(4), torch.randn(4)}",
    ),
    # the same weights used twice (a clone sharing parameters and gradients)
    "shared_parameters": (
        """
        local lin = nn.Linear(3, 3)
        local lin2 = lin:clone('weight', 'bias', 'gradWeight', 'gradBias')
        local x = nn.Identity()()
        local y = lin2(nn.Tanh()(lin(x)))
        return nn.gModule({x}, {y})""",
        "torch.randn(2, 3)",
    ),
    # a gModule used as a node of another gModule, with split outputs
    "nested_gmodule": (
        """
        local a, b = nn.Identity()(), nn.Identity()()
        local s = nn.CAddTable()({nn.Linear(3, 4)(a), nn.Linear(2, 4)(b)})
        local inner = nn.gModule({a, b}, {nn.Tanh()(s), s})
        local x1, x2 = nn.Identity()(), nn.Identity()()
        local o1, o2 = inner({x1, x2}):split(2)
        return nn.gModule({x1, x2}, {nn.Linear(4, 2)(o1), nn.Sigmoid()(o2)})""",
        "{torch.randn(3), torch.randn(2)}",
    ),
    # chaining with '-'
    "minus_chain": (
        """
        local x = - nn.Identity()
        local y = x - nn.Linear(4, 3) - nn.Tanh() - nn.Linear(3, 2)
        return nn.gModule({x}, {y})""",
        "torch.randn(5, 4)",
    ),
    "criterion_node": (
        """
        local pred, target = nn.Identity()(), nn.Identity()()
        local loss = nn.MSECriterion()({nn.Linear(3, 2)(pred), target})
        return nn.gModule({pred, target}, {loss})""",
        "{torch.randn(3), torch.randn(2)}",
    ),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_gradients_match_finite_differences(ng: LuaFixture, name: str) -> None:
    body, inp = GRAPHS[name]
    # the criterion node gives no gradient for its target (nngraph's ModuleFromCriterion)
    check_input = name != "criterion_node"
    errors = check_module(ng.runtime, graph_ctor(body), input_lua=inp, check_input=check_input)
    if check_input:
        assert errors["input"] < 1e-6


@pytest.mark.parametrize("name", ["mlp", "two_in_two_out", "nested_gmodule", "rnn_cell"])
def test_float_graphs_agree_with_double(ng: LuaFixture, name: str) -> None:
    body, inp = GRAPHS[name]
    errors = check_module(ng.runtime, graph_ctor(body), input_lua=inp, dtype="float")
    assert errors["float"] < 1e-4


def test_mlp_matches_numpy(ng: LuaFixture) -> None:
    w1, b1, w2, b2, x, out, gx = ng.run("""
        torch.manualSeed(7)
        local x = nn.Identity()()
        local l1, l2 = nn.Linear(4, 3), nn.Linear(3, 2)
        local g = nn.gModule({x}, {l2(nn.Tanh()(l1(x)))})
        local input = torch.randn(5, 4)
        local out = g:forward(input):clone()
        local gx = g:backward(input, torch.ones(5, 2)):clone()
        return l1.weight, l1.bias, l2.weight, l2.bias, input, out, gx""")
    h = np.tanh(x @ w1.T + b1)
    np.testing.assert_allclose(out, h @ w2.T + b2, rtol=1e-12)
    np.testing.assert_allclose(gx, ((np.ones((5, 2)) @ w2) * (1 - h**2)) @ w1, rtol=1e-12)


# ---------------------------------------------------------------- nngraph's behaviour
def test_fork_sums_gradients_and_recomputes(ng: LuaFixture) -> None:
    gi, out2, gi2 = ng.run("""
        local in1 = nn.Identity()()
        local m = nn.gModule({in1}, {nn.Identity()(in1), nn.Identity()(in1)})
        m:forward(torch.Tensor{1})
        local gi = m:backward(torch.Tensor{1}, {torch.Tensor{-2}, torch.Tensor{-3}}):clone()
        local in2 = nn.Identity()()
        local one = nn.gModule({in2}, {nn.Identity()(in2)})
        local o = one:forward(torch.Tensor{2}):clone()
        return gi, o, one:backward(torch.Tensor{2}, torch.Tensor{-2})""")
    assert gi.tolist() == [-5.0]
    assert out2.tolist() == [2.0] and gi2.tolist() == [-2.0]


def test_one_input_graph_passes_tables_through(ng: LuaFixture) -> None:
    same, tbl = ng.run("""
        local in1 = nn.Identity()()
        local m = nn.gModule({in1}, {nn.Identity()(in1)})
        local x = torch.Tensor{123}
        return m:forward(x) == x, #m:forward({x})""")
    assert same is True and tbl == 1


def test_output_and_gradinput_shapes(ng: LuaFixture) -> None:
    n_out, n_gi, gi2_is_table, gi_sizes = ng.run("""
        local x, prev = nn.Identity()(), nn.Identity()()
        local h, c = prev:split(2)
        local m = nn.gModule({x, prev}, {nn.CMulTable()({x, h, c}), nn.Identity()(c)})
        local input = {torch.randn(3), {torch.randn(3), torch.randn(3)}}
        local out = m:forward(input)
        local gi = m:backward(input, {torch.randn(3), torch.randn(3)})
        return #out, #gi, type(gi[2]) == 'table', {gi[1]:size(1), gi[2][1]:size(1)}""")
    assert (n_out, n_gi, gi2_is_table, gi_sizes) == (2, 2, True, [3, 3])


def test_module_list_and_parameters(ng: LuaFixture) -> None:
    types, nparams, flat = ng.run("""
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Linear(3, 2)(nn.Tanh()(nn.Linear(4, 3)(x)))})
        local types = {}
        for i, m in ipairs(g.modules) do types[i] = torch.type(m) end
        local p = g:parameters()
        local flat = g:getParameters()
        return types, #p, flat:nElement()""")
    assert types == ["nn.Identity", "nn.Linear", "nn.Tanh", "nn.Linear"]
    assert nparams == 4 and flat == 4 * 3 + 3 + 3 * 2 + 2


def test_tostring_and_name(ng: LuaFixture) -> None:
    ng.clear_output()
    ng.run("""
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Tanh()(x)})
        print(g)
        g.name = 'my_net'
        print(g)
        print(nn.Sequential():add(g))""")
    assert ng.take_output() == (
        "nn.gModule\nmy_net\nnn.Sequential {\n  [input -> (1) -> output]\n  (1): my_net\n}\n"
    )


def test_node_labels_and_annotations(ng: LuaFixture) -> None:
    label, name, attrs, debug = ng.run(
        """
        local input = nn.Identity()()
        local h = nn.Linear(3, 3)(input):annotate{name = 'Hidden', description = 'DescB',
           graphAttributes = {color = 'blue'}}
        local g = nn.gModule({input}, {h})
        g:forward(torch.randn(3))
        return h:label(), h:graphNodeName(), h:graphNodeAttributes(),
               input.data.annotations._debugLabel""",
        name="@mynet.lua",
    )
    assert label.startswith("desc = DescB\\n")
    assert "module = nn.Linear(3 -> 3)" in label and "input = {Tensor[3]}" in label
    assert name.startswith("Hidden (") and attrs["color"] == "blue"
    # the tooltip says where the node was made: the user's file and line, as in nngraph
    assert debug == "[mynet.lua]:2_" and attrs["tooltip"] == "[mynet.lua]:3_"


def test_split_debug_labels(ng: LuaFixture) -> None:
    labels = ng.run("""
        local node = nn.Identity()()
        node.data.annotations._debugLabel = 'node'
        local a, b = node:split(2)
        return a.data.annotations._debugLabel, b.data.annotations._debugLabel""")
    assert labels == ("node-1", "node-2")


@pytest.mark.parametrize(
    "code, match",
    [
        (
            "local a, b = nn.Identity()(), nn.Identity()\nnn.Linear(2, 1)(nn.CMulTable(){a, b})",
            r"^t\.lua:2: inputs\[2\] is an nn\.Module, specifically a nn\.Identity, "
            r"but the only valid "
            r"thing to pass is an instance of nngraph\.Node\. "
            r"Did you forget a second set of parens",
        ),
        (
            "local n, m = nn.Identity()(), nn.Identity()\nnn.gModule({n, m}, {n})",
            r"^t\.lua:2: inputs\[2\] is an nn\.Module, specifically a nn\.Identity",
        ),
        (
            "local i = nn.Identity()()\nnn.gModule({i}, {nn.Linear(2, 1)(i), nn.Linear(2, 3)})",
            r"^t\.lua:2: outputs\[2\] is an nn\.Module, specifically a nn\.Linear",
        ),
        (
            "local i = nn.Identity()()\nnn.gModule({i}, {nn.Tanh()(i), nil, nn.Sigmoid()(i)})",
            r"^t\.lua:2: outputs\[2\] is nil \(typo / bad index\?\)",
        ),
        (
            "local i = nn.Identity()({aNonExistentVariable})",
            r"^t\.lua:1: cannot pass an empty table of inputs\. "
            r"To indicate no incoming connections, "
            r"leave the second set of parens blank\.",
        ),
        ("nn.Sigmoid()(nil)", r"inputs\[1\] is nil"),
        ("local i = nn.Identity()()\nnn.Identity()(i, i)", "Use {input1, input2} to pass multiple"),
        ("local i = nn.Identity()()\nnn.CAddTable()({i, i})", "Don't pass the same input twice"),
        (
            "local x, h = nn.Identity()(), nn.Identity()()\nnn.gModule({x, h}, {x})",
            r"1 of split\(2\) outputs from the node declared at .* are unused",
        ),
        (
            "local i = nn.Identity()()\n"
            "local a, b = nn.Identity()(i):split(2)\nnn.gModule({i}, {a})",
            r"^t\.lua:3: 1 of split\(2\) outputs from the node declared at \[t\.lua\]:2_ split at "
            r"\[t\.lua\]:2-mnode are unused",
        ),
        (
            "local a = nn.Identity()()\nlocal unused = nn.Sigmoid()(a)\n"
            "nn.gModule({a}, {nn.Tanh()(a)})",
            r"^t\.lua:3: node declared on \[t\.lua\]:2_ does not connect to gmodule output",
        ),
        (
            "local i = nn.Identity()()\nlocal a, b = nn.SplitTable(2)(i):split(2)\n"
            "nn.gModule({i}, {a, b}):forward(torch.randn(4, 3))",
            r"split\(2\) cannot split 3 outputs",
        ),
        (
            "local a, b = nn.Identity()(), nn.Identity()()\n"
            "nn.gModule({a, b}, {nn.CAddTable()({a, b})}):forward(torch.randn(3))",
            "expecting table of 2 inputs",
        ),
        (
            "local a, b = nn.Identity()(), nn.Identity()()\n"
            "nn.gModule({a, b}, {nn.CAddTable()({a, b})}):forward({torch.randn(3)})",
            "Got 1 inputs instead of 2",
        ),
        ("local i = nn.Identity()()\nlocal y = i - 3", "right side of '-' must be an nn.Module"),
        (
            "local y = 3 - nn.Linear(2, 2)",
            "left side of '-' must be an nngraph.Node or an nn.Module",
        ),
        ("nngraph.nest({})", "what is this in the nest input"),
    ],
)
def test_clean_errors(ng: LuaFixture, code: str, match: str) -> None:
    ng.raises(code, match=match, name="@t.lua")


def test_minus_operator_builds_the_same_graph(ng: LuaFixture) -> None:
    kinds, same = ng.run("""
        local x = - nn.Identity()
        local y = x - nn.Linear(3, 2) - nn.Tanh()
        local g = nn.gModule({x}, {y})
        local kinds = {}
        for i, m in ipairs(g.modules) do kinds[i] = torch.type(m) end
        local z = nn.Identity() - nn.Sigmoid()
        local input = torch.randn(3)
        local l = g.modules[2]
        local ref = torch.tanh(l.weight * input + l.bias)
        return kinds, (g:forward(input) - ref):abs():max() == 0
           and torch.type(z.data.module) == 'nn.Sigmoid' and #z.children == 1""")
    assert kinds == ["nn.Identity", "nn.Linear", "nn.Tanh"] and same is True


def test_type_converts_graph_buffers(ng: LuaFixture) -> None:
    types = ng.run("""
        local in1 = nn.Linear(6, 4)()
        local m = nn.gModule({in1}, {nn.Linear(4, 1)(nn.Tanh()(nn.Linear(4, 4)(nn.Tanh()(in1))))})
        local input = torch.rand(6)
        m:forward(input)
        m:backward(input, torch.randn(1))
        m:float()
        local t = {torch.type(m.output), torch.type(m.gradInput),
                   torch.type(m.innode.data.input[1]), torch.type(m.outnode.data.input[1]),
                   torch.type(m.forwardnodes[1].data.input[1]),
                   torch.type(m.forwardnodes[1].children[1].data.input[1]),
                   torch.type(m.backwardnodes[1].children[1].data.gradOutput[1])}
        t[#t + 1] = torch.type(m:forward(input:float()))
        t[#t + 1] = torch.type(m:backward(input:float(), torch.randn(1):float()))
        return t""")[0]
    assert types == ["torch.FloatTensor"] * 9


def test_replace_updates_nodes_and_modules(ng: LuaFixture) -> None:
    sizes, tanh = ng.run("""
        local i = nn.Identity()()
        local model = nn.gModule({i}, {nn.Linear(2, 5)(nn.Sigmoid()(nn.Linear(5, 2)(i)))})
        model:replace(function(m)
           if torch.type(m) == 'nn.Linear' then
              return m.weight:size(1) == 2 and nn.Linear(10, 2) or nn.Linear(2, 10)
           elseif torch.type(m) == 'nn.Sigmoid' then return nn.Tanh() end
           return m
        end)
        local x = torch.randn(4, 10)
        return {model:forward(x):size(2), model:backward(x, torch.randn(4, 10)):size(2)},
               torch.type(model.modules[3])""")
    assert sizes == [10, 10] and tanh == "nn.Tanh"


def test_zero_gradient_shortcut(ng: LuaFixture) -> None:
    # modules whose gradInput is a zero expanded from one element do not need a summing buffer
    ok = ng.run("""
        local dummy = nn.Module()
        function dummy:updateOutput(input)
           self.output = torch.Tensor(1, 2, 3):uniform()
           return self.output
        end
        function dummy:updateGradInput(input)
           self.gradInput = torch.Tensor{0}:view(1, 1, 1):expandAs(input)
           return self.gradInput
        end
        local input, go = torch.Tensor(1, 2, 3):uniform(), torch.Tensor(1, 2, 3):uniform()
        local x = nn.Identity()()
        local a = nn.gModule({x}, {nn.CAddTable()({dummy:clone()(x), nn.Identity()(x)})})
        a:forward(input)
        local ga = a:backward(input, go):clone()
        local y = nn.Identity()()
        local b = nn.gModule({y}, {nn.CAddTable()({dummy:clone()(y), dummy:clone()(y)})})
        b:forward(input)
        b:backward(input, go)
        return (ga - go):abs():max() == 0""")[0]
    assert ok is True


def test_nest_just_element_just_table(ng: LuaFixture) -> None:
    out = ng.run("""
        local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
        local g = nn.gModule({a, b, c}, {nngraph.nest({a, {b}, c}), nngraph.nest(a),
                                         c:split(1)})
        local x = {torch.Tensor{1}, torch.Tensor{2}, {torch.Tensor{3}}}
        local o = g:forward(x)
        return {o[1][1][1], o[1][2][1][1], o[1][3][1][1], o[2][1], o[3][1]}""")[0]
    assert out == [1.0, 2.0, 3.0, 1.0, 3.0]


def test_criterion_node_gives_the_loss(ng: LuaFixture) -> None:
    loss, ref, zero = ng.run("""
        local p, t = nn.Identity()(), nn.Identity()()
        local g = nn.gModule({p, t}, {nn.MSECriterion()({p, t})})
        local a, b = torch.randn(4), torch.randn(4)
        local out = g:forward({a, b})
        local gi = g:backward({a, b}, torch.Tensor{1})
        return out[1], nn.MSECriterion():forward(a, b), gi[2]:abs():max()""")
    assert loss == pytest.approx(ref, rel=1e-14) and zero == 0


# ---------------------------------------------------------------- serialization and cloning
def test_save_load_and_clone_round_trip(ng: LuaFixture, tmp_path: Path) -> None:
    path = str(tmp_path / "g.t7")
    diffs, typename, independent = ng.run(
        """
        local path = ...
        torch.manualSeed(5)
        local a, b = nn.Identity()(), nn.Identity()()
        local s = nn.CAddTable()({nn.Linear(3, 4)(a), nn.Linear(2, 4)(b)})
        local inner = nn.gModule({a, b}, {nn.Tanh()(s), s})
        local x1, x2 = nn.Identity()(), nn.Identity()()
        local o1, o2 = inner({x1, x2}):split(2)
        local g = nn.gModule({x1, x2}, {nn.Linear(4, 1)(o1), o2})
        local input = {torch.randn(3), torch.randn(2)}
        local out = g:forward(input)
        local ref1, ref2 = out[1]:clone(), out[2]:clone()
        local gref = g:backward(input, {torch.ones(1), torch.ones(4)})[1]:clone()
        torch.save(path, g)
        local loaded = torch.load(path)
        local clone = g:clone()
        local diffs = {}
        for _, m in ipairs({loaded, clone}) do
           local o = m:forward(input)
           local gi = m:backward(input, {torch.ones(1), torch.ones(4)})
           diffs[#diffs + 1] = math.max((o[1] - ref1):abs():max(), (o[2] - ref2):abs():max(),
                                        (gi[1] - gref):abs():max())
        end
        -- the clone owns its weights
        clone:getParameters():fill(0)
        local independent = (g:forward(input)[1] - ref1):abs():max() == 0
        return diffs, torch.type(loaded), independent""",
        path,
    )
    assert diffs == [0, 0] and typename == "nn.gModule" and independent is True


def test_shared_clone_shares_weights(ng: LuaFixture) -> None:
    shared = ng.run("""
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Linear(3, 2)(x)})
        local c = g:clone('weight', 'bias')
        g.modules[2].weight:fill(0.5)
        return c.modules[2].weight[1][1]""")[0]
    assert shared == 0.5


# ---------------------------------------------------------------- graph package
def test_graph_topsort_roots_leaves(ng: LuaFixture) -> None:
    order, roots, leaves, cyc, cyc2 = ng.run("""
        local n = {}
        for i = 1, 5 do n[i] = graph.Node(i) end
        local g = graph.Graph()
        g:add(graph.Edge(n[1], n[2])); g:add(graph.Edge(n[1], n[3]))
        g:add(graph.Edge(n[2], n[4])); g:add(graph.Edge(n[3], n[4])); g:add(graph.Edge(n[5], n[3]))
        local sorted = g:topsort()
        local order = {}
        for i, node in ipairs(sorted) do order[i] = node.data end
        local r, l = {}, {}
        for i, node in ipairs(g:roots()) do r[i] = node.data end
        for i, node in ipairs(g:leaves()) do l[i] = node.data end
        local c = graph.Graph()
        local p, q = graph.Node('p'), graph.Node('q')
        c:add(graph.Edge(p, q)); c:add(graph.Edge(q, p))
        return order, r, l, g:hasCycle(), c:hasCycle()""")
    # every edge goes forward in the order
    pos = {v: i for i, v in enumerate(order)}
    for a, b in [(1, 2), (1, 3), (2, 4), (3, 4), (5, 3)]:
        assert pos[a] < pos[b]
    assert sorted(order) == [1, 2, 3, 4, 5]
    assert roots == [1, 5] and leaves == [4] and cyc is False and cyc2 is True


def test_todot_format(ng: LuaFixture) -> None:
    dot = ng.run("""
        local a, b = graph.Node('A'), graph.Node('b"c')
        local g = graph.Graph()
        g:add(graph.Edge(a, b))
        return g:todot('T')""")[0]
    assert dot == (
        'digraph G {\nlabelloc="t";\nlabel="T";\nnode [shape = oval]; '
        '\nn1[label="Node1\\nA"];\nn2[label="Node2\\nb\\"c"];\nn1 -> n2;\n}'
    )


ANNOTATED = """
    local input = nn.Identity()():annotate({name = 'Input', description = 'DescA',
                                            graphAttributes = {color = 'red'}})
    local hidden = nn.Linear(10, 10)(input):annotate({name = 'Hidden A', description = 'DescB',
       graphAttributes = {color = 'blue', fontcolor = 'green', tooltip = 'I am green'}})
    local net = nn.gModule({input}, {nn.Linear(10, 10)(nn.Sigmoid()(hidden))})
    graph.dot(net.fg, 'Test', ...)
    local f = io.open(... .. '.dot')
    local text = f:read('*a')
    f:close()
    return text:match('%[color=red.*label=%"Input.*DescA.*%".*%]') ~= nil,
       text:match('%[.*fontcolor=green.*label=%"Hidden A.*DescB.*%".*%]') ~= nil,
       text:match('%[color=blue.*label=%".*DescB.*%".*%]') ~= nil,
       text:match('%[.*label=%".*DescB.*%".*tooltip=%"I am green%".*%]') ~= nil
"""


def test_graph_dot_without_graphviz(
    ng: LuaFixture, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    prefix = str(tmp_path / "fg")
    ng.run("graph._dotProgram = 'no_such_graphviz_program'")
    try:
        matches = ng.run(ANNOTATED, prefix)
    finally:
        ng.run("graph._dotProgram = 'dot'")
    assert matches == (True, True, True, True)
    assert Path(prefix + ".dot").exists() and not Path(prefix + ".svg").exists()
    assert "no_such_graphviz_program' program was not found" in capfd.readouterr().err


@pytest.mark.skipif(not HAVE_DOT, reason="graphviz's dot program is not installed")
def test_graph_dot_with_graphviz(ng: LuaFixture, tmp_path: Path) -> None:
    prefix = str(tmp_path / "fg")
    assert ng.run(ANNOTATED, prefix) == (True, True, True, True)
    svg = Path(prefix + ".svg").read_text()
    assert "<svg" in svg and "Hidden A" in svg
    # the .dot file is graphviz's own rewrite, with the layout
    assert "pos=" in Path(prefix + ".dot").read_text()


@pytest.mark.skipif(not HAVE_DOT, reason="graphviz's dot program is not installed")
def test_graphviz_layout(ng: LuaFixture) -> None:
    pos = ng.run("""
        local x = nn.Identity()()
        local g = nn.gModule({x}, {nn.Tanh()(nn.Linear(2, 2)(x))})
        return graph.graphvizLayout(g.fg)""")[0]
    assert pos.shape == (5, 2) and (pos >= 0).all() and (pos <= 1).all()
    assert len({tuple(p) for p in pos.round(6)}) == 5


def test_set_debug_draws_the_failing_node(
    ng: LuaFixture, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    prefix = str(tmp_path / "bad_net")
    msg, restored = ng.run(
        """
        nngraph.setDebug(true)
        local x = nn.Identity()()
        local net = nn.gModule({x}, {nn.Linear(10, 10)(x)})
        net.name = ...
        local ok, err = pcall(function() net:updateOutput(torch.rand(11)) end)
        nngraph.setDebug(false)
        local ok2 = pcall(function() net:updateOutput(torch.rand(11)) end)
        return err, not ok2""",
        prefix,
    )
    assert "size mismatch" in msg and "stack traceback:" in msg and restored is True
    dot = Path(prefix + ".dot").read_text()
    # the Linear node is drawn red
    linear_id = dot.split("module = nn.Linear(10 -> 10)")[0].rsplit("\nn", 1)[1].split("[")[0]
    assert f"n{linear_id}[style=filled, fillcolor=red];" in dot
    assert Path(prefix + ".svg").exists() == HAVE_DOT
    capfd.readouterr()


def test_annotate_nodes_names_locals(ng: LuaFixture) -> None:
    names = ng.run("""
        local function build()
           local input_x = nn.Identity()()
           local hidden = nn.Linear(3, 3)(input_x):annotate{name = 'kept'}
           nngraph.annotateNodes()
           return input_x, hidden
        end
        local a, b = build()
        return a.data.annotations.name, b.data.annotations.name""")
    assert names == ("input_x", "kept")


# ---------------------------------------------------------------- a char-rnn LSTM trains
LSTM = r"""
torch.manualSeed(123)
local text = [[the quick brown fox jumps over the lazy dog. a stitch in time saves nine. ]] ..
   [[all that glitters is not gold. the early bird catches the worm. practice makes perfect. ]] ..
   [[where there is a will there is a way. actions speak louder than words. ]] ..
   [[the pen is mightier than the sword. when in rome do as the romans do.]]
local vocab, nvocab = {}, 0
local data = torch.LongTensor(#text)
for i = 1, #text do
   local ch = text:sub(i, i)
   if not vocab[ch] then nvocab = nvocab + 1; vocab[ch] = nvocab end
   data[i] = vocab[ch]
end

-- one LSTM step as in char-rnn's LSTM.lua: {x, prev_c, prev_h} -> {next_c, next_h, logprobs}
local function lstm(vocabSize, rnnSize)
   local x, prevC, prevH = nn.Identity()(), nn.Identity()(), nn.Identity()()
   local emb = nn.LookupTable(vocabSize, rnnSize)(x)
   local sums = nn.CAddTable()({nn.Linear(rnnSize, 4 * rnnSize)(emb):annotate{name = 'i2h'},
                                nn.Linear(rnnSize, 4 * rnnSize)(prevH):annotate{name = 'h2h'}})
   local n1, n2, n3, n4 = nn.SplitTable(2)(nn.Reshape(4, rnnSize)(sums)):split(4)
   local inGate, forgetGate, outGate = nn.Sigmoid()(n1), nn.Sigmoid()(n2), nn.Sigmoid()(n3)
   local nextC = nn.CAddTable()({nn.CMulTable()({forgetGate, prevC}),
                                 nn.CMulTable()({inGate, nn.Tanh()(n4)})})
   local nextH = nn.CMulTable()({outGate, nn.Tanh()(nextC)})
   local logprobs = nextH - nn.Linear(rnnSize, vocabSize) - nn.LogSoftMax()
   return nn.gModule({x, prevC, prevH}, {nextC, nextH, logprobs})
end

local H, T, B = 24, 10, 4
local proto = lstm(nvocab, H)
local params, grads = proto:getParameters()
params:uniform(-0.08, 0.08)
local crit = nn.ClassNLLCriterion()
local clones = {}
for t = 1, T do clones[t] = proto:clone('weight', 'bias', 'gradWeight', 'gradBias') end

local pos = 0
local function feval(p)
   if p ~= params then params:copy(p) end
   grads:zero()
   local x, y = torch.LongTensor(B, T), torch.LongTensor(B, T)
   for b = 1, B do
      local start = (pos + (b - 1) * 37) % (#text - T - 1) + 1
      x[b] = data:narrow(1, start, T)
      y[b] = data:narrow(1, start + 1, T)
   end
   pos = pos + T
   local c, h = {[0] = torch.zeros(B, H)}, {[0] = torch.zeros(B, H)}
   local preds, loss = {}, 0
   for t = 1, T do
      local out = clones[t]:forward({x[{{}, t}], c[t - 1], h[t - 1]})
      c[t], h[t], preds[t] = out[1], out[2], out[3]
      loss = loss + crit:forward(preds[t], y[{{}, t}])
   end
   local dc, dh = torch.zeros(B, H), torch.zeros(B, H)
   for t = T, 1, -1 do
      local dpred = crit:backward(preds[t], y[{{}, t}])
      local gi = clones[t]:backward({x[{{}, t}], c[t - 1], h[t - 1]}, {dc, dh, dpred})
      dc, dh = gi[2], gi[3]
   end
   grads:clamp(-5, 5)
   return loss / T, grads
end

local hasOptim = pcall(require, 'optim')
local state = {learningRate = 0.5}
local losses = {}
for it = 1, 300 do
   if hasOptim then
      local _, fs = optim.sgd(feval, params, state)
      losses[it] = fs[1]
   else
      local loss, g = feval(params)
      params:add(-state.learningRate, g)
      losses[it] = loss
   end
end
-- every clone still shares the prototype's weights
local shared = clones[T].modules[3].weight:storage() == proto.modules[3].weight:storage()
   or torch.pointer(clones[T].modules[3].weight:storage()) == torch.pointer(params:storage())
return losses, math.log(nvocab), shared
"""


def test_char_rnn_lstm_learns(ng: LuaFixture) -> None:
    losses, uniform, shared = ng.run(LSTM)
    first, last = np.mean(losses[:10]), np.mean(losses[-10:])
    assert shared is True
    assert abs(first - uniform) < 0.5  # starts near a uniform guess
    assert last < 0.6 * first, (first, last)


def test_annotated_node(ng: LuaFixture) -> None:
    label, name, attrs = ng.run(
        """
        require 'graph'
        local n = graph.AnnotatedNode({}):annotate({name = 'x', graphAttributes = {color = 'red'}})
        n.id = 3
        return n.data.annotations._debugLabel, n:graphNodeName(), n:graphNodeAttributes()""",
        name="@ann.lua",
    )
    assert label == "[ann.lua]:3" and name == "x (3)"
    assert attrs == {"color": "red", "tooltip": "[ann.lua]:3"}
