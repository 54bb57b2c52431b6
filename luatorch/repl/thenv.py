"""The globals ``th`` adds to every Lua session (scripts and the REPL).

th always loads trepl before it runs a script, so ``who``, ``import``, ``monitor_G``, relative
``require './x'``, ``_RESULTS`` and ``_LAST`` exist in scripts too. This module installs our own
versions; it does not import prompt_toolkit (the script runner must start fast).
"""

from __future__ import annotations

import os
import sys
from typing import Any

_LUA = r"""
local flush, isfile, docNames, docText, ourLuaDir, startRepl, disableColors = ...
local torch = torch
local rawrequire = require

-- trepl loads these at start: their globals (sys, xlua, xprint, xrequire, xerror) exist in th
pcall(rawrequire, 'paths')
pcall(rawrequire, 'sys')
pcall(rawrequire, 'xlua')

-- LuaJIT's os.exit calls C exit(): flush Python's buffered stdout first or output is lost.
local rawexit = os.exit
function os.exit(...)
   flush()
   return rawexit(...)
end

_RESULTS = {}
_LAST = ''

local function sizestr(x)
   if torch._sizestr then return torch._sizestr(x) end
   return tostring(x)
end

-- the class name of an object or of a class's constructor table (torch.DoubleTensor, nn.Linear):
-- torch.typename gives nothing for the latter, as luaT's does, but help and who describe both
local function className(x)
   local mt = getmetatable(x)
   return type(mt) == 'table' and rawget(mt, '__typename') or nil
end

-- one-line description of a value, as who() lists variables
local function describe(v)
   local tv = type(v)
   if tv == 'userdata' then
      local tn = torch.typename(v) or ''
      if tn:find('torch.*Tensor') or tn:find('torch.*Storage') then return sizestr(v) end
      return tostring(v)
   elseif tv == 'table' then
      local tn = torch.type(v)
      if tn == 'table' then return 'table - size: ' .. #v end
      return tn
   elseif tv == 'string' then
      local s = v:gsub('\n', '\\n')
      if #s > 40 then s = s:sub(1, 40) .. '...' end
      return 'string : "' .. s .. '"'
   end
   return tostring(v)
end

function who(system)
   local width = 0
   for k in pairs(_G) do
      local n = #tostring(k)
      if n > width then width = n end
   end
   local pre = rawget(_G, '_preloaded_') or {}
   local function list(sys)
      local names = {}
      for k in pairs(_G) do
         if (pre[k] ~= nil) == sys then names[#names + 1] = k end
      end
      table.sort(names, function(a, b) return tostring(a) < tostring(b) end)
      for _, k in ipairs(names) do
         local name = '[' .. tostring(k) .. ']'
         print(name .. string.rep(' ', width - #name + 2) .. ' = ' .. describe(rawget(_G, k)))
      end
   end
   if system then
      print('== System Variables ==')
      list(true)
   end
   print('== User Variables ==')
   list(false)
   print('==')
end

-- import 'pkg': copy a package's symbols into _G (existing globals win unless forced)
function import(package, forced)
   local ret = require(package)
   local symbols = {}
   if type(rawget(_G, package)) == 'table' then
      symbols = rawget(_G, package)
   elseif type(ret) == 'table' then
      symbols = ret
   end
   rawset(_G, '_torchimport', rawget(_G, '_torchimport') or {})
   _torchimport[package] = symbols
   for k, v in pairs(symbols) do
      if rawget(_G, k) == nil or forced then rawset(_G, k, v) end
   end
end

-- th's print (tables shown nested, as trepl's print_new) and Lua's own, which trepl keeps
print_new = print
function print_old(...)
   local parts = {}
   for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
   io.write(table.concat(parts, '\t'), '\n')
end

-- how many levels of nested tables print shows; 0 goes back to Lua's plain print
function setprintlevel(n)
   if n == nil or n < 0 then
      error('expected number [0,+)')
   end
   n = math.floor(n)
   if n == 0 then
      print = print_old
   else
      torch._setprintdepth(n)
      print = print_new
   end
end

-- no colours in the REPL (luatorch's REPL decides colours when it starts)
function noColors()
   disableColors()
end

-- the interactive REPL, from inside a script
function repl()
   return startRepl()
end

-- trepl's require: './x' is relative to the calling file (x.lua, then x itself, x.th, x.net,
-- x.json, x.csv, x/init.lua); when the searchers miss a module, their message is raised again
-- from here, as trepl does (trepl's retry as './name' looks in trepl's own folder only).
local function dirname(p) return p:match('^(.*)/[^/]*$') or '.' end
local function readAll(p)
   local f = assert(io.open(p))
   local s = f:read('*a')
   f:close()
   return s
end
function require(name)
   if name:find('^%.') then
      local file = debug.getinfo(2, 'S').source:gsub('^@', '')
      local dir = '.'
      if isfile(file) then dir = dirname(file) end
      local pkgpath = dir .. '/' .. name
      if isfile(pkgpath .. '.lua') then
         return dofile(pkgpath .. '.lua')
      elseif pkgpath:find('%.th$') and isfile(pkgpath) then
         return torch.load(pkgpath)
      elseif pkgpath:find('%.net$') and isfile(pkgpath) then
         rawrequire 'nn'
         return torch.load(pkgpath)
      elseif pkgpath:find('%.json$') and isfile(pkgpath) then
         return require('cjson').decode(readAll(pkgpath))
      elseif pkgpath:find('%.csv$') and isfile(pkgpath) then
         return require('csv').load(pkgpath)
      elseif isfile(pkgpath) then
         return dofile(pkgpath)
      elseif isfile(pkgpath .. '.th') then
         return torch.load(pkgpath .. '.th')
      elseif isfile(pkgpath .. '.net') then
         rawrequire 'nn'
         return torch.load(pkgpath .. '.net')
      elseif isfile(pkgpath .. '.json') then
         return require('cjson').decode(readAll(pkgpath .. '.json'))
      elseif isfile(pkgpath .. '.csv') then
         return require('csv').load(pkgpath .. '.csv')
      end
      return dofile(pkgpath .. '/init.lua')
   end
   local ok, res = pcall(rawrequire, name)
   if not ok then
      error(res)
   end
   return res
end

-- th -g / -gg: report (or refuse) creation of globals and reads of undeclared ones
function monitor_G(cb)
   local strict = false
   if type(cb) == 'boolean' then strict, cb = cb, nil end
   -- trepl loads these Penlight modules as globals before it starts watching
   stringx = rawrequire 'pl.stringx'
   tablex = rawrequire 'pl.tablex'
   path = rawrequire 'pl.path'
   dir = rawrequire 'pl.dir'
   text = rawrequire 'pl.text'
   local known = {_RESULT = true, _RESULTS = true, _LAST = true, _ = true}
   for k in pairs(_G) do known[k] = true end
   local function where()
      local info = debug.getinfo(3, 'Sl')
      if info and info.currentline and info.currentline > 0 then
         return info.short_src .. ':' .. info.currentline
      end
      return '[C-module]'
   end
   setmetatable(_G, {
      __newindex = function(G, key, val)
         if not known[key] then
            if cb then
               cb(key, 'newindex')
            elseif strict then
               error('created global variable: ' .. tostring(key), 2)
            else
               print('created global variable: ' .. tostring(key) .. ' @ ' .. where())
            end
         end
         known[key] = true
         rawset(G, key, val)
      end,
      __index = function(G, key)
         if cb then
            cb(key, 'index')
         elseif strict then
            error('attempt to read undeclared variable: ' .. tostring(key), 2)
         else
            print('attempt to read undeclared variable: ' .. tostring(key) .. ' @ ' .. where())
         end
      end,
   })
end

-- `? name` in the REPL: what the value is, where it is defined, what it offers
local function sortedMethods(mt)
   local names, seen, depth = {}, {}, 0
   while type(mt) == 'table' and depth < 16 do
      for k, v in pairs(mt) do
         if type(k) == 'string' and type(v) == 'function' and not k:find('^__') and not seen[k] then
            seen[k] = true
            names[#names + 1] = k
         end
      end
      mt = getmetatable(mt)  -- the parent class (luaT chains class metatables)
      depth = depth + 1
   end
   table.sort(names)
   return names
end

local function wrapped(names, indent)
   local lines, cur = {}, indent
   for _, n in ipairs(names) do
      if #cur + #n + 1 > 78 and cur ~= indent then
         lines[#lines + 1] = cur
         cur = indent
      end
      cur = cur .. n .. ' '
   end
   if cur ~= indent then lines[#lines + 1] = cur end
   return table.concat(lines, '\n')
end

local function sourceComment(info)
   -- the comment lines right above a Lua function's definition, if its file is readable
   if not info.source:find('^@') or info.linedefined <= 0 then return nil end
   local f = io.open(info.source:sub(2))
   if not f then return nil end
   local lines, n = {}, 0
   for l in f:lines() do
      n = n + 1
      if n > info.linedefined then break end
      lines[n] = l
   end
   f:close()
   local doc = {}
   local i = info.linedefined - 1
   while i > 0 and lines[i] and lines[i]:find('^%s*%-%-') do
      table.insert(doc, 1, (lines[i]:gsub('^%s*%-%-+%s?', '')))
      i = i - 1
   end
   doc[#doc + 1] = lines[info.linedefined]
   return table.concat(doc, '\n')
end

-- our own documentation (luatorch/doc): the documented name of a value, found afresh each time
-- because packages load later. Names are torch.*, nn.*, ... and t:method for tensor methods.
local allDocNames
local tensorTypes = {'torch.DoubleTensor', 'torch.FloatTensor', 'torch.LongTensor',
                     'torch.IntTensor', 'torch.ShortTensor', 'torch.CharTensor',
                     'torch.ByteTensor', 'torch.HalfTensor'}

local function resolve(name)
   local v = _G
   for part in name:gmatch('[^.]+') do
      if type(v) ~= 'table' then return nil end
      local ok, field = pcall(function() return v[part] end)  -- class methods come by __index
      if not ok then return nil end
      v = field
   end
   return v
end

local function documentedName(obj)
   allDocNames = allDocNames or docNames()
   for i = 1, #allDocNames do
      local name = allDocNames[i]
      if not name:find(':') and rawequal(resolve(name), obj) then return name end
   end
   if type(obj) == 'function' then  -- a tensor method: t:name, or torch.name's entry
      for _, tn in ipairs(tensorTypes) do
         local mt = torch.getmetatable(tn)
         if type(mt) == 'table' then
            for k, v in pairs(mt) do
               if rawequal(v, obj) and type(k) == 'string' and docText('t:' .. k) then
                  return 't:' .. k
               end
            end
         end
      end
   end
   local tn = className(obj)  -- an instance or a constructor: its class's entry
   if tn and docText(tn) then return tn end
end

-- the documentation text of a value, or nil (the notebook's inspector and completion use it)
function torch._doc(obj)
   local name = documentedName(obj)
   return name and docText(name)
end

local function ours(info)
   return info.source:sub(1, #ourLuaDir + 1) == '@' .. ourLuaDir
end

function help(obj)
   local tv = type(obj)
   local doc = obj ~= nil and torch._doc(obj)
   if doc then
      print(doc)
      if tv == 'function' then return end
      print('')  -- then what the value offers, as for any table or userdata
   end
   if obj == nil then
      print('help: nothing to describe (nil)')
   elseif tv == 'function' then
      local info = debug.getinfo(obj, 'S')
      if info.what ~= 'Lua' or ours(info) then
         print('undocumented symbol')  -- as dok says
      elseif info.what == 'Lua' then
         print('function defined at ' .. info.short_src .. ':' .. info.linedefined)
         local doc = sourceComment(info)
         if doc then print(doc) end
      else
         print('builtin function')
      end
   elseif tv == 'table' or tv == 'userdata' then
      local tn = className(obj)
      local mt = getmetatable(obj)
      if tn then
         local parent = type(mt) == 'table' and getmetatable(mt)
         local pn = type(parent) == 'table' and rawget(parent, '__typename')
         print(tn .. (pn and (' (subclass of ' .. pn .. ')') or '') .. ': ' .. describe(obj))
         print('methods:')
         print(wrapped(sortedMethods(mt), '   '))
      else
         local keys = {}
         for k in pairs(obj) do
            if type(k) == 'string' then keys[#keys + 1] = k end
         end
         table.sort(keys)
         print(describe(obj) .. ', fields:')
         print(wrapped(keys, '   '))
      end
   else
      print(tv .. ': ' .. describe(obj))
   end
end

-- Penlight, as trepl loads it: its modules become globals on first use, and `text` (touched
-- here) turns on the `'%5.2f' % x` string operator
pcall(rawrequire, 'pl')
if text then
   text.format_operator()
end

-- who() lists only what the user defined after this point
_preloaded_ = {}
for k in pairs(_G) do _preloaded_[k] = true end
"""


def _flush() -> None:
    from ..packages import gnuplot_backend

    gnuplot_backend.flush_pending()  # C exit() skips Python's atexit: draw pending figures now
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


# noColors() was called: a REPL started afterwards draws no colours
colors_enabled = True


def _no_colors() -> None:
    global colors_enabled
    colors_enabled = False


def install(rt: Any) -> None:
    """Give ``rt`` th's globals (who, import, monitor_G, help, relative require, _RESULTS,
    print_old/print_new/setprintlevel, noColors, repl, Penlight's)."""
    from . import docs

    def doc_names() -> Any:
        return rt.lua.table_from(sorted(docs.entries()))

    def doc_text(name: str) -> str | None:
        entry = docs.lookup(str(name))
        return entry.render() if entry else None

    def start_repl() -> int:
        from .loop import run_repl

        return run_repl(rt)

    lua_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lua")
    chunk = rt.compile(_LUA, "=[th]")
    rt.call(
        chunk, _flush, os.path.isfile, doc_names, doc_text, lua_dir + os.sep, start_repl, _no_colors
    )
