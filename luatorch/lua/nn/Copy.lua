-- converts the input to another tensor type (and gradients back)
local Copy, parent = torch.class('nn.Copy', 'nn.Module')

function Copy:__init(intype, outtype, forceCopy, dontCast)
   intype = intype or torch.getdefaulttensortype()
   outtype = outtype or torch.getdefaulttensortype()
   self.dontCast = dontCast
   parent.__init(self)
   self.gradInput = torch.getmetatable(intype).new()
   self.output = torch.getmetatable(outtype).new()
   -- same types and no forced copy: output and gradInput just view their sources, through
   -- functions kept as the instance's fields, as in Torch (pairs and saved files see them)
   if (not forceCopy) and intype == outtype then
      self.updateOutput = function(self, input)
         self.output:set(input)
         return input
      end
      self.updateGradInput = function(self, input, gradOutput)
         self.gradInput:set(gradOutput)
         return gradOutput
      end
   end
end

function Copy:updateOutput(input)
   self.output:resize(input:size()):copy(input)
   return self.output
end

function Copy:updateGradInput(input, gradOutput)
   self.gradInput:resize(gradOutput:size()):copy(gradOutput)
   return self.gradInput
end

function Copy:type(type, tensorCache)
   if type and self.dontCast then
      return self
   end
   return parent.type(self, type, tensorCache)
end
