"""Fuzz the Lua Tensor and nn API with wrong and hostile arguments.

Every call must either succeed or raise a Lua error that pcall catches: a string in Torch's
words (no Python class names or traceback text), with a ``file:line`` location (or none, where
Torch7's C dispatch gives none), whose stack
reaches the user's line; afterwards the runtime must still compute (a canary). Cases run in a
worker subprocess, so a crash (segfault, abort, OOM kill) or a hang is seen and reported with
the case that caused it instead of taking the fuzzer down.

    python scripts/fuzz_api.py --minutes 5 [--seed 1] [--verbose]

``tests/runtime/test_fuzz_api.py`` drives the same worker from hypothesis strategies.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import select
import subprocess
import sys
import time
from collections import Counter
from typing import Any

# ------------------------------------------------------------------------------- the catalog
# Fresh values for every case: line 1 of each case declares them, the call is on line 2.
FIXTURES: list[tuple[str, str]] = [
    ("a", "torch.randn(3, 4)"),
    ("v", "torch.randn(4, 3):t()"),  # non-contiguous
    ("e", "torch.randn(1, 4):expand(3, 4)"),  # zero stride
    ("k", "torch.randn(3, 5):narrow(2, 2, 4)"),  # offset, non-contiguous rows
    ("b", "torch.randn(4)"),
    ("z", "torch.Tensor()"),  # no dimension
    ("s", "torch.Tensor{2.5}"),
    ("sq", "torch.randn(3, 3)"),
    ("nt", "torch.randn(2, 3, 4, 5)"),
    ("img", "torch.randn(3, 8, 8)"),
    ("nan", "torch.Tensor{0/0, 1/0, -1/0}"),
    ("l", "torch.LongTensor{1, 2, 3}"),
    ("li", "torch.LongTensor{{1, 2, 3, 4}, {4, 3, 2, 1}, {1, 1, 1, 1}}"),
    ("by", "torch.ByteTensor{{1, 0, 1, 0}, {0, 1, 0, 1}, {1, 1, 0, 0}}"),
    ("f", "torch.FloatTensor(3, 4):uniform()"),
    ("i", "torch.IntTensor{4, 3, 2, 1}"),
    ("ch", "torch.CharTensor{-1, 0, 1}"),
    ("st", "torch.DoubleStorage(4):fill(1)"),
    ("ls", "torch.LongStorage{3, 4}"),
    ("m", "nn.Linear(4, 2)"),
    ("c", "nn.MSECriterion()"),
]
TENSORS = [
    "a",
    "v",
    "e",
    "k",
    "b",
    "z",
    "s",
    "sq",
    "nt",
    "img",
    "nan",
    "l",
    "li",
    "by",
    "f",
    "i",
    "ch",
]
NUMBERS = [
    "0",
    "1",
    "2",
    "3",
    "4",
    "-1",
    "-3",
    "1.5",
    "0.5",
    "0/0",
    "1/0",
    "-1/0",
    "1e12",
    "2^40",
    "2^53",
    "-2^63",
    "1e300",
    "1e-300",
]
OTHERS = [
    "nil",
    "true",
    "false",
    "'abc'",
    "''",
    "'torch.FloatTensor'",
    "{}",
    "{1, 2}",
    "{{1, 2}, {3}}",
    "{1, 'x'}",
    "function() end",
    "function() error('in callback') end",
    "st",
    "ls",
    "m",
    "c",
    "torch.LongStorage{2^40, 2^40}",
    "torch.LongStorage{-1}",
    "setmetatable({}, {__index = function() error('hostile') end})",
    "coroutine.create(print)",
    "newproxy(true)",
    "io.stdout",
    "a:storage()",
    "'\\255\\254'",
]
ARGS = TENSORS + NUMBERS + OTHERS
PLAUSIBLE = TENSORS + ["0", "1", "2", "3", "4", "-1", "1.5"]
STORAGE_METHODS = [
    "size",
    "resize",
    "fill",
    "copy",
    "totable",
    "double",
    "float",
    "long",
    "byte",
    "int",
    "char",
    "short",
]
TYPES = ["Double", "Float", "Long", "Int", "Short", "Char", "Byte"]

# Not fuzzed: files, processes, global class registration and thread pools
TORCH_SKIP = re.compile(
    r"^(_|save|load|include|class|newmetatable|setmetatable|setnumthreads|"
    r"Tester|TestSuite|CmdLine|DiskFile|PipeFile|File|MemoryFile|Timer|"
    r"serialize|deserialize|saveobj|loadobj|updateerrorhandlers)"
)
METHOD_SKIP = re.compile(r"^(_|read|write|new$|save|load)")
NN_SKIP = re.compile(
    r"^(read|write|save|load|_|__|sharedClone|cuda|listModules|apply|"
    r"replace|findModules|rethrowErrors)$"
)
NN_CTOR_TRIES = [
    "",
    "4",
    "4, 2",
    "3, 2",
    "3, 4, 3, 3",
    "3, 4, 3, 3, 1, 1",
    "2, 2",
    "3, 4, 3",
    "{2, 2}",
    "torch.LongStorage{2, 2}",
    "2, 3, 4",
    "0.5",
    "1, 2, 3, 4",
]

PRELUDE = "local " + ", ".join(n for n, _ in FIXTURES) + " = ...; local M;"
CASE_NAME = "@fuzz_case.lua"

# what a user-visible message may not contain
LEAK = re.compile(
    r"Traceback|File \"|\b[A-Z][A-Za-z]*(Error|Exception|Interrupt|Exit):|"
    r"\b(numpy|np\.|ndarray|NoneType|lupa|_LuaTable|object has no attribute)\b|"
    r"\.py\b|invalid literal for int|could not convert string|dimensions are not allowed|"
    r"could not broadcast|maximum supported dimension|convert object to sequence|"
    r"with a sequence"
)


# ------------------------------------------------------------------------------- the worker
WORKER_LUA = r"""
require 'nn'
local fixtures = loadstring('return function() return ' .. FIXLIST .. ' end')()
local traceback, unpack, pcall = debug.traceback, unpack, pcall

local function canary()
   torch.setdefaulttensortype('torch.DoubleTensor')
   torch.manualSeed(1)
   local x = torch.Tensor{1, 2, 3}
   if x:sum() ~= 6 then return 'sum' end
   local y = torch.mm(torch.ones(2, 3), torch.ones(3, 2))
   if y:sum() ~= 12 or y:size(1) ~= 2 then return 'mm' end
   local l = nn.Linear(3, 2)
   l.weight:fill(1); l.bias:fill(0)
   local o = l:forward(x)
   if o[1] ~= 6 or o[2] ~= 6 then return 'nn' end
   local r = torch.rand(2)
   if not (r[1] >= 0 and r[1] < 1) then return 'rng' end
   if tostring(torch.Tensor{1}):sub(1, 2) ~= ' 1' then return 'print' end
   return nil
end

local function clean(s)
   -- JSON and lupa want UTF-8 text: keep the message's shape, not its binary bytes
   return (tostring(s):gsub('[\128-\255]', '?'))
end

local function run(code)
   local f, perr = loadstring(code, CASE_NAME)
   if not f then return 'syntax', clean(perr), '', nil end
   local tb = ''
   local ok, err = xpcall(function() return f(fixtures()) end, function(e)
      tb = traceback('', 2)
      return e
   end)
   local cok, bad = pcall(canary)
   if not cok then bad = clean(bad) end
   if ok then return 'ok', '', '', bad end
   if type(err) ~= 'string' then
      local ok2, s = pcall(tostring, err)
      return 'nonstring:' .. type(err), clean(ok2 and s or '?'), clean(tb), bad
   end
   return 'error', clean(err), clean(tb), bad
end

local function catalog()
   local funcs, methods, classes = {}, {}, {}
   for k, v in pairs(torch) do if type(v) == 'function' then funcs[#funcs + 1] = k end end
   for k, v in pairs(torch.getmetatable('torch.DoubleTensor')) do
      if type(v) == 'function' then methods[#methods + 1] = k end
   end
   for k, v in pairs(nn) do
      -- a class's constructor table: its metatable names the class (torch.typename does not)
      local mt = type(v) == 'table' and getmetatable(v)
      local tn = type(mt) == 'table' and rawget(mt, '__typename')
      if tn and tn:match('^nn%.') then classes[#classes + 1] = k end
   end
   table.sort(funcs); table.sort(methods); table.sort(classes)
   return funcs, methods, classes
end

-- constructor arguments that work, and the module's methods, for each nn class
local function nnCatalog(tries)
   local out = {}
   for _, name in ipairs(tries.classes) do
      for _, args in ipairs(tries.args) do
         local f = loadstring('return nn.' .. name .. '(' .. args .. ')')
         local ok, mod = pcall(f)
         if ok and type(mod) == 'table' then
            local ms = {}
            local mt = getmetatable(mod)
            local seen = {}
            while type(mt) == 'table' do
               for k, v in pairs(mt) do
                  if type(v) == 'function' and not seen[k] then
                     seen[k] = true
                     ms[#ms + 1] = k
                  end
               end
               mt = getmetatable(mt)
            end
            table.sort(ms)
            out[#out + 1] = {name, args, ms}
            break
         end
      end
   end
   return out
end

return run, catalog, nnCatalog
"""


def _limit_memory() -> None:
    # Beyond this the kernel would refuse the mapping: numpy raises MemoryError instead of the
    # OOM killer ending the worker (or a neighbour) when an accepted allocation is touched.
    gb = int(os.environ.get("FUZZ_MEMORY_GB", "6"))
    resource.setrlimit(resource.RLIMIT_AS, (gb * 2**30, gb * 2**30))


def worker_main() -> None:
    """Read JSON cases on stdin, answer one JSON verdict per line on stdout."""
    _limit_memory()
    from luatorch.runtime import Runtime

    rt = Runtime(write=lambda s: None)
    fixlist = ", ".join(e for _, e in FIXTURES)
    code = WORKER_LUA.replace("FIXLIST", repr(fixlist)).replace("CASE_NAME", repr(CASE_NAME))
    run, catalog, nn_catalog = rt.execute(code, "=[fuzz worker]")
    out = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        if "catalog" in req:
            funcs, methods, classes = catalog()
            tries = rt.lua.table_from(
                {
                    "classes": rt.lua.table_from(list(classes.values())),
                    "args": rt.lua.table_from(NN_CTOR_TRIES),
                }
            )
            nn = [(r[1], r[2], list(r[3].values())) for r in nn_catalog(tries).values()]
            reply: dict[str, Any] = {
                "funcs": list(funcs.values()),
                "methods": list(methods.values()),
                "nn": nn,
            }
        else:
            try:
                kind, msg, tb, bad = run(req["code"])
                reply = {"kind": kind, "msg": msg, "tb": tb, "canary": bad}
            except BaseException as e:  # noqa: BLE001 - the harness itself must report it
                reply = {
                    "kind": "python",
                    "msg": f"{type(e).__name__}: {e}",
                    "tb": "",
                    "canary": None,
                }
        out.write(json.dumps(reply) + "\n")
        out.flush()


# ------------------------------------------------------------------------------- the driver
class Worker:
    """A worker subprocess; ``run`` restarts it after a crash or a hang."""

    def __repr__(self) -> str:
        return "Worker()"

    def __init__(self, timeout: float = 20.0) -> None:
        self.timeout = timeout
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._start()

    def _start(self) -> None:
        env = dict(os.environ, LUATORCH_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            bufsize=1,
        )

    def _ask(self, req: dict, timeout: float) -> dict:
        assert self.proc and self.proc.stdin and self.proc.stdout
        try:
            self.proc.stdin.write(json.dumps(req) + "\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return self._died()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.proc.kill()
            self.proc.wait()
            self.restarts += 1
            self._start()
            return {
                "kind": "hang",
                "msg": f"no answer in {timeout:.0f} s",
                "tb": "",
                "canary": None,
            }
        line = self.proc.stdout.readline()
        if not line:
            return self._died()
        return json.loads(line)

    def _died(self) -> dict:
        assert self.proc
        self.proc.wait()
        err = self.proc.stderr.read()[-2000:] if self.proc.stderr else ""
        code = self.proc.returncode
        self.restarts += 1
        self._start()
        return {
            "kind": "crash",
            "msg": f"worker died (exit {code}): {err}",
            "tb": "",
            "canary": None,
        }

    def catalog(self) -> dict:
        return self._ask({"catalog": True}, 120)

    def run(self, code: str) -> dict:
        return self._ask({"code": code}, self.timeout)

    def close(self) -> None:
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait(10)


def verdict(res: dict) -> str:
    """'ok', 'error' (clean) or the name of what went wrong."""
    kind = res["kind"]
    if kind in ("crash", "hang", "python", "syntax"):
        return kind
    if res.get("canary"):
        return "broken:" + res["canary"]
    if kind == "ok":
        return "ok"
    if kind != "error":
        return kind  # nonstring:<type>
    msg, tb = res["msg"], res["tb"]
    if LEAK.search(msg):
        return "leak"
    # nn containers prefix the module's own error as Torch does: "In 2 module of nn.Sequential:"
    msg = re.sub(r"^(In \d+ module of [\w.]+:\n)+", "", msg)
    if not re.match(r"^[^\n]*?:\d+: ", msg) and "fuzz_case.lua:2" not in tb:
        # (Torch7's C dispatch -- torch.f(...), x[k], pcall(x.f, x) -- gives no line, as
        # luatorch: the traceback must still reach the user's line)
        return "noloc"
    if "fuzz_case.lua:2" not in msg + tb:
        return "nouserline"
    if re.match(r"^[^\n]*?/lua/torch/\w+\.lua:\d+: attempt to", msg):
        return "unworded"  # a missing argument check in our torch package (Torch's C checks)
    if re.match(r"^[^\n]*?/lua/torch/\w+\.lua:\d+: ", msg):
        return "wrongloc"  # torch's errors point at the caller's line, not into the package

    return "error"


def case_code(call: str) -> str:
    return PRELUDE + "\n" + call


class Generator:
    """Random cases over the catalog (the hypothesis test draws from the same lists)."""

    def __init__(self, cat: dict, rnd: random.Random) -> None:
        self.rnd = rnd
        self.funcs = [f for f in cat["funcs"] if not TORCH_SKIP.match(f)]
        self.methods = [m for m in cat["methods"] if not METHOD_SKIP.match(m)]
        self.nn = [(n, a, [m for m in ms if not NN_SKIP.match(m)]) for n, a, ms in cat["nn"]]

    def args(self, lo: int = 0, hi: int = 4) -> str:
        # half the time arguments that are plausible, to get past type checks into the kernels
        pool = ARGS if self.rnd.random() < 0.5 else PLAUSIBLE
        return ", ".join(self.rnd.choice(pool) for _ in range(self.rnd.randint(lo, hi)))

    def plausible(self) -> str:
        return ", ".join(self.rnd.choice(PLAUSIBLE) for _ in range(self.rnd.randint(0, 3)))

    def case(self) -> str:
        r = self.rnd
        kind = r.random()
        if kind < 0.35:
            return f"{r.choice(TENSORS)}:{r.choice(self.methods)}({self.args()})"
        if kind < 0.55:
            return f"torch.{r.choice(self.funcs)}({self.args()})"
        if kind < 0.65:
            t = r.choice(TENSORS)
            form = r.choice(
                [
                    "local _ = {t} {op} {x}",
                    "local _ = {x} {op} {t}",
                    "local _ = -{t}",
                    "local _ = {t}[{x}]",
                    "{t}[{x}] = {y}",
                    "local _ = #{t}",
                    "tostring({t})",
                    "local _ = {t} == {x}",
                    "print({t})",
                ]
            )
            return form.format(
                t=t,
                x=r.choice(ARGS),
                y=r.choice(ARGS),
                op=r.choice(["+", "-", "*", "/", "%", "^", ".."]),
            )
        if kind < 0.75:
            what = r.choice(["Tensor", "Storage"])
            return f"torch.{r.choice(TYPES)}{what}({self.args()})"
        if kind < 0.85:
            # two calls: the second sees what the first (maybe failing) call left behind
            t = r.choice(TENSORS)
            first = f"pcall(function() {t}:{r.choice(self.methods)}({self.plausible()}) end)"
            return f"{first}; {t}:{r.choice(self.methods)}({self.plausible()})"
        if kind < 0.88:
            st = r.choice(["st", "ls", "a:storage()", "e:storage()"])
            return r.choice(
                [
                    f"local _ = {st}[{r.choice(ARGS)}]",
                    f"{st}[{r.choice(ARGS)}] = {r.choice(ARGS)}",
                    f"{st}:{r.choice(STORAGE_METHODS)}({self.args(0, 2)})",
                ]
            )
        if kind < 0.92:
            return self.shrunk_storage_case()
        name, good, methods = r.choice(self.nn)
        if kind < 0.8:
            return f"M = nn.{name}({self.args(0, 5)})"
        return f"M = nn.{name}({good}); M:{r.choice(methods)}({self.args(0, 3)})"

    def shrunk_storage_case(self) -> str:
        """A view whose storage is resized, re-set or replaced under it, then used."""
        r = self.rnd
        base = r.choice(["a", "b", "sq", "nt", "f", "i", "l", "ch", "by", "k", "v"])
        view = r.choice(SHRINK_VIEWS)
        shrink = r.choice(SHRINKS)
        use = (
            r.choice(SHRINK_USES)
            if r.random() < 0.5
            else f"v:{r.choice(self.methods)}({self.plausible()})"
        )
        return f"local t = {base}; local v = {view}; {shrink}; {use}"


# views of t, storage changes under them, and uses of the view afterwards
SHRINK_VIEWS = [
    "t",
    "t:view(-1)",
    "t:view(-1):narrow(1, 2, 3)",
    "t:select(1, t:size(1))",
    "t:transpose(1, t:dim())",
    "t:view(-1):unfold(1, 2, 1)",
    "t:view(-1):narrow(1, 1, 1):expand(9)",
    "t.new(t:storage(), 3, 2)",
    "t.new():set(t)",
    "t[{{1, 1}}]",
]
SHRINKS = [
    "t:storage():resize(0)",
    "t:storage():resize(1)",
    "t:storage():resize(3)",
    "t:storage():resize(1000):resize(2)",
    "if t:storage().string then t:storage():string('') else t:storage():resize(0) end",
    "if t:storage().string then t:storage():string('ab') else t:storage():resize(2) end",
    "t:set(t.new(2):storage())",
    "t:resize(1)",
    "t:storage():copy(t:storage().new(t:storage():size()))",
]
SHRINK_USES = [
    "v:sum()",
    "v:fill(7)",
    "v:zero()",
    "v:add(1)",
    "v:copy(v:clone())",
    "v:clone()",
    "tostring(v)",
    "local _ = v[1]",
    "v[1] = 3",
    "v:totable()",
    "v:max()",
    "v:float()",
    "v:contiguous()",
    "torch.serialize(v)",
    "v:index(1, torch.LongTensor{1})",
    "v:data()",
    "torch.cat(v, v, 1)",
    "v:mm(v)",
    "v:apply(function(x) return x end)",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.worker:
        worker_main()
        return 0
    seed = opts.seed if opts.seed is not None else int(time.time())
    worker = Worker()
    cat = worker.catalog()
    gen = Generator(cat, random.Random(seed))
    counts: Counter[str] = Counter()
    bad: dict[str, list[tuple[str, str]]] = {}
    stop = time.time() + 60 * opts.minutes
    while time.time() < stop:
        call = gen.case()
        res = worker.run(case_code(call))
        v = verdict(res)
        counts[v] += 1
        if v not in ("ok", "error"):
            bad.setdefault(v, []).append((call, res["msg"][:300]))
            if opts.verbose:
                print(f"[{v}] {call}\n    {res['msg'][:300]}", flush=True)
    worker.close()
    total = sum(counts.values())
    print(
        f"seed {seed}: {total} cases, {counts['ok']} succeeded, {counts['error']} clean errors, "
        f"{total - counts['ok'] - counts['error']} problems, worker restarts {worker.restarts}"
    )
    for v, n in counts.most_common():
        if v not in ("ok", "error"):
            print(f"  {v}: {n}")
            seen = set()
            for call, msg in bad[v]:
                key = re.sub(r"\d+", "N", msg)[:80]
                if key not in seen:
                    seen.add(key)
                    print(f"    {call}\n        {msg}")
                if len(seen) >= 8:
                    break
    return 0 if total == counts["ok"] + counts["error"] else 1


if __name__ == "__main__":
    sys.exit(main())
