-- converts the input to another tensor type (and gradients back)
local Copy, parent = torch.class('nn.Copy', 'nn.Module')

function Copy:__init(intype, outtype, forceCopy, dontCast)
   intype = intype or torch.getdefaulttensortype()
   outtype = outtype or torch.getdefaulttensortype()
   self.dontCast = dontCast
   parent.__init(self)
   self.gradInput = torch.getmetatable(intype).new()
   self.output = torch.getmetatable(outtype).new()
   -- same types and no forced copy: output and gradInput just view their sources
   self.viewOnly = (not forceCopy) and intype == outtype
end

function Copy:updateOutput(input)
   if self.viewOnly then
      self.output:set(input)
      return input
   end
   self.output:resize(input:size()):copy(input)
   return self.output
end

function Copy:updateGradInput(input, gradOutput)
   if self.viewOnly then
      self.gradInput:set(gradOutput)
      return gradOutput
   end
   self.gradInput:resize(gradOutput:size()):copy(gradOutput)
   return self.gradInput
end

function Copy:type(type, tensorCache)
   if type and self.dontCast then
      return self
   end
   return parent.type(self, type, tensorCache)
end
