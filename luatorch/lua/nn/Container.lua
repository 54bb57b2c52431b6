local Container, parent = torch.class('nn.Container', 'nn.Module')

function Container:__init(...)
   parent.__init(self, ...)
   self.modules = {}
end

function Container:add(module)
   table.insert(self.modules, module)
   return self
end

function Container:get(index)
   return self.modules[index]
end

function Container:size()
   return #self.modules
end

-- run f(module) and, on error, say which module of the container failed (as Torch does): the
-- first container adds the stack trace and Torch's warning, each container prepends its line
local TRACEBACK_WARNING = "WARNING: If you see a stack trace below, it doesn't point to the place "
   .. "where this error occurred. Please use only the one above."
-- the error handler for module moduleIndex of a container of type typeName, made once per
-- pair (containers call their modules on every pass: a new closure per call cost as much as a
-- small module's work)
local handlers = {}

local function errorHandler(typeName, moduleIndex)
   return function(err)
      if type(err) ~= 'string' then return err end
      if not err:find(TRACEBACK_WARNING, 1, true) then
         local traceback = debug.traceback()
         -- drop this handler's own frame from the trace
         local _, first = traceback:find('^.-\n')
         local _, second = traceback:find('^.-\n.-\n')
         if first and second then
            traceback = traceback:sub(1, first) .. traceback:sub(second + 1)
         end
         err = err .. '\n' .. traceback .. '\n\n' .. TRACEBACK_WARNING
      else
         -- the inner container's error() put its own position before the newline
         err = err:sub((err:find('\n') or 0) + 1)
      end
      return '\n' .. string.format('In %d module of %s:', moduleIndex, typeName) .. '\n' .. err
   end
end

-- the handler for module moduleIndex of self (a function of its own: rethrowErrors then holds
-- no more than its arguments while the module runs, a trace through nested containers fewer
-- values at each exit)
local function handlerOf(self, moduleIndex)
   local typeName = torch.type(self)
   local byIndex = handlers[typeName]
   if byIndex == nil then
      byIndex = {}
      handlers[typeName] = byIndex
   end
   local handleError = byIndex[moduleIndex]
   if handleError == nil then
      handleError = errorHandler(typeName, moduleIndex)
      byIndex[moduleIndex] = handleError
   end
   return handleError
end

function Container:rethrowErrors(module, moduleIndex, funcName, ...)
   assert(module == self.modules[moduleIndex],
          "mismatch between moduleIndex and self.modules in rethrowErrors")
   local ok, ret, noret = xpcall(module[funcName], handlerOf(self, moduleIndex), module, ...)
   assert(noret == nil, "rethrowErrors supports only one return argument")
   if not ok then error(ret) end
   return ret
end

function Container:applyToModules(func)
   for _, module in ipairs(self.modules) do func(module) end
end

function Container:zeroGradParameters()
   self:applyToModules(function(module) module:zeroGradParameters() end)
end

function Container:updateParameters(learningRate)
   self:applyToModules(function(module) module:updateParameters(learningRate) end)
end

function Container:training()
   self:applyToModules(function(module) module:training() end)
   parent.training(self)
end

function Container:evaluate()
   self:applyToModules(function(module) module:evaluate() end)
   parent.evaluate(self)
end

function Container:share(mlp, ...)
   for i = 1, #self.modules do self.modules[i]:share(mlp.modules[i], ...) end
   return self
end

function Container:reset(stdv)
   self:applyToModules(function(module) module:reset(stdv) end)
end

function Container:parameters()
   local function tinsert(to, from)
      if type(from) == 'table' then
         for i = 1, #from do tinsert(to, from[i]) end
      else
         table.insert(to, from)
      end
   end
   local w, gw = {}, {}
   for i = 1, #self.modules do
      local mw, mgw = self.modules[i]:parameters()
      if mw then
         tinsert(w, mw)
         tinsert(gw, mgw)
      end
   end
   return w, gw
end

function Container:clearState()
   -- a container's output is usually its last module's tensor: it gets a fresh tensor of its
   -- own rather than set(), so what it held stays shared only with the module (as Torch7,
   -- whose saved files therefore keep two objects there)
   for _, f in ipairs({'output', 'gradInput'}) do
      local v = self[f]
      if torch.isTensor(v) then
         self[f] = v.new()
      elseif torch.type(v) == 'table' then
         self[f] = {}
      else
         self[f] = nil
      end
   end
   if self.modules then
      for _, m in pairs(self.modules) do m:clearState() end
   end
   return self
end

-- tree printing shared by the branching containers (Concat, ConcatTable, Parallel, ...)
function Container:branchesToString(name)
   local tab, line = '  ', '\n'
   local next, lastNext = '  |`-> ', '   `-> '
   local ext, extLast = '  |    ', '       '
   local str = name .. ' {' .. line .. tab .. 'input'
   for i = 1, #self.modules do
      local isLast = i == #self.modules
      str = str .. line .. tab .. (isLast and lastNext or next) .. '(' .. i .. '): '
         .. nn.utils.indent(tostring(self.modules[i]), tab .. (isLast and extLast or ext))
   end
   return str .. line .. tab .. '   ... -> output' .. line .. '}'
end
