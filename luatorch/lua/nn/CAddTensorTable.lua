-- {v, {a, b, c}} -> {v + a, v + b, v + c}
local CAddTensorTable, parent = torch.class('nn.CAddTensorTable', 'nn.Module')

function CAddTensorTable:__init()
   parent.__init(self)
   self.gradInput = {}
end

function CAddTensorTable:updateOutput(input)
   local v, list = input[1], input[2]
   local output = {}
   for i = 1, #list do
      output[i] = v.new():resizeAs(v):copy(list[i]):add(v)
   end
   self.output = output
   return self.output
end

function CAddTensorTable:updateGradInput(input, gradOutput)
   local v, list = input[1], input[2]
   local gradV = self.gradInput[1] or v.new()
   gradV:resizeAs(v):copy(gradOutput[1])
   for i = 2, #list do
      gradV:add(gradOutput[i])
   end
   self.gradInput[1] = gradV
   local gradList = self.gradInput[2] or {}
   for i = 1, #list do
      gradList[i] = gradList[i] or v.new()
      gradList[i]:resizeAs(v):copy(gradOutput[i])
   end
   for i = #list + 1, #gradList do
      gradList[i] = nil
   end
   self.gradInput[2] = gradList
   return self.gradInput
end
