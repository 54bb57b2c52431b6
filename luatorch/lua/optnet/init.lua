-- optnet: memory optimization of nn networks (fmassa/optimize-net's API).
--
-- optnet.optimizeMemory(net, input, opts) runs the network once while recording, for every
-- storage behind a module's output (and, in training mode, gradInput), the step at which it is
-- written and the last step at which it is read; storages whose lifetimes do not overlap then
-- share one storage. The results are the same, with less memory. Options: mode ('inference',
-- the default, disables backward; or 'training'), inplace (default true: modules with an
-- inplace flag use it), reuseBuffers (default true: same-type modules share their scratch
-- buffers), removeGradParams (default true in inference: gradWeight/gradBias are emptied).
-- optnet.removeOptimization(net) gives every module its own buffers back.
require 'nn'
local optnet = require 'optnet.env'
require 'optnet.countUsedMemory'

local NOT_USED = 10000    -- a storage never read
local NOT_DEFINED = 0
local ALWAYS_LIVE = 10000 -- the network's input (and gradOutput) are never shared
local MIN_SHARED = 2      -- storages of fewer elements are left alone

local function option(value, default)
   if value == nil then return default end
   return value
end

-- f(tensor) for every tensor of a nested table
local function eachTensor(t, f)
   if torch.isTensor(t) then
      if t:storage() then f(t) end
   elseif torch.type(t) == 'table' then
      for _, v in ipairs(t) do eachTensor(v, f) end
   end
end

local function recursiveClone(t)
   if torch.isTensor(t) then return t:clone() end
   local res = {}
   for k, v in ipairs(t) do res[k] = recursiveClone(v) end
   return res
end

-- one record per storage: {ptr, tensor, defined = first write step, used = last read step}
local function analyse(net, input, mode)
   local records, byPtr = {}, {}
   local step = 1
   local function record(t)
      local ptr = torch.pointer(t:storage())
      local r = byPtr[ptr]
      if not r then
         r = {ptr = ptr, tensor = t, used = NOT_USED, defined = NOT_DEFINED}
         byPtr[ptr] = r
         records[#records + 1] = r
      end
      return r
   end
   local function used(t)
      eachTensor(t, function(x)
         local r = record(x)
         r.used = (r.used == NOT_USED) and step or math.max(step, r.used)
      end)
   end
   local function defined(t)
      eachTensor(t, function(x)
         local r = record(x)
         r.defined = (r.defined == NOT_DEFINED) and step or math.min(step, r.defined)
      end)
   end
   local branching = {['nn.Concat'] = true, ['nn.Parallel'] = true, ['nn.DepthConcat'] = true}

   net:apply(function(m)
      local forward = m.updateOutput
      m.updateOutput = function(self, x)
         if mode == 'inference' then
            used(x)
            if not m.modules then
               defined(self.output)
            elseif branching[torch.typename(m)] then
               -- these containers combine their branches' outputs into their own
               defined(self.output)
               for _, branch in ipairs(m.modules) do
                  local last = branch.modules and branch:get(branch:size()) or branch
                  defined(last.output)
               end
            end
         end
         step = step + 1
         return forward(self, x)
      end
      for _, name in ipairs{'updateGradInput', 'accGradParameters', 'backward'} do
         local f = m[name]
         m[name] = function(self, x, gradOutput, scale)
            if not torch.isTypeOf(m, 'nn.Sequential') then
               used(gradOutput)
               defined(self.gradInput)
            end
            step = step + 1
            return f(self, x, gradOutput, scale)
         end
      end
   end)
   local out = net:forward(input)
   local grad
   if mode == 'training' then
      grad = recursiveClone(out)
      net:backward(input, grad)
   end
   local function alwaysLive(t)
      eachTensor(t, function(x)
         local r = record(x)
         r.used, r.defined = ALWAYS_LIVE, -ALWAYS_LIVE
      end)
   end
   alwaysLive(input)
   if grad then alwaysLive(grad) end
   net:apply(function(m)
      m.updateOutput, m.updateGradInput, m.accGradParameters, m.backward = nil, nil, nil, nil
   end)
   if mode == 'inference' then
      net:apply(function(m)
         m.updateGradInput = function()
            error([[Backward pass disabled!
          You are using inference optimization.
          Call optnet.removeOptimization(net) to enable backward again]])
         end
      end)
   end
   return records
end

-- greedy: in order of last use, each storage joins the group (of the closest size) whose
-- members are all read before it is written, or starts a new group
local function assign(records)
   table.sort(records, function(a, b) return a.used < b.used end)
   local groups = {}
   for _, r in ipairs(records) do
      local size = r.tensor:numel()
      local best, bestDist
      if r.used ~= NOT_USED and size >= MIN_SHARED then
         for i, g in ipairs(groups) do
            if r.defined > g[#g].used then
               local dist = math.abs(g.maxSize - size)
               if not bestDist or dist < bestDist then best, bestDist = i, dist end
            end
         end
      end
      if best then
         local g = groups[best]
         g[#g + 1] = r
         g.maxSize = math.max(g.maxSize, size)
      else
         groups[#groups + 1] = {r, maxSize = size}
      end
   end
   return groups
end

local function share(groups)
   for _, g in ipairs(groups) do
      local storage
      for _, r in ipairs(g) do
         if r.used == ALWAYS_LIVE and r.defined == -ALWAYS_LIVE then break end
         storage = storage or r.tensor.new(1):storage()
         r.tensor:set(storage)
      end
   end
end

local function setInplace(net, opts)
   if not option(opts.inplace, true) then return end
   net:apply(function(m)
      -- Threshold's inplace depends on its values: left alone
      if m.inplace ~= nil and torch.typename(m) ~= 'nn.Threshold' then m.inplace = true end
   end)
end

-- scratch buffers same-type modules can share: {inference fields, training fields}
local reusable = {
   ['nn.SpatialConvolution'] = {{'finput', 'fgradInput'}, {'fgradInput'}},
   ['nn.SpatialConvolutionMM'] = {{'finput', 'fgradInput'}, {'fgradInput'}},
   ['nn.Normalize'] = {{'norm', 'buffer', 'normp', '_indices'}, {}},
   ['nn.SpatialCrossMapLRN'] = {{'scale'}, {}},
   ['nn.SpatialMaxPooling'] = {{'indices'}, {}},
}

local function reuseBuffers(net, opts, mode)
   if not option(opts.reuseBuffers, true) then return end
   local which = (mode == 'training') and 2 or 1
   -- unpooling reads its pooling's indices later: they must stay
   local skipPooling = #net:findModules('nn.SpatialMaxUnpooling') > 0
   local shared = {}
   net:apply(function(m)
      local name = torch.typename(m)
      local fields = reusable[name] and reusable[name][which]
      if fields and not (skipPooling and name == 'nn.SpatialMaxPooling') then
         for _, field in ipairs(fields) do
            if m[field] and m[field]:storage() then
               local key = name .. ',' .. field
               shared[key] = shared[key] or m[field]:storage()
               m[field]:set(shared[key])
            end
         end
      end
   end)
end

-- gradWeight/gradBias are emptied (their layout kept to rebuild them, shared ones together)
local function removeGradParams(net, opts, mode)
   if not option(opts.removeGradParams, true) or mode == 'training' then return end
   local layouts = {}
   net:apply(function(m)
      for _, k in ipairs{'gradWeight', 'gradBias'} do
         local t = m[k]
         if t and t:storage() then
            layouts[torch.pointer(t)] = {storage = torch.pointer(t:storage()),
                                         offset = t:storageOffset(),
                                         size = t:storage():size(), stride = t:stride()}
            t:set()
         end
      end
      m.getParameters = function()
         error('getParameters was disabled by optnet (by option removeGradParams=true). ' ..
               'Call optnet.removeOptimization(net) to enable it back.')
      end
   end)
   net.__gradParamsInfo = layouts
end

local function addGradParams(net)
   local layouts = net.__gradParamsInfo
   if not layouts then return end
   local storages = {}
   net:apply(function(m)
      for param, grad in pairs{weight = 'gradWeight', bias = 'gradBias'} do
         if m[grad] then
            local info = layouts[torch.pointer(m[grad])]
            storages[info.storage] = storages[info.storage] or m[grad].new(info.size):storage()
            m[grad]:set(storages[info.storage], info.offset, m[param]:size(), info.stride)
         end
      end
      m.getParameters = nil
   end)
   net.__gradParamsInfo = nil
end

function optnet.optimizeMemory(net, input, opts)
   opts = opts or {}
   if net.__memoryOptimized then
      print('Skipping memory optimization. Network is already optimized for ' ..
            net.__memoryOptimized .. ' mode.')
      return
   end
   local mode = option(opts.mode, 'inference')
   -- a first pass allocates every buffer
   local out = net:forward(input)
   if mode == 'training' then net:backward(input, recursiveClone(out)) end
   setInplace(net, opts)
   reuseBuffers(net, opts, mode)
   removeGradParams(net, opts, mode)
   share(assign(analyse(net, input, mode)))
   net.__memoryOptimized = mode
end

function optnet.removeOptimization(net)
   if not net.__memoryOptimized then
      print('Skipping memory optimization removal, as the network was not optimized.')
      return
   end
   local function empty(t)
      if torch.isTensor(t) then
         t:set()
      elseif torch.type(t) == 'table' then
         for _, v in ipairs(t) do empty(v) end
      end
   end
   net:apply(function(m)
      empty(m.output)
      empty(m.gradInput)
      local fields = reusable[torch.typename(m)]
      for _, field in ipairs(fields and fields[1] or {}) do
         if m[field] then m[field]:set() end
      end
      m.updateGradInput = nil
   end)
   addGradParams(net)
   net.__memoryOptimized = nil
end

return optnet
