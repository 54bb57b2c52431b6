local Threshold, parent = torch.class('nn.Threshold', 'nn.Module')
local THNN = nn.THNN

function Threshold:__init(th, v, ip)
   parent.__init(self)
   self.threshold = th or 1e-6
   self.val = v or 0
   if (th and type(th) ~= 'number') or (v and type(v) ~= 'number') then
      error('nn.Threshold(threshold, value)')
   end
   self.inplace = ip or false
   if ip and type(ip) ~= 'boolean' then
      error('in-place flag must be boolean')
   end
   self:validateParameters()
end

function Threshold:validateParameters()
   self.inplace = self.inplace or false -- modules saved before in-place existed
   if self.inplace and self.val > self.threshold then
      error('in-place processing requires value (' .. self.val ..
            ') not exceed threshold (' .. self.threshold .. ')')
   end
end

function Threshold:updateOutput(input)
   self:validateParameters()
   THNN.Threshold_updateOutput(input, self.output, self.threshold, self.val, self.inplace)
   return self.output
end

function Threshold:updateGradInput(input, gradOutput)
   self:validateParameters()
   THNN.Threshold_updateGradInput(input, gradOutput, self.gradInput, self.threshold, self.val,
                                  self.inplace)
   return self.gradInput
end
