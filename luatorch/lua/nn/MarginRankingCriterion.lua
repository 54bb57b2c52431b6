local MarginRankingCriterion, parent =
   torch.class('nn.MarginRankingCriterion', 'nn.Criterion')
local THNN = nn.THNN

-- input {x1, x2}, y = 1 or -1 (one per sample in batch mode): max(0, -y (x1 - x2) + margin)
function MarginRankingCriterion:__init(margin)
   parent.__init(self)
   margin = margin or 1
   self.margin = margin
   self.gradInput = {torch.Tensor(1), torch.Tensor(1)}
   self.sizeAverage = true
end

function MarginRankingCriterion:updateOutput(input, y)
   if torch.type(y) == 'number' then -- non-batch mode
      self.output = math.max(0, -y * (input[1][1] - input[2][1]) + self.margin)
   else
      self.output = THNN.MarginRankingCriterion_updateOutput(input[1], input[2], y, self.margin,
         self.sizeAverage)
   end
   return self.output
end

function MarginRankingCriterion:updateGradInput(input, y)
   if torch.type(y) == 'number' then -- non-batch mode
      local dist = -y * (input[1][1] - input[2][1]) + self.margin
      if dist < 0 then
         self.gradInput[1][1] = 0
         self.gradInput[2][1] = 0
      else
         self.gradInput[1][1] = -y
         self.gradInput[2][1] = y
      end
   else
      THNN.MarginRankingCriterion_updateGradInput(input[1], input[2], y, self.gradInput[1],
         self.gradInput[2], self.margin, self.sizeAverage)
   end
   return self.gradInput
end
