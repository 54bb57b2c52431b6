-- cunn on a machine without CUDA: nn modules already convert with :cuda(); this adds the
-- multi-GPU wrappers as thin containers that run their module on the CPU.

require 'nn'
require 'cutorch'

cunn = cunn or {}
cunn.version = 'luatorch-cpu'

---------------------------------------------------------------------------------------------
-- nn.DataParallelTable: one replica, the CPU
---------------------------------------------------------------------------------------------
if not nn.DataParallelTable then
   local DPT, parent = torch.class('nn.DataParallelTable', 'nn.Container')

   function DPT:__init(dimension, flattenParams, usenccl)
      parent.__init(self)
      self.dimension = dimension or 1
      self.gpuAssignments = {}
   end

   function DPT:add(module, gpus)
      self.modules[1] = module
      if type(gpus) == 'table' then self.gpuAssignments = gpus
      else self.gpuAssignments = {gpus or 1} end
      return self
   end

   function DPT:get(i) return self.modules[1] end
   function DPT:threads(init) if init then init() end return self end
   function DPT:syncParameters() end

   function DPT:updateOutput(input)
      self.output = self.modules[1]:updateOutput(input)
      return self.output
   end

   function DPT:updateGradInput(input, gradOutput)
      self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
      return self.gradInput
   end

   function DPT:accGradParameters(input, gradOutput, scale)
      self.modules[1]:accGradParameters(input, gradOutput, scale)
   end

   function DPT:__tostring__()
      return 'nn.DataParallelTable: ' .. #self.gpuAssignments .. ' x '
         .. tostring(self.modules[1])
   end
end

---------------------------------------------------------------------------------------------
-- nn.GPU(module, device): the module, on the only device
---------------------------------------------------------------------------------------------
if not nn.GPU then
   local GPU, parent = torch.class('nn.GPU', 'nn.Container')

   function GPU:__init(module, device, outdevice)
      parent.__init(self)
      self.modules[1] = module
      self.device = device or 1
      self.outdevice = outdevice or self.device
   end

   function GPU:updateOutput(input)
      self.output = self.modules[1]:updateOutput(input)
      return self.output
   end

   function GPU:updateGradInput(input, gradOutput)
      self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
      return self.gradInput
   end

   function GPU:accGradParameters(input, gradOutput, scale)
      self.modules[1]:accGradParameters(input, gradOutput, scale)
   end

   function GPU:__tostring__()
      return 'nn.GPU(' .. tostring(self.modules[1]) .. ' @ device ' .. self.device .. ')'
   end
end

return cunn
