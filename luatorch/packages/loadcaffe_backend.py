"""Caffe model files for the Lua ``loadcaffe`` package (szagoruyko/loadcaffe's API) on protobuf.

loadcaffe reads the text prototxt and then the binary caffemodel into the same ``NetParameter``;
protobuf's binary parse starts by clearing the message, so the network that gets built is the one
stored in the caffemodel (its layers, their parameters and blobs) and the prototxt only names the
generated ``<prototxt>.lua`` file. Both layer generations are read: V2 (``layer``, field 100,
string types) and the older V1 (``layers``, field 2, enum types) that e.g. VGG_ILSVRC_19 uses.

The schema below is our own description of the subset of Caffe's ``caffe.proto`` that loadcaffe
looks at, with Caffe's field numbers, types and defaults; fields it does not name are kept as
unknown fields by protobuf (binary) or skipped (text), so real files parse in full.

The conversion follows loadcaffe's C++ rules, quirks included (they decide which network a user
gets): the View before the first Linear is inserted by comparing plane counts, a V2 ``Softmax``
ends the conversion without being added, a refused convolution in V2 ends it too, LRN constants
are rounded by their printf formats, pooling is always in ceil mode.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from ..tensor.core import Tensor, TorchError, tensor_from_array

# --------------------------------------------------------------------------------------------
# schema: message -> fields (name, number, type, label, default); type is a scalar type name,
# an enum ("enum:Name") or a message ("msg:Name"). Labels: "o" optional, "r" repeated, "p" packed.
# --------------------------------------------------------------------------------------------
_ENUMS: dict[str, list[tuple[str, int]]] = {
    "PoolMethod": [("MAX", 0), ("AVE", 1), ("STOCHASTIC", 2)],
    "NormRegion": [("ACROSS_CHANNELS", 0), ("WITHIN_CHANNEL", 1)],
    # V1 layer types as Caffe numbered them (loadcaffe prints the number of unknown ones)
    "LayerType": [
        ("NONE", 0), ("ACCURACY", 1), ("BNLL", 2), ("CONCAT", 3), ("CONVOLUTION", 4),
        ("DATA", 5), ("DROPOUT", 6), ("EUCLIDEAN_LOSS", 7), ("FLATTEN", 8), ("HDF5_DATA", 9),
        ("HDF5_OUTPUT", 10), ("IM2COL", 11), ("IMAGE_DATA", 12), ("INFOGAIN_LOSS", 13),
        ("INNER_PRODUCT", 14), ("LRN", 15), ("MULTINOMIAL_LOGISTIC_LOSS", 16), ("POOLING", 17),
        ("RELU", 18), ("SIGMOID", 19), ("SOFTMAX", 20), ("SOFTMAX_LOSS", 21), ("SPLIT", 22),
        ("TANH", 23), ("WINDOW_DATA", 24), ("ELTWISE", 25), ("POWER", 26),
        ("SIGMOID_CROSS_ENTROPY_LOSS", 27), ("HINGE_LOSS", 28), ("MEMORY_DATA", 29),
        ("ARGMAX", 30), ("THRESHOLD", 31), ("DUMMY_DATA", 32), ("SLICE", 33), ("MVN", 34),
        ("ABSVAL", 35), ("SILENCE", 36), ("CONTRASTIVE_LOSS", 37), ("EXP", 38),
        ("DECONVOLUTION", 39),
    ],
}  # fmt: skip

_MESSAGES: dict[str, list[tuple[str, int, str, str, Any]]] = {
    "BlobShape": [("dim", 1, "int64", "p", None)],
    "BlobProto": [
        ("num", 1, "int32", "o", None),
        ("channels", 2, "int32", "o", None),
        ("height", 3, "int32", "o", None),
        ("width", 4, "int32", "o", None),
        ("data", 5, "float", "p", None),
        ("diff", 6, "float", "p", None),
        ("shape", 7, "msg:BlobShape", "o", None),
        ("double_data", 8, "double", "p", None),
        ("double_diff", 9, "double", "p", None),
    ],
    "ConvolutionParameter": [
        ("num_output", 1, "uint32", "o", None),
        ("bias_term", 2, "bool", "o", True),
        ("pad", 3, "uint32", "o", 0),
        ("kernel_size", 4, "uint32", "o", None),
        ("group", 5, "uint32", "o", 1),
        ("stride", 6, "uint32", "o", 1),
        ("pad_h", 9, "uint32", "o", 0),
        ("pad_w", 10, "uint32", "o", 0),
        ("kernel_h", 11, "uint32", "o", None),
        ("kernel_w", 12, "uint32", "o", None),
        ("stride_h", 13, "uint32", "o", None),
        ("stride_w", 14, "uint32", "o", None),
    ],
    "PoolingParameter": [
        ("pool", 1, "enum:PoolMethod", "o", "MAX"),
        ("kernel_size", 2, "uint32", "o", None),
        ("stride", 3, "uint32", "o", 1),
        ("pad", 4, "uint32", "o", 0),
        ("kernel_h", 5, "uint32", "o", None),
        ("kernel_w", 6, "uint32", "o", None),
        ("stride_h", 7, "uint32", "o", None),
        ("stride_w", 8, "uint32", "o", None),
        ("pad_h", 9, "uint32", "o", 0),
        ("pad_w", 10, "uint32", "o", 0),
        ("global_pooling", 12, "bool", "o", False),
    ],
    "LRNParameter": [
        ("local_size", 1, "uint32", "o", 5),
        ("alpha", 2, "float", "o", 1.0),
        ("beta", 3, "float", "o", 0.75),
        ("norm_region", 4, "enum:NormRegion", "o", "ACROSS_CHANNELS"),
        ("k", 5, "float", "o", 1.0),
    ],
    "InnerProductParameter": [
        ("num_output", 1, "uint32", "o", None),
        ("bias_term", 2, "bool", "o", True),
        ("axis", 5, "int32", "o", 1),
    ],
    "DropoutParameter": [("dropout_ratio", 1, "float", "o", 0.5)],
    "LayerParameter": [
        ("name", 1, "string", "o", None),
        ("type", 2, "string", "o", None),
        ("bottom", 3, "string", "r", None),
        ("top", 4, "string", "r", None),
        ("blobs", 7, "msg:BlobProto", "r", None),
        ("convolution_param", 106, "msg:ConvolutionParameter", "o", None),
        ("dropout_param", 108, "msg:DropoutParameter", "o", None),
        ("inner_product_param", 117, "msg:InnerProductParameter", "o", None),
        ("lrn_param", 118, "msg:LRNParameter", "o", None),
        ("pooling_param", 121, "msg:PoolingParameter", "o", None),
    ],
    "V1LayerParameter": [
        ("bottom", 2, "string", "r", None),
        ("top", 3, "string", "r", None),
        ("name", 4, "string", "o", None),
        ("type", 5, "enum:LayerType", "o", None),
        ("blobs", 6, "msg:BlobProto", "r", None),
        ("convolution_param", 10, "msg:ConvolutionParameter", "o", None),
        ("dropout_param", 12, "msg:DropoutParameter", "o", None),
        ("inner_product_param", 17, "msg:InnerProductParameter", "o", None),
        ("lrn_param", 18, "msg:LRNParameter", "o", None),
        ("pooling_param", 19, "msg:PoolingParameter", "o", None),
    ],
    "NetParameter": [
        ("name", 1, "string", "o", None),
        ("layers", 2, "msg:V1LayerParameter", "r", None),
        ("input", 3, "string", "r", None),
        ("input_dim", 4, "int32", "r", None),
        ("force_backward", 5, "bool", "o", False),
        ("input_shape", 8, "msg:BlobShape", "r", None),
        ("layer", 100, "msg:LayerParameter", "r", None),
    ],
}

_PACKAGE = "caffe"


@functools.cache
def _net_class() -> Any:
    """The NetParameter message class, built from the schema above at first use."""
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    except ImportError:
        raise TorchError(
            "loadcaffe: needs protobuf (pip install protobuf, or luatorch[caffe])"
        ) from None
    fdp = descriptor_pb2.FileDescriptorProto(
        name="luatorch_caffe_subset.proto", package=_PACKAGE, syntax="proto2"
    )
    F = descriptor_pb2.FieldDescriptorProto
    enum_owner = {"PoolMethod": "PoolingParameter", "NormRegion": "LRNParameter"}
    enum_owner["LayerType"] = "V1LayerParameter"
    for mname, fields in _MESSAGES.items():
        msg = fdp.message_type.add(name=mname)
        for ename, owner in enum_owner.items():
            if owner == mname:
                enum = msg.enum_type.add(name=ename)
                for vname, number in _ENUMS[ename]:
                    enum.value.add(name=vname, number=number)
        for fname, number, ftype, label, default in fields:
            field = msg.field.add(name=fname, number=number)
            field.label = F.LABEL_OPTIONAL if label == "o" else F.LABEL_REPEATED
            if label == "p":
                field.options.packed = True
            if ftype.startswith("msg:"):
                field.type = F.TYPE_MESSAGE
                field.type_name = f".{_PACKAGE}.{ftype[4:]}"
            elif ftype.startswith("enum:"):
                field.type = F.TYPE_ENUM
                ename = ftype[5:]
                field.type_name = f".{_PACKAGE}.{enum_owner[ename]}.{ename}"
            else:
                field.type = getattr(F, "TYPE_" + ftype.upper())
            if default is not None:
                field.default_value = (
                    str(default).lower() if isinstance(default, bool) else str(default)
                )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    descriptor = pool.FindMessageTypeByName(f"{_PACKAGE}.NetParameter")
    if hasattr(message_factory, "GetMessageClass"):  # protobuf >= 4.22
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(pool).GetPrototype(descriptor)


# Python's text-parser messages in the words of libprotobuf's C++ parser (protobuf 3.21)
_TEXT_ERRORS = [
    (re.compile(r"Expected (\w+) but found: '(.*)'"), r"Expected \1, got: \2"),
    (re.compile(r"Couldn't parse (integer|float|unsigned integer): (.*)"), r"Expected \1, got: \2"),
    (
        re.compile(r'Enum type "[^"]*" has no value named (\w+)\.'),
        r'Unknown enumeration value of "\1" for field "{field}".',
    ),
]
_TEXT_ERROR_HEADER = (
    "[libprotobuf ERROR google/protobuf/text_format.cc:337] "
    "Error parsing text-format caffe.NetParameter"
)


def _parse_text(path: str, net: Any) -> str:
    """Reads a text prototxt into net as libprotobuf's TextFormat::Parse: an unreadable file is
    silently skipped, a syntax error is reported (the returned text, for stderr) and parsing stops.
    Fields outside our subset of caffe.proto are skipped."""
    from google.protobuf import text_format

    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return ""
    try:
        text_format.Parse(text, net, allow_unknown_field=True)
    except text_format.ParseError as e:
        line, column = e.GetLine(), e.GetColumn()
        message = str(e).split(" : ", 1)[-1]
        source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
        message = message.removeprefix(f"'{source}': ")  # Python quotes the line; C++ does not
        for pattern, words in _TEXT_ERRORS:
            m = pattern.search(message)
            if m:
                field = re.search(r"(\w+)\s*:\s*" + re.escape(m.group(1)), source)
                message = m.expand(words.replace("{field}", field.group(1) if field else ""))
                break
        where = f"{line}:{column}: " if line else ""
        return f"{_TEXT_ERROR_HEADER}: {where}{message}\n"
    return ""


# --------------------------------------------------------------------------------------------
# conversion: a loaded net -> the lines of loadcaffe's generated Lua file
# --------------------------------------------------------------------------------------------
class _Stop(Exception):
    """A V2 conversion step that ends the whole conversion (the C++ code's `break`)."""


def _kernel_stride_pad(p: Any, pool: bool) -> tuple[int, int, int, int, int, int]:
    """(kW, kH, dW, dH, padW, padH) with loadcaffe's fallbacks to the square fields: kernel and
    stride when either side is 0; padding when either side is 0 (convolution) or both are
    (pooling)."""
    kw, kh = p.kernel_w, p.kernel_h
    if kw == 0 or kh == 0:
        kw = kh = p.kernel_size
    dw, dh = p.stride_w, p.stride_h
    if dw == 0 or dh == 0:
        dw = dh = p.stride
    pw, ph = p.pad_w, p.pad_h
    if (pw == 0 and ph == 0) if pool else (pw == 0 or ph == 0):
        pw = ph = p.pad
    return kw, kh, dw, dh, pw, ph


def _weight_blob(layer: Any, kind: str) -> Any:
    if len(layer.blobs) == 0:
        raise TorchError(f"loadcaffe: {kind} layer '{layer.name}' has no weights in the caffemodel")
    return layer.blobs[0]


def _shape_dim(blob: Any, i: int, name: str) -> int:
    if len(blob.shape.dim) <= i:
        raise TorchError(f"loadcaffe: weight blob of layer '{name}' has too few dimensions")
    return int(blob.shape.dim[i])


class _Converter:
    """Builds (name, constructor) pairs and the messages loadcaffe prints while converting."""

    def __init__(self, net: Any, backend: str) -> None:
        self.net = net
        self.backend = backend
        # an unknown backend name is treated as ccn2, as loadcaffe's enum default
        self.kind = backend if backend in ("nn", "cudnn") else "ccn2"
        self.printed: list[str] = []
        self.v1 = len(net.layers) > 0

    def run(self) -> str:
        out = [f"require '{self.backend}'", "local model = {}"]
        if self.backend == "ccn2":
            out.append(
                "table.insert(model, {'torch_transpose_dwhb', nn.Transpose({1,4},{1,3},{1,2})})"
            )
        if self.v1:
            self.planes = len(self.net.input_dim)
            layers = self.net.layers
        else:
            self.planes = len(self.net.input_shape) * 4
            layers = self.net.layer
        for layer in layers:
            try:
                lines = self.layer_lines(layer)
            except _Stop:
                break
            if lines:
                out += [f"table.insert(model, {{'{n}', {c}}})" for n, c in lines]
            else:
                ltype = layer.type if not self.v1 else _v1_type_number(layer)
                warning = f"warning: module '{layer.name} [type {ltype}]' not found"
                out.append("-- " + warning)
                self.printed.append(warning)
        return "\n".join(out) + "\nreturn model"

    def refuse(self, message: str) -> list[tuple[str, str]]:
        """A convolution loadcaffe cannot express: V1 skips the layer, V2 stops converting."""
        self.printed.append(message)
        if self.v1:
            return []
        raise _Stop

    def layer_lines(self, layer: Any) -> list[tuple[str, str]]:
        name, kind, b = layer.name, self.kind, self.backend
        ltype = _v1_type_name(layer) if self.v1 else layer.type
        if ltype in ("Convolution", "CONVOLUTION"):
            return self.convolution(layer)
        if ltype in ("Pooling", "POOLING"):
            return [(name, self.pooling(layer.pooling_param))]
        if ltype in ("ReLU", "RELU"):
            return [(name, "cudnn.ReLU(true)" if kind == "cudnn" else "nn.ReLU(true)")]
        if ltype in ("Tanh", "TANH", "Sigmoid", "SIGMOID"):
            short = "Tanh" if ltype.upper() == "TANH" else "Sigmoid"
            return [(name, f"cudnn.{short}(true)" if kind == "cudnn" else f"nn.{short}()")]
        if ltype == "LRN":
            p = layer.lrn_param
            args = f"{p.local_size}, {p.alpha:.6f}, {p.beta:.4f}, {p.k:f}"
            cls = {
                "nn": "nn.SpatialCrossMapLRN",
                "cudnn": "cudnn.SpatialCrossMapLRN",
            }.get(b, "ccn2.SpatialCrossResponseNormalization")
            return [(name, f"{cls}({args})")]
        if ltype in ("InnerProduct", "INNER_PRODUCT"):
            return self.inner_product(layer)
        if ltype in ("Dropout", "DROPOUT"):
            return [(name, f"nn.Dropout({layer.dropout_param.dropout_ratio:f})")]
        if ltype in ("Softmax", "SoftmaxWithLoss", "SOFTMAX", "SOFTMAX_LOSS"):
            if not self.v1:
                raise _Stop  # loadcaffe's V2 branch leaves its loop before adding the layer
            return [(name, "cudnn.SoftMax()" if b == "cudnn" else "nn.SoftMax()")]
        if self.v1:
            self.printed.append(f"MODULE {name} UNDEFINED")
        return []

    def convolution(self, layer: Any) -> list[tuple[str, str]]:
        p = layer.convolution_param
        groups = p.group or 1
        w = _weight_blob(layer, "Convolution")
        if not self.v1 and w.HasField("shape"):
            n_in, n_out = _shape_dim(w, 1, layer.name), _shape_dim(w, 0, layer.name)
        else:
            n_in, n_out = w.channels, w.num
        n_in *= groups
        self.planes = n_out
        kw, kh, dw, dh, pw, ph = _kernel_stride_pad(p, pool=False)
        if self.kind == "ccn2":
            if kw != kh or dw != dh or pw != ph:
                return self.refuse("ccn2 only supports square images!")
            args = f"{n_in}, {n_out}, {kw}, {dw}, {pw}, {groups}"
            return [(layer.name, f"ccn2.SpatialConvolution({args})")]
        if self.kind == "nn":
            if groups != 1:
                return self.refuse("nn supports no groups!")
            args = f"{n_in}, {n_out}, {kw}, {kh}, {dw}, {dh}, {pw}, {ph}"
            return [(layer.name, f"nn.SpatialConvolution({args})")]
        args = f"{n_in}, {n_out}, {kw}, {kh}, {dw}, {dh}, {pw}, {ph}, {groups}"
        return [(layer.name, f"cudnn.SpatialConvolution({args})")]

    def pooling(self, p: Any) -> str:
        kw, kh, dw, dh, pw, ph = _kernel_stride_pad(p, pool=True)
        method = p.pool  # 0 MAX, 1 AVE, 2 STOCHASTIC
        if self.kind == "ccn2":
            if method == 2:
                raise TorchError("Stochastic pooling is not implemented in DHWB format")
            cls = "ccn2.SpatialMaxPooling" if method == 0 else "ccn2.SpatialAvgPooling"
            return f"{cls}({kw}, {dw})"
        if method == 2:
            return f"inn.SpatialStochasticPooling({kw}, {kh}, {dw}, {dh})"
        cls = "SpatialMaxPooling" if method == 0 else "SpatialAveragePooling"
        return f"{self.kind}.{cls}({kw}, {kh}, {dw}, {dh}, {pw}, {ph}):ceil()"

    def inner_product(self, layer: Any) -> list[tuple[str, str]]:
        w = _weight_blob(layer, "InnerProduct")
        if not self.v1 and w.HasField("shape"):
            n_in = _shape_dim(w, 1, layer.name)
        else:
            n_in = w.width
        n_out = layer.inner_product_param.num_output
        lines = []
        # a View goes in front when the plane count so far differs from the Linear's inputs
        if self.planes != n_in:
            if self.backend == "ccn2":
                lines.append(("torch_transpose_bdwh", "nn.Transpose({4,1},{4,2},{4,3})"))
            lines.append(("torch_view", "nn.View(-1):setNumInputDims(3)"))
        lines.append((layer.name, f"nn.Linear({n_in}, {n_out})"))
        self.planes = n_out
        return lines


def _v1_type_number(layer: Any) -> int:
    return int(layer.type)


_V1_NAMES = {number: name for name, number in _ENUMS["LayerType"]}


def _v1_type_name(layer: Any) -> str:
    return _V1_NAMES.get(int(layer.type), "NONE")


def _layer_blobs(net: Any, name: str) -> list[tuple[str, np.ndarray, tuple[int, ...], Any]]:
    """Every layer called name: (the line loadcaffe prints, weight data, weight sizes, bias)."""
    out = []
    v1 = len(net.layers) > 0
    for layer in net.layers if v1 else net.layer:
        if layer.name != name:
            continue
        w = _weight_blob(layer, "weighted")
        fc = not v1 and layer.type == "InnerProduct"
        if not v1 and w.HasField("shape"):
            n_in, n_out = _shape_dim(w, 1, name), _shape_dim(w, 0, name)
            kw = kh = 0
            if not fc:
                kw, kh = _shape_dim(w, 3, name), _shape_dim(w, 2, name)
        elif fc:
            n_in, n_out, kw, kh = w.width, w.height, 0, 0
        else:
            n_in, n_out, kw, kh = w.channels, w.num, w.width, w.height
        sizes = (1, 1, n_in, n_out) if fc else (n_out, n_in, kw, kh)
        data = np.array(w.data, dtype=np.float32)
        count = int(np.prod(sizes))
        if data.size < count:
            raise TorchError(
                f"loadcaffe: weight blob of layer '{name}' holds {data.size} values, "
                f"{count} expected"
            )
        # a layer without bias (bias_term: false) computes as a zero bias
        bias = np.array(layer.blobs[1].data, dtype=np.float32) if len(layer.blobs) > 1 else None
        info = "{}: {} {} {} {}".format(name, *sizes)
        out.append((info, data[:count].reshape(sizes), sizes, bias))
    return out


def exports(bindings: Any) -> dict[str, Callable[..., Any]]:
    """Functions for lua/loadcaffe."""
    lua = bindings.lua
    wrap = bindings.wrap
    nets: dict[int, Any] = {}
    ids = itertools.count(1)

    def read(prototxt: str, caffemodel: str) -> tuple[Any, str]:
        """(net id or nil, stderr text): the prototxt, then the caffemodel replacing it."""
        net = _net_class()()
        errors = _parse_text(prototxt, net)
        try:
            with open(caffemodel, "rb") as f:
                data = f.read()
            net.ParseFromString(data)  # clears what the prototxt gave, as libprotobuf does
        except Exception:  # unreadable or not a NetParameter: loadcaffe's "Couldn't load"
            return None, errors
        key = next(ids)
        nets[key] = net
        return key, errors

    def convert(key: int, lua_name: str, backend: str) -> Any:
        """Writes loadcaffe's Lua description of the net; returns the lines it prints."""
        conv = _Converter(nets[key], backend)
        text = conv.run()
        try:
            with open(lua_name, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError:
            pass  # as an unopenable std::ofstream: reading the file back fails in Lua
        return lua.table_from(conv.printed)

    def blobs(key: int, name: str) -> Any:
        """A Lua array of {info, weight FloatTensor, bias FloatTensor or nil} per layer `name`."""
        rows = []
        for info, data, sizes, bias in _layer_blobs(nets[key], name):
            row = lua.table()
            row[1] = info
            row[2] = wrap(tensor_from_array(data.reshape(sizes), "Float"))
            if bias is not None:
                row[3] = wrap(tensor_from_array(bias, "Float") if bias.size else Tensor("Float"))
            rows.append(row)
        return lua.table_from(rows)

    def release(key: int) -> None:
        nets.pop(key, None)

    return {
        "caffe_read": read,
        "caffe_convert": convert,
        "caffe_blobs": blobs,
        "caffe_release": release,
    }
