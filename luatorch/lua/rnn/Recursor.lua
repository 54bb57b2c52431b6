-- Makes any module (a Sequential holding recurrent modules, or a plain module) usable one
-- time-step at a time: step t runs the t-th step clone, and backward revisits them in reverse.
local Recursor, parent = torch.class('nn.Recursor', 'nn.AbstractRecurrent')

function Recursor:__init(module, rho)
   parent.__init(self, rho or 9999999)
   self.recurrentModule = module
   self.module = module
   self.modules = {module}
   self.sharedClones[1] = self.recurrentModule
end

function Recursor:updateOutput(input)
   return self:endStep(self:forwardStep(input))
end

function Recursor:_updateGradInput(input, gradOutput)
   assert(self.step > 1, "expecting at least one updateOutput")
   local step = self.updateGradInputStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   module:setOutputStep(step)
   return module:updateGradInput(input, gradOutput)
end

function Recursor:_accGradParameters(input, gradOutput, scale)
   local step = self.accGradParametersStep - 1
   assert(step >= 1)
   local module = self:getStepModule(step)
   module:setOutputStep(step)
   module:accGradParameters(input, gradOutput, scale)
end

function Recursor:includingSharedClones(f)
   local modules, sharedClones = self.modules, self.sharedClones
   self.modules = {}
   self.sharedClones = nil
   for _, list in ipairs{modules, sharedClones} do
      for _, module in pairs(list) do table.insert(self.modules, module) end
   end
   local r = {f()}
   self.modules = modules
   self.sharedClones = sharedClones
   return unpack(r)
end

function Recursor:forget(offset)
   parent.forget(self, offset)
   nn.Module.forget(self)
   return self
end

function Recursor:maxBPTTstep(rho)
   self.rho = rho
   nn.Module.maxBPTTstep(self, rho)
end

function Recursor:getHiddenState(...) return self.modules[1]:getHiddenState(...) end
function Recursor:setHiddenState(...) return self.modules[1]:setHiddenState(...) end
function Recursor:getGradHiddenState(...) return self.modules[1]:getGradHiddenState(...) end
function Recursor:setGradHiddenState(...) return self.modules[1]:setGradHiddenState(...) end

Recursor.__tostring__ = nn.Decorator.__tostring__
