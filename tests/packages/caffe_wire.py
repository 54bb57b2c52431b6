"""Caffe model files written byte by byte for the loadcaffe tests.

A small protobuf wire encoder of its own (no protobuf library, no shared schema with
luatorch/packages/loadcaffe_backend.py), so that a wrong field number on either side shows up;
the fixtures under tests/oracle/caffe/ were also loaded by the real loadcaffe (C++, libprotobuf,
Caffe's caffe.proto) to record the oracle transcripts.

``python tests/packages/caffe_wire.py`` rewrites those fixtures.
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

FIXTURES = Path(__file__).resolve().parents[1] / "oracle" / "caffe"

# Caffe's field numbers (caffe.proto)
NET = {"name": 1, "layers": 2, "input": 3, "input_dim": 4, "input_shape": 8, "layer": 100}
BLOB = {"num": 1, "channels": 2, "height": 3, "width": 4, "data": 5, "shape": 7}
V2 = {"name": 1, "type": 2, "bottom": 3, "top": 4, "blobs": 7}
V2_PARAMS = {"conv": 106, "dropout": 108, "ip": 117, "lrn": 118, "pool": 121}
V1 = {"bottom": 2, "top": 3, "name": 4, "type": 5, "blobs": 6}
V1_PARAMS = {"conv": 10, "dropout": 12, "ip": 17, "lrn": 18, "pool": 19}
V1_TYPES = {
    "CONCAT": 3, "CONVOLUTION": 4, "DATA": 5, "DROPOUT": 6, "FLATTEN": 8, "INNER_PRODUCT": 14,
    "LRN": 15, "POOLING": 17, "RELU": 18, "SIGMOID": 19, "SOFTMAX": 20, "SOFTMAX_LOSS": 21,
    "TANH": 23, "ELTWISE": 25,
}  # fmt: skip
# parameter messages: field -> (number, kind) with kind v (varint), f (float32)
PARAMS = {
    "conv": {
        "num_output": (1, "v"), "bias_term": (2, "v"), "pad": (3, "v"), "kernel_size": (4, "v"),
        "group": (5, "v"), "stride": (6, "v"), "pad_h": (9, "v"), "pad_w": (10, "v"),
        "kernel_h": (11, "v"), "kernel_w": (12, "v"), "stride_h": (13, "v"),
        "stride_w": (14, "v"),
    },
    "pool": {
        "pool": (1, "v"), "kernel_size": (2, "v"), "stride": (3, "v"), "pad": (4, "v"),
        "kernel_h": (5, "v"), "kernel_w": (6, "v"), "stride_h": (7, "v"), "stride_w": (8, "v"),
        "pad_h": (9, "v"), "pad_w": (10, "v"),
    },
    "lrn": {"local_size": (1, "v"), "alpha": (2, "f"), "beta": (3, "f"), "k": (5, "f")},
    "ip": {"num_output": (1, "v"), "bias_term": (2, "v")},
    "dropout": {"dropout_ratio": (1, "f")},
}  # fmt: skip
MAX, AVE = 0, 1


def varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # negative int32/int64 are ten-byte varints
    out = bytearray()
    while True:
        low = n & 0x7F
        n >>= 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def key(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


def field_varint(number: int, value: int) -> bytes:
    return key(number, 0) + varint(int(value))


def field_bytes(number: int, payload: bytes) -> bytes:
    return key(number, 2) + varint(len(payload)) + payload


def field_float(number: int, value: float) -> bytes:
    return key(number, 5) + struct.pack("<f", value)


def blob(
    values: np.ndarray, dims: str = "shape", packed: bool = True, sizes: tuple | None = None
) -> bytes:
    """A BlobProto of values (float32). dims: 'shape' (BlobShape, Caffe since 2015) or 'legacy'
    (num/channels/height/width, padded in front with 1s as old Caffe stored them)."""
    values = np.asarray(values, dtype=np.float32)
    sizes = tuple(sizes or values.shape)
    out = b""
    if dims == "shape":
        out += field_bytes(BLOB["shape"], field_bytes(1, b"".join(varint(d) for d in sizes)))
    else:
        legacy = (1,) * (4 - len(sizes)) + sizes
        for name, d in zip(("num", "channels", "height", "width"), legacy, strict=True):
            out += field_varint(BLOB[name], d)
    flat = values.reshape(-1)
    if packed:
        out += field_bytes(BLOB["data"], flat.astype("<f4").tobytes())
    else:
        out += b"".join(field_float(BLOB["data"], float(v)) for v in flat)
    return out


def params(kind: str, **fields: float) -> bytes:
    out = b""
    for name, value in fields.items():
        number, wire = PARAMS[kind][name]
        out += field_float(number, value) if wire == "f" else field_varint(number, int(value))
    return out


def layer_v2(name: str, ltype: str, blobs: tuple[bytes, ...] = (), **kinds: dict) -> bytes:
    out = field_bytes(V2["name"], name.encode()) + field_bytes(V2["type"], ltype.encode())
    out += b"".join(field_bytes(V2["blobs"], b) for b in blobs)
    for kind, fields in kinds.items():
        out += field_bytes(V2_PARAMS[kind], params(kind, **fields))
    return out


def layer_v1(name: str, ltype: str, blobs: tuple[bytes, ...] = (), **kinds: dict) -> bytes:
    out = field_bytes(V1["name"], name.encode()) + field_varint(V1["type"], V1_TYPES[ltype])
    out += b"".join(field_bytes(V1["blobs"], b) for b in blobs)
    for kind, fields in kinds.items():
        out += field_bytes(V1_PARAMS[kind], params(kind, **fields))
    return out


def net(
    name: str,
    layers: list[bytes] = (),
    v1_layers: list[bytes] = (),
    input_dim: tuple = (),
    input_shape: tuple = (),
) -> bytes:
    out = field_bytes(NET["name"], name.encode())
    if input_dim or input_shape:
        out += field_bytes(NET["input"], b"data")
    out += b"".join(field_varint(NET["input_dim"], d) for d in input_dim)
    if input_shape:
        dims = b"".join(varint(d) for d in input_shape)
        out += field_bytes(NET["input_shape"], field_bytes(1, dims))
    out += b"".join(field_bytes(NET["layers"], b) for b in v1_layers)
    out += b"".join(field_bytes(NET["layer"], b) for b in layers)
    return out


# --------------------------------------------------------------------------------------------
# the tiny VGG-style network (input 3x9x9) with deterministic weights
# --------------------------------------------------------------------------------------------
def weights(seed: int = 7) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.RandomState(seed)

    def w(*sizes: int) -> np.ndarray:
        return (rng.standard_normal(sizes) * 0.5).astype(np.float32)

    return {
        "conv1_1": (w(4, 3, 3, 3), w(4)),
        "conv1_2": (w(4, 4, 3, 1), w(4)),  # a 3x1 kernel (kernel_h 3, kernel_w 1)
        "conv2": (w(6, 4, 3, 3), w(6)),
        "fc6": (w(10, 24), w(10)),
        "fc7": (w(5, 10), w(5)),
    }


# (name, V1 type, V2 type, parameters) of the tiny VGG, in order
TINY_VGG = [
    ("data", "DATA", "Input", {}),
    ("conv1_1", "CONVOLUTION", "Convolution",
     {"conv": {"num_output": 4, "kernel_size": 3, "pad": 1}}),
    ("relu1_1", "RELU", "ReLU", {}),
    # pad_w 0 makes loadcaffe use `pad` (0) for both sides: the 3x1 conv maps 9x9 to 7x9
    ("conv1_2", "CONVOLUTION", "Convolution",
     {"conv": {"num_output": 4, "kernel_h": 3, "kernel_w": 1, "pad_h": 1, "pad_w": 0}}),
    ("relu1_2", "RELU", "ReLU", {}),
    ("pool1", "POOLING", "Pooling", {"pool": {"pool": MAX, "kernel_size": 2, "stride": 2}}),
    ("norm1", "LRN", "LRN", {"lrn": {"local_size": 3, "alpha": 0.0001, "beta": 0.75}}),
    ("conv2", "CONVOLUTION", "Convolution",
     {"conv": {"num_output": 6, "kernel_size": 3, "stride": 2, "pad": 1}}),
    ("relu2", "RELU", "ReLU", {}),
    ("pool2", "POOLING", "Pooling",
     {"pool": {"pool": AVE, "kernel_size": 3, "stride": 2, "pad": 1}}),
    ("fc6", "INNER_PRODUCT", "InnerProduct", {"ip": {"num_output": 10}}),
    ("relu6", "RELU", "ReLU", {}),
    ("drop6", "DROPOUT", "Dropout", {"dropout": {"dropout_ratio": 0.5}}),
    ("fc7", "INNER_PRODUCT", "InnerProduct", {"ip": {"num_output": 5}}),
    ("prob", "SOFTMAX", "Softmax", {}),
]  # fmt: skip


def tiny_vgg(version: int, dims: str = "shape", packed: bool = True, seed: int = 7) -> bytes:
    """The tiny VGG as a caffemodel: version 1 (V1 `layers`, legacy blob dims, as
    VGG_ILSVRC_19_layers.caffemodel) or 2 (`layer`, blob shapes unless dims='legacy')."""
    ws = weights(seed)
    out = []
    for name, t1, t2, kinds in TINY_VGG:
        blobs: tuple[bytes, ...] = ()
        if name in ws:
            w, b = ws[name]
            wsizes = w.shape if w.ndim == 4 else ((1, 1) + w.shape if version == 1 else w.shape)
            wdims = "legacy" if version == 1 else dims
            blobs = (blob(w, wdims, packed, wsizes), blob(b, wdims, packed))
        if version == 1:
            out.append(layer_v1(name, t1, blobs, **kinds))
        else:
            out.append(layer_v2(name, t2, blobs, **kinds))
    if version == 1:
        return net("tiny_vgg", v1_layers=out, input_dim=(1, 3, 9, 9))
    return net("tiny_vgg", layers=out, input_shape=(1, 3, 9, 9))


def unsupported_v2() -> bytes:
    """A V2 net with layers loadcaffe does not convert (Concat, Eltwise, BatchNorm) and a grouped
    convolution, which nn refuses."""
    rng = np.random.RandomState(3)
    w = rng.standard_normal((4, 1, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    layers = [
        layer_v2("conv1", "Convolution", (blob(w), blob(b)),
                 conv={"num_output": 4, "kernel_size": 3, "group": 2}),
        layer_v2("bn1", "BatchNorm"),
        layer_v2("relu1", "ReLU"),
        layer_v2("cat", "Concat"),
        layer_v2("sum", "Eltwise"),
        layer_v2("sig", "Sigmoid"),
        layer_v2("tanh", "Tanh"),
    ]  # fmt: skip
    return net("unsupported", layers=layers, input_shape=(1, 2, 5, 5))


def unsupported_v1() -> bytes:
    """The same in V1: unknown types are skipped one by one, the grouped convolution too."""
    rng = np.random.RandomState(3)
    w = rng.standard_normal((4, 1, 3, 3)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    layers = [
        layer_v1("conv1", "CONVOLUTION", (blob(w, "legacy"), blob(b, "legacy")),
                 conv={"num_output": 4, "kernel_size": 3, "group": 2}),
        layer_v1("flat", "FLATTEN"),
        layer_v1("cat", "CONCAT"),
        layer_v1("sum", "ELTWISE"),
        layer_v1("sig", "SIGMOID"),
        layer_v1("tanh", "TANH"),
        layer_v1("loss", "SOFTMAX_LOSS"),
    ]  # fmt: skip
    return net("unsupported", v1_layers=layers, input_dim=(1, 2, 5, 5))


def fixtures() -> dict[str, bytes]:
    """The files under tests/oracle/caffe/, by name."""
    return {
        "tiny_vgg_v1.caffemodel": tiny_vgg(1),
        "tiny_vgg_v2.caffemodel": tiny_vgg(2),
        "tiny_vgg_v2_legacy.caffemodel": tiny_vgg(2, dims="legacy", packed=False),
        "unsupported_v1.caffemodel": unsupported_v1(),
        "unsupported_v2.caffemodel": unsupported_v2(),
        "not_a_model.caffemodel": b"\xff\xff\xff\xff not protobuf",
    }


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for fname, data in fixtures().items():
        (FIXTURES / fname).write_bytes(data)
        print(fname, len(data))
