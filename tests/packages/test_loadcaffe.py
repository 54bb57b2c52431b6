"""loadcaffe: caffemodels written byte by byte here (./caffe_wire.py, an encoder of its own)
load as the network built directly with nn from the same weights, in V1 and V2 layouts, for the
nn and the (emulated) cudnn backends; what it prints and the Lua file it writes are compared
with the real loadcaffe in tests/oracle/loadcaffe_*.lua (recorded from szagoruyko/loadcaffe's
C++ and Lua on real Torch7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import caffe_wire
import numpy as np
import pytest

from luatorch.runtime import LuaError, Runtime

ROOT = Path(__file__).resolve().parents[2]


class Out:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def __call__(self, s: str) -> None:
        self.parts.append(s)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        return text


def runtime(emulate_cuda: bool = False) -> tuple[Runtime, Out]:
    out = Out()
    rt = Runtime(write=out, emulate_cuda=emulate_cuda)
    rt.execute("require 'loadcaffe'")
    return rt, out


def lua_tensor(a: np.ndarray) -> str:
    """A Lua expression for a DoubleTensor holding a's float32 values exactly."""
    values = ", ".join(repr(float(v)) for v in np.asarray(a, dtype=np.float32).reshape(-1))
    sizes = ", ".join(str(n) for n in a.shape)
    return f"torch.Tensor({{{values}}}):resize({sizes})"


def direct_net(softmax: bool, seed: int = 7) -> str:
    """Lua code making `direct`: the tiny VGG built with nn, holding the fixture's weights."""
    w = caffe_wire.weights(seed)
    lines = ["direct = nn.Sequential()"]

    def add(module: str, name: str | None = None) -> None:
        lines.append(f"direct:add({module})")
        if name:
            weight, bias = w[name]
            lines.append(f"direct.modules[#direct.modules].weight:copy({lua_tensor(weight)})")
            lines.append(f"direct.modules[#direct.modules].bias:copy({lua_tensor(bias)})")

    add("nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)", "conv1_1")
    add("nn.ReLU(true)")
    add("nn.SpatialConvolution(4, 4, 1, 3)", "conv1_2")  # kernel 3 high, 1 wide; no padding
    add("nn.ReLU(true)")
    add("nn.SpatialMaxPooling(2, 2, 2, 2):ceil()")
    add("nn.SpatialCrossMapLRN(3, 0.0001, 0.75, 1)")
    add("nn.SpatialConvolution(4, 6, 3, 3, 2, 2, 1, 1)", "conv2")
    add("nn.ReLU(true)")
    add("nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1):ceil()")
    add("nn.View(-1):setNumInputDims(3)")
    add("nn.Linear(24, 10)", "fc6")
    add("nn.ReLU(true)")
    add("nn.Dropout(0.5)")
    add("nn.Linear(10, 5)", "fc7")
    if softmax:
        add("nn.SoftMax()")
    return "\n".join(lines)


@pytest.fixture
def models(tmp_path: Path) -> Path:
    for name, data in caffe_wire.fixtures().items():
        (tmp_path / name).write_bytes(data)
    return tmp_path


def test_fixtures_are_what_the_encoder_writes() -> None:
    """The oracle's files are reproducible from tests/packages/caffe_wire.py."""
    for name, data in caffe_wire.fixtures().items():
        assert (caffe_wire.FIXTURES / name).read_bytes() == data, name


@pytest.mark.parametrize(
    "version, dims, packed",
    [(1, "legacy", True), (2, "shape", True), (2, "legacy", False), (2, "shape", False)],
)
def test_same_outputs_as_the_net_built_with_nn(
    models: Path, version: int, dims: str, packed: bool
) -> None:
    model = models / "m.caffemodel"
    model.write_bytes(caffe_wire.tiny_vgg(version, dims=dims, packed=packed))
    rt, out = runtime()
    rt.execute(direct_net(softmax=version == 1))
    res = rt.execute(
        """
        local proto, model = ...
        net = loadcaffe.load(proto, model, 'nn')
        net:evaluate(); direct:evaluate()
        torch.manualSeed(5)
        local x = torch.randn(3, 3, 9, 9)
        local y, z = net:forward(x), direct:forward(x)
        local g = torch.randn(y:size())
        local gx, gz = net:backward(x, g), direct:backward(x, g)
        local dy, dg, dim, width = (y - z):abs():max(), (gx - gz):abs():max(), y:dim(), y:size(2)
        local one = net:forward(x[2])
        return #net.modules, #direct.modules, dy, dg, (one - z[2]):abs():max(), torch.type(net),
           dim, width
        """,
        "@test.lua",
        str(models / "deploy.prototxt"),
        str(model),
    )
    n = 15 if version == 1 else 14
    assert res[:4] == (n, n, 0, 0) and res[5:] == ("nn.Sequential", 2, 5)
    assert res[4] < 1e-12  # one sample goes through other BLAS calls than a batch
    printed = out.take().splitlines()
    assert printed[0] == f"Successfully loaded {model}"
    assert printed[-5:] == [
        "conv1_1: 4 3 3 3",
        "conv1_2: 4 4 1 3",
        "conv2: 6 4 3 3",
        "fc6: 1 1 24 10",
        "fc7: 1 1 10 5",
    ]
    # modules carry their Caffe names, as neural-style reads them
    names = rt.execute(
        "local t = {} for i = 1, net:size() do t[i] = net:get(i).name end "
        "return table.concat(t, ' ')"
    )[0]
    expected = "conv1_1 relu1_1 conv1_2 relu1_2 pool1 norm1 conv2 relu2 pool2 torch_view fc6 "
    expected += "relu6 drop6 fc7" + (" prob" if version == 1 else "")
    assert names == expected
    # the description written next to the prototxt is valid Lua giving the same modules
    text = (models / "deploy.prototxt.lua").read_text()
    assert text.startswith("require 'nn'\nlocal model = {}\n") and text.endswith("return model")


def test_neural_style_loop_over_the_loaded_vgg(models: Path) -> None:
    """neural-style's use: load, :float(), walk the layers by name and type, swap max pooling
    for average pooling, run an image through the first layers."""
    rt, out = runtime()
    res = rt.execute(
        """
        local proto, model = ...
        local cnn = loadcaffe.load(proto, model, 'nn'):float()
        local net, seen = nn.Sequential(), {}
        for i = 1, #cnn do  -- neural-style counts layers with # (nn.Sequential.__len)
           local layer = cnn:get(i)
           local name, layer_type = layer.name, torch.type(layer)
           if layer_type == 'nn.SpatialMaxPooling' then
              local avg = nn.SpatialAveragePooling(layer.kW, layer.kH, layer.dW, layer.dH):float()
              net:add(avg)
           else
              net:add(layer)
           end
           seen[#seen + 1] = name .. '=' .. layer_type
           if name == 'norm1' then break end
        end
        local y = net:forward(torch.FloatTensor(3, 9, 9):fill(0.5))
        return table.concat(seen, ' '), torch.type(y), y:size(1), y:size(2), y:size(3),
           torch.type(cnn:get(1).weight)
        """,
        "@test.lua",
        str(models / "deploy.prototxt"),
        str(models / "tiny_vgg_v1.caffemodel"),
    )
    assert res == (
        "conv1_1=nn.SpatialConvolution relu1_1=nn.ReLU conv1_2=nn.SpatialConvolution "
        "relu1_2=nn.ReLU pool1=nn.SpatialMaxPooling norm1=nn.SpatialCrossMapLRN",
        "torch.FloatTensor",
        4,
        3,  # average pooling without ceil: floor((7-2)/2)+1
        4,
        "torch.FloatTensor",
    )


def test_cudnn_backend_under_cuda_emulation(models: Path) -> None:
    rt, out = runtime(emulate_cuda=True)
    rt.execute(direct_net(softmax=True))
    res = rt.execute(
        """
        local proto, model = ...
        local net = loadcaffe.load(proto, model, 'cudnn')
        net:evaluate(); direct:evaluate()
        torch.manualSeed(2)
        local x = torch.randn(2, 3, 9, 9)
        local y = net:forward(x:cuda())
        local types = {}
        for i, m in ipairs(net.modules) do types[i] = torch.type(m) end
        direct:cuda()
        return table.concat(types, ' '), torch.type(y), torch.type(net:get(1).weight),
           (y - direct:forward(x:cuda())):abs():max()
        """,
        "@test.lua",
        str(models / "deploy.prototxt"),
        str(models / "tiny_vgg_v1.caffemodel"),
    )
    assert res[0].split() == [
        "cudnn.SpatialConvolution", "cudnn.ReLU", "cudnn.SpatialConvolution", "cudnn.ReLU",
        "cudnn.SpatialMaxPooling", "cudnn.SpatialCrossMapLRN", "cudnn.SpatialConvolution",
        "cudnn.ReLU", "cudnn.SpatialAveragePooling", "nn.View", "nn.Linear", "cudnn.ReLU",
        "nn.Dropout", "nn.Linear", "cudnn.SoftMax",
    ]  # fmt: skip
    assert res[1:] == ("torch.CudaTensor", "torch.CudaTensor", 0)


def test_cudnn_without_cuda_fails_as_torch7_without_cudnn(models: Path) -> None:
    rt, out = runtime()
    with pytest.raises(LuaError, match="module 'cudnn' not found:"):
        rt.execute(
            "loadcaffe.load(...)",
            "@t.lua",
            str(models / "p"),
            str(models / "tiny_vgg_v2.caffemodel"),
            "cudnn",
        )
    # an unknown backend name is required as a package too
    with pytest.raises(LuaError, match="module 'foo' not found:"):
        rt.execute(
            "loadcaffe.load(...)",
            "@t.lua",
            str(models / "p"),
            str(models / "tiny_vgg_v2.caffemodel"),
            "foo",
        )


def test_unreadable_caffemodels_print_and_return_nothing(models: Path) -> None:
    rt, out = runtime()
    for name in ("missing.caffemodel", "not_a_model.caffemodel"):
        res = rt.execute(
            "return select('#', loadcaffe.load(...))",
            "@t.lua",
            str(models / "p"),
            str(models / name),
        )
        assert res == (0,)
        assert out.take() == f"Couldn't load {models / name}\n"
    # an empty file is an empty NetParameter: an empty network
    (models / "empty.caffemodel").write_bytes(b"")
    res = rt.execute(
        "local n = loadcaffe.load(...) return torch.type(n), #n.modules",
        "@t.lua",
        str(models / "p"),
        str(models / "empty.caffemodel"),
    )
    assert res == ("nn.Sequential", 0)


def test_bad_arguments_and_weightless_layers_are_lua_errors(models: Path) -> None:
    rt, out = runtime()
    model = str(models / "tiny_vgg_v1.caffemodel")
    for code, message in [
        ("loadcaffe.load(nil, 'x')", "bad argument #1 to 'load' (string expected, got nil)"),
        ("loadcaffe.load('p', 3)", "bad argument #2 to 'load' (string expected, got number)"),
        (f"loadcaffe.load('p', '{model}', {{}})", "bad argument #3 to 'load' (string expected"),
    ]:
        res = rt.execute(f"return pcall(function() {code} end)")
        assert res[0] is False and message in res[1]
    # a deploy-only net (layers without blobs) has no weights to load
    conv = caffe_wire.layer_v2("conv1", "Convolution", conv={"num_output": 4, "kernel_size": 3})
    (models / "noweights.caffemodel").write_bytes(caffe_wire.net("n", layers=[conv]))
    res = rt.execute(
        "return pcall(loadcaffe.load, ...)",
        "@t.lua",
        str(models / "p"),
        str(models / "noweights.caffemodel"),
    )
    assert res[0] is False
    assert res[1].endswith(
        ": loadcaffe: Convolution layer 'conv1' has no weights in the caffemodel"
    )
    # the description cannot be written next to the prototxt: reading it back fails, as in
    # loadcaffe (after its messages)
    res = rt.execute(
        "return pcall(loadcaffe.load, ...)", "@t.lua", "/nonexistent/dir/deploy.prototxt", model
    )
    assert res[0] is False and res[1].endswith("attempt to index a nil value")
    # and the runtime goes on loading
    assert rt.execute("return #loadcaffe.load(...).modules", "@t", str(models / "p"), model) == (
        15,
    )


def test_layer_without_bias_computes_with_zero_bias(models: Path) -> None:
    w = np.arange(8, dtype=np.float32).reshape(2, 4) / 10
    fc = caffe_wire.layer_v2(
        "fc", "InnerProduct", (caffe_wire.blob(w),), ip={"num_output": 2, "bias_term": 0}
    )
    (models / "nobias.caffemodel").write_bytes(caffe_wire.net("n", layers=[fc], input_shape=(1, 4)))
    rt, out = runtime()
    res = rt.execute(
        """
        local net = loadcaffe.load(...)
        local y = net:forward(torch.Tensor{1, 2, 3, 4})
        return #net.modules, y[1], y[2]
        """,
        "@t.lua",
        str(models / "p"),
        str(models / "nobias.caffemodel"),
    )
    # one input shape counts 4 planes: no View in front of the Linear(4, 2)
    assert res == (1, pytest.approx(2.0), pytest.approx(6.0))


V1_PROTOTXT = """name: "tiny"
input: "data"
input_dim: 1
input_dim: 3
input_dim: 9
input_dim: 9
layers {
  bottom: "data" top: "conv1_1" name: "conv1_1" type: CONVOLUTION
  blobs_lr: 1 weight_decay: 1
  convolution_param { num_output: 4 pad: 1 kernel_size: 3
    weight_filler { type: "gaussian" std: 0.01 } }
}
layers { bottom: "conv1_1" top: "conv1_1" name: "relu1_1" type: RELU }
layers { name: "pool1" type: POOLING pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layers { name: "norm1" type: LRN lrn_param { local_size: 3 alpha: 0.0001 beta: 0.75 } }
layers { name: "prob" type: SOFTMAX include { phase: TEST } }
"""

V2_PROTOTXT = """name: "tiny"
layer { name: "data" type: "Input" top: "data"
  input_param { shape: { dim: 1 dim: 3 dim: 9 dim: 9 } } }
layer {
  name: "conv1_1" type: "Convolution" bottom: "data" top: "conv1_1"
  param { lr_mult: 1 decay_mult: 1 } param { lr_mult: 2 decay_mult: 0 }
  convolution_param { num_output: 4 pad: 1 kernel_size: 3 }
}
layer { name: "pool1" type: "Pooling" pooling_param { pool: AVE kernel_h: 2 kernel_w: 2 } }
layer { name: "fc6" type: "InnerProduct" inner_product_param { num_output: 10 } }
layer { name: "drop6" type: "Dropout" dropout_param { dropout_ratio: 0.5 } }
input_shape { dim: 1 dim: 3 dim: 9 dim: 9 }
"""


HEADER = (
    "[libprotobuf ERROR google/protobuf/text_format.cc:337] "
    "Error parsing text-format caffe.NetParameter: "
)


@pytest.mark.parametrize(
    "text, error",
    [
        (V1_PROTOTXT, None),
        (V2_PROTOTXT, None),
        # what the real loadcaffe (libprotobuf 3.21) wrote on stderr for these
        (
            "layer { name: 'x' type: 'ReLU' }\nlayer { name: ",
            HEADER + "2:15: Expected string, got: \n",
        ),
        ("input_dim: abc\n", HEADER + "1:12: Expected integer, got: abc\n"),
        # the real one points after the value (1:27)
        (
            "layers { type: NOT_A_TYPE }",
            HEADER + '1:16: Unknown enumeration value of "NOT_A_TYPE" for field "type".\n',
        ),
    ],
)
def test_prototxt_is_read_and_the_caffemodel_decides(models: Path, text: str, error: str) -> None:
    """loadcaffe parses the prototxt, then the caffemodel replaces it (protobuf's binary parse
    clears the message): the network is the caffemodel's; a broken prototxt is reported on
    stderr by the text parser, and loading goes on."""
    (models / "deploy.prototxt").write_text(text)
    script = models / "run.lua"
    script.write_text(
        "require 'loadcaffe'\n"
        "local net = loadcaffe.load('deploy.prototxt', 'tiny_vgg_v2.caffemodel')\n"
        "print(#net.modules, net:get(1).name)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    res = subprocess.run(
        [sys.executable, "-m", "luatorch", "run.lua"],
        cwd=models,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("Successfully loaded tiny_vgg_v2.caffemodel\n")
    assert res.stdout.endswith("14\tconv1_1\t\n")
    assert res.stderr == (error or "")


def test_text_schema_reads_both_layer_generations() -> None:
    """Our schema, through protobuf's text parser: field names, enums and defaults as Caffe's."""
    from luatorch.packages import loadcaffe_backend as lb

    net = lb._net_class()()
    from google.protobuf import text_format

    text_format.Parse(V1_PROTOTXT, net, allow_unknown_field=True)
    assert list(net.input_dim) == [1, 3, 9, 9]
    assert [layer.name for layer in net.layers] == ["conv1_1", "relu1_1", "pool1", "norm1", "prob"]
    assert [int(layer.type) for layer in net.layers] == [4, 18, 17, 15, 20]
    conv = net.layers[0].convolution_param
    assert (conv.num_output, conv.pad, conv.kernel_size, conv.stride, conv.group) == (4, 1, 3, 1, 1)
    lrn = net.layers[3].lrn_param
    assert (lrn.local_size, lrn.beta, lrn.k) == (3, 0.75, 1.0)
    assert lrn.alpha == pytest.approx(0.0001)
    net = lb._net_class()()
    text_format.Parse(V2_PROTOTXT, net, allow_unknown_field=True)
    assert [layer.type for layer in net.layer] == [
        "Input", "Convolution", "Pooling", "InnerProduct", "Dropout",
    ]  # fmt: skip
    assert list(net.input_shape[0].dim) == [1, 3, 9, 9]
    pool = net.layer[2].pooling_param
    assert (pool.pool, pool.kernel_h, pool.kernel_w, pool.stride, pool.pad) == (1, 2, 2, 1, 0)
    assert net.layer[4].dropout_param.dropout_ratio == 0.5
    assert net.layer[0].dropout_param.dropout_ratio == 0.5  # Caffe's default


def alexnet_style(tmp: Path) -> Path:
    """A caffemodel with AlexNet's two-tower grouped convolution (group 2)."""
    rng = np.random.RandomState(11)

    def w(*sizes: int) -> np.ndarray:
        return (rng.standard_normal(sizes) * 0.5).astype(np.float32)

    layers = [
        caffe_wire.layer_v1(
            "conv1",
            "CONVOLUTION",
            (caffe_wire.blob(w(4, 3, 3, 3), "legacy"), caffe_wire.blob(w(4), "legacy")),
            conv={"num_output": 4, "kernel_size": 3, "stride": 2},
        ),
        caffe_wire.layer_v1("relu1", "RELU"),
        caffe_wire.layer_v1(
            "conv2",
            "CONVOLUTION",
            (caffe_wire.blob(w(6, 2, 3, 3), "legacy"), caffe_wire.blob(w(6), "legacy")),
            conv={"num_output": 6, "kernel_size": 3, "pad": 1, "group": 2},
        ),
        caffe_wire.layer_v1("relu2", "RELU"),
        caffe_wire.layer_v1("norm2", "LRN", lrn={"local_size": 5, "alpha": 0.0001, "beta": 0.75}),
        caffe_wire.layer_v1("pool2", "POOLING", pool={"pool": 0, "kernel_size": 3, "stride": 2}),
        caffe_wire.layer_v1(
            "fc6",
            "INNER_PRODUCT",
            (
                caffe_wire.blob(w(5, 24), "legacy", sizes=(1, 1, 5, 24)),
                caffe_wire.blob(w(5), "legacy"),
            ),
            ip={"num_output": 5},
        ),
    ]
    path = tmp / "alexnet_style.caffemodel"
    path.write_bytes(caffe_wire.net("alex", v1_layers=layers, input_dim=(1, 3, 11, 11)))
    return path


def test_grouped_convolution_with_cudnn_under_emulation(tmp_path: Path) -> None:
    """AlexNet/CaffeNet need the cudnn backend (nn has no groups, loadcaffe refuses them): the
    emulated cudnn.SpatialConvolution computes each group with its slice of the weights."""
    model = alexnet_style(tmp_path)
    rt, out = runtime(emulate_cuda=True)
    res = rt.execute(
        """
        local proto, model = ...
        local net = loadcaffe.load(proto, model, 'cudnn')
        local conv2 = net:get(3)
        -- the same computation spelled out: each half of the planes through its own conv
        local towers = nn.Concat(2)
        for g = 1, 2 do
           local c = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
           c.weight:copy(conv2.weight:narrow(1, 3 * g - 2, 3))
           c.bias:copy(conv2.bias:narrow(1, 3 * g - 2, 3))
           towers:add(nn.Sequential():add(nn.Narrow(2, 2 * g - 1, 2)):add(c))
        end
        local direct = nn.Sequential():add(net:get(1):clone()):add(nn.ReLU(true)):add(towers)
        for i = 4, net:size() do direct:add(net:get(i):clone()) end
        direct:cuda()
        torch.manualSeed(4)
        local x = torch.randn(2, 3, 11, 11):cuda()
        local y, z = net:forward(x), direct:forward(x)
        local g = torch.randn(y:size()):cuda()
        net:zeroGradParameters(); direct:zeroGradParameters()
        local gx, gz = net:backward(x, g), direct:backward(x, g)
        local gw = torch.cat(towers:get(1):get(2).gradWeight, towers:get(2):get(2).gradWeight, 1)
        return torch.type(conv2), conv2.groups, conv2.weight:size(2), (y - z):abs():max(),
           (gx - gz):abs():max(), (conv2.gradWeight - gw):abs():max(), y:size(2)
        """,
        "@test.lua",
        str(tmp_path / "deploy.prototxt"),
        str(model),
    )
    assert res[:3] == ("cudnn.SpatialConvolution", 2, 2)
    assert max(res[3:6]) < 1e-5 and res[6] == 5
    assert "conv2: 6 2 3 3" in out.take()
    # finite differences, in double: the input and both parameters
    rt.execute(
        """
        torch.manualSeed(9)
        local m = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2):double()
        local x = torch.randn(2, 4, 5, 5)
        jac = {nn.Jacobian.testJacobian(m, x),
               nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight),
               nn.Jacobian.testJacobianParameters(m, x, m.bias, m.gradBias)}
        """
    )
    assert max(rt.lua.globals().jac.values()) < 1e-6
