-- user-defined modules and criteria subclassing nn.Module, parent calls, type(), clone
require 'nn'
torch.manualSeed(2)

local Scale, parent = torch.class('nn.MyScale', 'nn.Module')
function Scale:__init(n)
   parent.__init(self)
   self.weight = torch.Tensor(n)
   self.gradWeight = torch.Tensor(n)
   self:reset()
end
function Scale:reset(stdv)
   self.weight:fill(1)
   return self
end
function Scale:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if input:dim() == 1 then
      self.output:cmul(self.weight)
   else
      self.output:cmul(self.weight:view(1, -1):expandAs(input))
   end
   return self.output
end
function Scale:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   if input:dim() == 1 then
      self.gradInput:cmul(self.weight)
   else
      self.gradInput:cmul(self.weight:view(1, -1):expandAs(input))
   end
   return self.gradInput
end
function Scale:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:addcmul(scale, input, gradOutput)
   else
      self.gradWeight:add(scale, torch.cmul(input, gradOutput):sum(1):view(-1))
   end
end
function Scale:__tostring__()
   return torch.type(self) .. string.format('(%d)', self.weight:size(1))
end

-- a subclass of an existing module, calling the parent's methods
local NoisyLinear, lparent = torch.class('nn.NoisyLinear', 'nn.Linear')
function NoisyLinear:__init(a, b, sigma)
   lparent.__init(self, a, b)
   self.sigma = sigma
end
function NoisyLinear:updateOutput(input)
   lparent.updateOutput(self, input)
   if self.train then self.output:add(torch.randn(self.output:size()) * self.sigma) end
   return self.output
end

local model = nn.Sequential()
model:add(nn.MyScale(4))
model:add(nn.NoisyLinear(4, 2, 0.01))
print(model)
print(torch.type(model:get(2)), torch.isTypeOf(model:get(2), 'nn.Linear'))

-- gradient check with nn.Jacobian
local m = nn.MyScale(5)
m.weight:uniform(-1, 1)
local input = torch.randn(3, 5)
local err = nn.Jacobian.testJacobian(m, input)
local errw = nn.Jacobian.testJacobianParameters(m, input, m.weight, m.gradWeight)
print(string.format('jacobian err %.2e %.2e', err, errw))
assert(err < 1e-6 and errw < 1e-6)

-- train
local crit = nn.MSECriterion()
local x = torch.randn(50, 4)
local wTrue = torch.Tensor{{1, -2, 0.5, 3}, {0, 1, 1, -1}}
local y = x * wTrue:t()
local l0, l
for i = 1, 200 do
   l = crit:forward(model:forward(x), y)
   if i == 1 then l0 = l end
   model:zeroGradParameters()
   model:backward(x, crit:backward(model.output, y))
   model:updateParameters(0.05)
end
print(string.format('loss %.4f -> %.4f', l0, l))
assert(l < l0 * 0.1)
model:evaluate()
assert(model:get(2).train == false)
local c = model:clone()
c:float()
print(torch.type(c:get(1).weight), torch.type(c:get(1).output))
local fo = c:forward(x:float())
print(fo:size(1), fo:size(2))
local params = model:parameters()
print(#params)
for i, p in ipairs(params) do io.write(i, ':', p:nElement(), ' ') end
io.write('\n')
