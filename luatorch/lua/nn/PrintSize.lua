-- A pass-through module that prints the size of what goes through it (a debugging aid):
-- "<prefix>:input" then the input's size going forward, "<prefix>:gradOutput" and the
-- gradient's size going back; a table is printed as the table, nil as 'missing size'.
local PrintSize, parent = torch.class('nn.PrintSize', 'nn.Module')

function PrintSize:__init(prefix)
   parent.__init(self)
   self.prefix = prefix or 'PrintSize'
end

local function sizeOf(x)
   local kind = torch.type(x)
   if kind == 'table' then return x end
   if kind == 'nil' then return 'missing size' end
   return x:size()
end

function PrintSize:updateOutput(input)
   print(self.prefix .. ':input\n', sizeOf(input))
   self.output = input
   return self.output
end

function PrintSize:updateGradInput(input, gradOutput)
   print(self.prefix .. ':gradOutput\n', sizeOf(gradOutput))
   self.gradInput = gradOutput
   return self.gradInput
end
