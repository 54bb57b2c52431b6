-- argcheck: argument checking and overloading for Lua functions (torch/argcheck's API).
--
-- argcheck{rules..., options} returns a function that accepts its arguments in order, or
-- named in one table (f{x = 1}), or as a method with named arguments (obj:f{x = 1}) when the
-- first rule is named 'self'. Each rule: name, type (a type name or a Lua pattern of torch
-- class names), and optionally default, defaulta (another argument's value), defaultf (a
-- function giving the default), opt (may be nil), check (an extra predicate), help/doc.
-- Options: call (the function called with the checked arguments), overload (a previous
-- argcheck function whose variants are kept), pack (arguments as one table), quiet (return
-- false and the usage instead of raising), nonamed, noordered, force, help/doc.
--
-- As torch/argcheck, every variant of presence of the optional arguments is a path in a tree
-- of typed nodes; a call takes the first complete path in depth-first order. Here the tree is
-- walked at call time instead of being compiled to Lua source.
local env = require 'argcheck.env'
local doc = require 'argcheck.doc'
local usage = require 'argcheck.usage'

local Node = {}
Node.__index = Node

local function newNode(typename, name, check)
   assert(typename)
   return setmetatable({type = typename, name = name, check = check, next = {}}, Node)
end

-- the deepest node reached by following rules from self, and how many rules it matched
function Node:match(rules)
   local head = self
   for i, rule in ipairs(rules) do
      local found
      for _, child in ipairs(head.next) do
         if child.type == rule.type and child.check == rule.check and child.name == rule.name then
            found = child
            break
         end
      end
      if not found then return head, i - 1 end
      head = found
   end
   return head, #rules
end

function Node:apply(f)
   f(self)
   for _, child in ipairs(self.next) do child:apply(f) end
end

function Node:hasruletype(kind)
   local found = false
   self:apply(function(n) if n.rulestype == kind then found = true end end)
   return found
end

local function copy(t)
   local c = {}
   for k, v in pairs(t) do c[k] = v end
   return c
end

-- the rules of one variant as they appear on a path: mask digit 1 = given, 2 = left out,
-- 3 = given as nil (ordered calls) or left out (named calls). Ordered paths carry no names.
local function pathRules(rules, mask, kind, keepNames)
   local out = {}
   for i = 1, #mask do
      local rule = copy(rules[i])
      rule.__ridx = i
      if not keepNames and (kind == 'O' or (kind == 'M' and i == 1)) then rule.name = nil end
      local m = mask:sub(i, i)
      if m == '1' then
         out[#out + 1] = rule
      elseif m == '3' and kind == 'O' then
         rule.type = 'nil'
         rule.check = nil
         out[#out + 1] = rule
      end
   end
   return out
end

function Node:addpath(rules, mask, kind)
   local path = pathRules(rules, mask, kind, false)
   if kind == 'N' then table.insert(path, 1, {type = 'table'}) end
   if kind == 'M' then table.insert(path, 2, {type = 'table'}) end
   local head, matched = self:match(path)
   if matched == #path then
      if not rules.force and head.rules and rules ~= head.rules then
         error('argcheck rules led to ambiguous situations')
      end
      head.rules, head.rulesmask, head.rulestype = rules, mask, kind
   end
   for i = matched + 1, #path do
      local rule = path[i]
      local node = newNode(rule.type, rule.name, rule.check)
      if i == #path then
         node.rules, node.rulesmask, node.rulestype = rules, mask, kind
      end
      head.next[#head.next + 1] = node
      head = node
   end
   if kind == 'M' then
      local selfNode = self:match({path[1]})
      selfNode.isself = true
   end
end

function Node:usage(...)
   local texts, seen = {}, {}
   self:apply(function(n)
      if n.rules and not seen[n.rules] then
         seen[n.rules] = true
         texts[#texts + 1] = usage.usage(true, n.rules)
      end
   end)
   return string.format("%s\n%s\n", table.concat(texts, '\n\nor\n\n'), usage.usage(false, self, ...))
end

local function ruleIndex(rules, name)
   for i, rule in ipairs(rules) do
      if rule.name == name then return i end
   end
   error(string.format('invalid defaulta name <%s>', name))
end

-- what a matched path returns: the values of all rules (given ones from get(position or
-- name), defaults for the others), then call/pack/quiet as the options say
local function finish(node, get, self)
   local rules, mask = node.rules, node.rulesmask
   if node.rulestype == 'M' then
      rules = copy(node.rules)
      table.remove(rules, 1)
      mask = mask:sub(2)
   end
   local values, n = {}, #rules
   for pos, rule in ipairs(pathRules(rules, mask, node.rulestype, true)) do
      values[rule.__ridx] = get(pos, rule)
   end
   local deferred = {}
   for i = 1, #mask do
      local m, rule = mask:sub(i, i), rules[i]
      if m == '2' or (m == '3' and (rule.default ~= nil or rule.defaulta or rule.defaultf)) then
         if rule.default ~= nil then
            values[i] = rule.default
         elseif rule.defaultf then
            values[i] = rule.defaultf()
         elseif rule.defaulta then
            deferred[#deferred + 1] = i
         end
      end
   end
   for _, i in ipairs(deferred) do values[i] = values[ruleIndex(rules, rules[i].defaulta)] end
   -- (values may hold nils: positions are set explicitly, never with table.insert)
   local out
   if rules.pack then
      local packed = {}
      for i, rule in ipairs(rules) do packed[rule.name] = values[i] end
      out, n = {packed}, 1
   else
      out = values
   end
   if node.rulestype == 'M' then
      local shifted = {self}
      for i = 1, n do shifted[i + 1] = out[i] end
      out, n = shifted, n + 1
   end
   if rules.call and not rules.quiet then
      return rules.call(unpack(out, 1, n))
   elseif rules.quiet and not rules.call then
      return true, unpack(out, 1, n)
   elseif rules.quiet and rules.call then
      return rules.call, unpack(out, 1, n)
   end
   return unpack(out, 1, n)
end

local istype = function(...) return env.istype(...) end

-- depth-first search of the first complete path for an ordered call
local function walkOrdered(node, depth, args, narg)
   if depth > 0 then
      local v = args[depth]
      if not (narg > 0 and istype(v, node.type) and (not node.check or node.check(v))) then
         return false
      end
      narg = narg - 1
   end
   if node.rules and node.rulestype == 'O' and narg == 0 then
      return true, node
   end
   for _, child in ipairs(node.next) do
      if child:hasruletype('O') then
         local ok, found = walkOrdered(child, depth + 1, args, narg)
         if ok then return ok, found end
      end
   end
   return false
end

-- the same for named arguments (kind 'N' or 'M'); narg counts the table's keys left
local function walkNamed(node, depth, tbl, narg, kind)
   if depth > 0 then
      local v = tbl[node.name]
      if node.type == 'nil' then
         if not (istype(v, 'nil') and (not node.check or node.check(v))) then return false end
      else
         if not (narg > 0 and istype(v, node.type) and (not node.check or node.check(v))) then
            return false
         end
         narg = narg - 1
      end
   end
   if node.rules and node.rulestype == kind and narg == 0 then
      return true, node
   end
   for _, child in ipairs(node.next) do
      if child:hasruletype(kind) then
         local ok, found = walkNamed(child, depth + 1, tbl, narg, kind)
         if ok then return ok, found end
      end
   end
   return false
end

local function countKeys(t)
   local n = 0
   for _ in pairs(t) do n = n + 1 end
   return n
end

local graphs = setmetatable({}, {__mode = 'k'}) -- argcheck function -> its tree

local function makeChecker(graph)
   local quiet = true
   graph:apply(function(n) if n.rules and not n.rules.quiet then quiet = false end end)
   return function(...)
      local n = select('#', ...)
      local args = {...}
      local ok, node = walkOrdered(graph, 0, args, n)
      if ok then
         return finish(node, function(pos) return args[pos] end)
      end
      if n == 1 and istype(args[1], 'table') and graph:hasruletype('N') then
         local start = graph:match({{type = 'table'}})
         local tbl = args[1]
         ok, node = walkNamed(start, 0, tbl, countKeys(tbl), 'N')
         if ok then
            return finish(node, function(_, rule) return tbl[rule.name] end)
         end
      end
      for _, head in ipairs(graph.next) do
         if head.isself and n == 2 and istype(args[2], 'table') and istype(args[1], head.type)
            and (not head.check or head.check(args[1])) then
            local start = head:match({{type = 'table'}})
            local tbl = args[2]
            ok, node = walkNamed(start, 0, tbl, countKeys(tbl), 'M')
            if ok then
               return finish(node, function(_, rule) return tbl[rule.name] end, args[1])
            end
         end
      end
      if quiet then return false, usage.render(graph:usage(...)) end
      error(string.format("%s\ninvalid arguments!", usage.render(graph:usage(...))), 2)
   end
end

local function argcheck(rules)
   assert(not (rules.noordered and rules.nonamed), 'rules must be at least ordered or named')
   assert(rules.help == nil or type(rules.help) == 'string', 'rules help must be a string or nil')
   assert(rules.doc == nil or type(rules.doc) == 'string', 'rules doc must be a string or nil')
   assert(rules.chain == nil or type(rules.chain) == 'function', 'rules chain must be a function or nil')
   assert(rules.overload == nil or type(rules.overload) == 'function',
          'rules overload must be a function or nil')
   assert(not (rules.chain and rules.overload), 'rules must have either overload [or chain (deprecated)]')
   assert(not (rules.doc and rules.help), 'choose between doc or help, not both')
   for _, rule in ipairs(rules) do
      assert(rule.name, 'rule must have a name field')
      assert(rule.type == nil or type(rule.type) == 'string', 'rule type must be a string or nil')
      assert(rule.help == nil or type(rule.help) == 'string', 'rule help must be a string or nil')
      assert(rule.doc == nil or type(rule.doc) == 'string', 'rule doc must be a string or nil')
      assert(rule.check == nil or type(rule.check) == 'function', 'rule check must be a function or nil')
      assert(rule.defaulta == nil or type(rule.defaulta) == 'string',
             'rule defaulta must be a string or nil')
      assert(rule.defaultf == nil or type(rule.defaultf) == 'function',
             'rule defaultf must be a function or nil')
   end
   if rules[1] and rules[1].name == 'self' then
      local rule = rules[1]
      assert(not rule.opt and not rule.default and not rule.defaulta and not rule.defaultf,
             'self cannot be optional, nor having a default value!')
   end
   if rules.doc or rules.help then
      doc(usage.render(usage.usage(true, rules, true)))
   end

   local graph
   local previous = rules.chain or rules.overload
   if previous then
      graph = graphs[previous]
      if not graph then error('trying to overload a non-argcheck function') end
   else
      graph = newNode('@')
   end
   -- every variant: optional rules (default, opt) are given, left out, or nil
   local choices, strides, nvariant = {}, {}, 1
   for i, rule in ipairs(rules) do
      local optional = rule.default ~= nil or rule.defaulta or rule.defaultf or rule.opt
      choices[i] = optional and 3 or 1
   end
   for i = #rules, 1, -1 do
      strides[i] = nvariant
      nvariant = nvariant * choices[i]
   end
   for variant = nvariant, 1, -1 do
      local r, digits = variant, {}
      for i = 1, #rules do
         digits[i] = math.floor((r - 1) / strides[i]) + 1
         r = (r - 1) % strides[i] + 1
      end
      local mask = table.concat(digits)
      if not rules.noordered then graph:addpath(rules, mask, 'O') end
      if not rules.nonamed then
         graph:addpath(rules, mask, (rules[1] and rules[1].name == 'self') and 'M' or 'N')
      end
   end
   local f = makeChecker(graph)
   graphs[f] = graph
   return f
end

env.argcheck = argcheck
return argcheck
