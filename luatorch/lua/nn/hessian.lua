-- nn.hessian: experimental estimates of the Hessian's diagonal (Becker & LeCun's
-- Gauss-Newton approximation), to condition learning rates one parameter at a time.
-- Nothing changes until nn.hessian.enable() adds the methods to the modules.
nn.hessian = {}

function nn.hessian.enable()

   -- swap module[a[i]] and module[b[i]] for every i
   local function swap(module, a, b)
      for i = 1, #a do
         module[a[i]], module[b[i]] = module[b[i]], module[a[i]]
      end
   end

   -- accumulate the diagonal Hessian of the parameters: accGradParameters run on the squared
   -- input and the output's diagonal Hessian, with the Hessian tensors standing in for the
   -- gradients
   local function accDiagHessianParameters(module, input, diagHessianOutput, gw, hw)
      if #gw ~= #hw then
         error('Number of gradients is nto equal to number of hessians')
      end
      module.inputSq = module.inputSq or input.new()
      module.inputSq:resizeAs(input)
      torch.cmul(module.inputSq, input, input)
      for i = 1, #gw do
         if module[hw[i]] == nil then
            module[hw[i]] = module[gw[i]].new():resizeAs(module[gw[i]])
         end
      end
      swap(module, gw, hw)
      -- a forward on the squared input first (into a scratch output): modules such as
      -- SpatialConvolution reuse buffers of the last forward in accGradParameters
      local output = module.output
      module.output = output.new():resizeAs(output)
      module.forward(module, module.inputSq)
      module.accGradParameters(module, module.inputSq, diagHessianOutput, 1)
      module.output = output
      swap(module, gw, hw)
   end
   nn.hessian.accDiagHessianParameters = accDiagHessianParameters

   -- the input's diagonal Hessian: updateGradInput with the squared weights, writing into
   -- module.diagHessianInput
   local function updateDiagHessianInput(module, input, diagHessianOutput, w, wsq)
      if #w ~= #wsq then
         error('Number of weights is not equal to number of weights squares')
      end
      module.diagHessianInput = module.diagHessianInput or input.new()
      module.diagHessianInput:resizeAs(input):zero()
      local gradInput = module.gradInput
      module.gradInput = module.diagHessianInput
      for i = 1, #w do
         local wval = module[w[i]]
         module[wsq[i]] = module[wsq[i]] or wval.new()
         local sq = module[wsq[i]]
         sq:resizeAs(wval)
         torch.cmul(sq, wval, wval)
      end
      swap(module, w, wsq)
      module.updateGradInput(module, input, diagHessianOutput)
      swap(module, w, wsq)
      module.gradInput = gradInput
   end
   nn.hessian.updateDiagHessianInput = updateDiagHessianInput

   -- point-wise modules: (f'(x))^2 * diagHessianOutput
   local function updateDiagHessianInputPointWise(module, input, diagHessianOutput)
      local ones = diagHessianOutput.new():resizeAs(diagHessianOutput):fill(1)
      updateDiagHessianInput(module, input, ones, {}, {})
      module.diagHessianInput:cmul(module.diagHessianInput)
      module.diagHessianInput:cmul(diagHessianOutput)
   end
   nn.hessian.updateDiagHessianInputPointWise = updateDiagHessianInputPointWise

   local function initDiagHessianParameters(module, gw, hw)
      module.diagHessianInput = module.diagHessianInput or module.gradInput.new()
      for i = 1, #gw do
         module[hw[i]] = module[hw[i]] or module[gw[i]].new():resizeAs(module[gw[i]])
      end
   end
   nn.hessian.initDiagHessianParameters = initDiagHessianParameters

   -- Module
   function nn.Module.updateDiagHessianInput(self, input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined')
   end

   function nn.Module.accDiagHessianParameters(self, input, diagHessianOutput)
   end

   function nn.Module.initDiagHessianParameters()
   end

   -- Sequential: back through the modules, last to first
   function nn.Sequential.initDiagHessianParameters(self)
      for i = 1, #self.modules do
         self.modules[i]:initDiagHessianParameters()
      end
   end

   function nn.Sequential.updateDiagHessianInput(self, input, diagHessianOutput)
      local current = diagHessianOutput
      for i = #self.modules, 2, -1 do
         current = self.modules[i]:updateDiagHessianInput(self.modules[i - 1].output, current)
      end
      current = self.modules[1]:updateDiagHessianInput(input, current)
      self.diagHessianInput = current
      return current
   end

   function nn.Sequential.accDiagHessianParameters(self, input, diagHessianOutput)
      local current = diagHessianOutput
      for i = #self.modules, 2, -1 do
         local m = self.modules[i]
         m:accDiagHessianParameters(self.modules[i - 1].output, current)
         current = m.diagHessianInput
      end
      self.modules[1]:accDiagHessianParameters(input, current)
   end

   -- Criterion
   function nn.Criterion.updateDiagHessianInput(self, input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined')
   end

   function nn.MSECriterion.updateDiagHessianInput(self, input, target)
      self.diagHessianInput = self.diagHessianInput or input.new()
      local val = 2
      if self.sizeAverage then
         val = val / input:nElement()
      end
      self.diagHessianInput:resizeAs(input):fill(val)
      return self.diagHessianInput
   end

   -- Linear
   function nn.Linear.updateDiagHessianInput(self, input, diagHessianOutput)
      updateDiagHessianInput(self, input, diagHessianOutput, {'weight'}, {'weightSq'})
      return self.diagHessianInput
   end

   function nn.Linear.accDiagHessianParameters(self, input, diagHessianOutput)
      accDiagHessianParameters(self, input, diagHessianOutput, {'gradWeight', 'gradBias'},
                               {'diagHessianWeight', 'diagHessianBias'})
   end

   function nn.Linear.initDiagHessianParameters(self)
      initDiagHessianParameters(self, {'gradWeight', 'gradBias'},
                                {'diagHessianWeight', 'diagHessianBias'})
   end

   -- convolutions: the input's diagonal Hessian through the squared weights; weight and bias
   -- Hessians through accGradParameters on the squared input (SpatialConvolutionMap squares its
   -- bias too, as nn does)
   local function convolution(class, weights, squares)
      class.updateDiagHessianInput = function(self, input, diagHessianOutput)
         updateDiagHessianInput(self, input, diagHessianOutput, weights, squares)
         return self.diagHessianInput
      end
      class.accDiagHessianParameters = function(self, input, diagHessianOutput)
         accDiagHessianParameters(self, input, diagHessianOutput, {'gradWeight', 'gradBias'},
                                  {'diagHessianWeight', 'diagHessianBias'})
      end
      class.initDiagHessianParameters = function(self)
         initDiagHessianParameters(self, {'gradWeight', 'gradBias'},
                                   {'diagHessianWeight', 'diagHessianBias'})
      end
   end
   for _, name in ipairs({'SpatialConvolution', 'SpatialConvolutionLocal',
                          'SpatialFullConvolution', 'SpatialFullConvolutionMap'}) do
      convolution(nn[name], {'weight'}, {'weightSq'})
   end
   convolution(nn.SpatialConvolutionMap, {'weight', 'bias'}, {'weightSq', 'biasSq'})

   -- point-wise transfer functions
   for _, name in ipairs({'Tanh', 'Square', 'Sqrt'}) do
      nn[name].updateDiagHessianInput = function(self, input, diagHessianOutput)
         updateDiagHessianInputPointWise(self, input, diagHessianOutput)
         return self.diagHessianInput
      end
   end

   -- Reshape: a view of the output's diagonal Hessian
   function nn.Reshape.updateDiagHessianInput(self, input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new()
      diagHessianOutput = diagHessianOutput:contiguous()
      self.diagHessianInput:set(diagHessianOutput):resizeAs(input)
      return self.diagHessianInput
   end

   -- parameters() and getParameters() also return the diagonal Hessians
   function nn.Module.parameters(self)
      if self.weight and self.bias then
         return {self.weight, self.bias}, {self.gradWeight, self.gradBias},
                {self.diagHessianWeight, self.diagHessianBias}
      elseif self.weight then
         return {self.weight}, {self.gradWeight}, {self.diagHessianWeight}
      elseif self.bias then
         return {self.bias}, {self.gradBias}, {self.diagHessianBias}
      end
   end

   function nn.Module.getParameters(self)
      local parameters, gradParameters, hessianParameters = self:parameters()
      local flatParameters = nn.Module.flatten(parameters)
      local flatGradParameters = nn.Module.flatten(gradParameters)
      local flatHessianParameters
      if hessianParameters and hessianParameters[1] then
         flatHessianParameters = nn.Module.flatten(hessianParameters)
      end
      return flatParameters, flatGradParameters, flatHessianParameters
   end

   function nn.Sequential.parameters(self)
      local function tinsert(to, from)
         if type(from) == 'table' then
            for i = 1, #from do tinsert(to, from[i]) end
         else
            table.insert(to, from)
         end
      end
      local w, gw, hw = {}, {}, {}
      for i = 1, #self.modules do
         local mw, mgw, mhw = self.modules[i]:parameters()
         if mw then
            tinsert(w, mw)
            tinsert(gw, mgw)
            tinsert(hw, mhw)
         end
      end
      return w, gw, hw
   end

   -- later calls do nothing
   function nn.hessian.enable()
   end
end
