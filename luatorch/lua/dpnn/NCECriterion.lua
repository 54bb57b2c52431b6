-- The NCE loss (for nn.NCEModule's output {Pm(target), Pm(samples), Pn(target), Pn(samples)}):
-- the negative log-likelihood of telling the target from the model apart from the k noise
-- samples, -sum[log P(model | target)] - sum[log P(noise | sample)], where
-- P(model | w) = Pm(w) / (Pm(w) + k Pn(w)); averaged over the batch with sizeAverage.
local NCECriterion, parent = torch.class('nn.NCECriterion', 'nn.Criterion')
local eps = 0.0000001

function NCECriterion:__init()
   parent.__init(self)
   self.sizeAverage = true
   self.gradInput = {torch.Tensor(), torch.Tensor(), torch.Tensor(), torch.Tensor()}
end

function NCECriterion:updateOutput(inputTable, target)
   local Pmt, Pms, Pnt, Pns = unpack(inputTable)
   local k = Pms:size(2)
   assert(Pmt:dim() == 1)
   assert(Pms:dim() == 2)
   assert(Pnt:dim() == 1)
   assert(Pns:dim() == 2)
   -- P(model | target) = Pmt / (Pmt + k Pnt)
   self._Pom = self._Pom or Pmt.new()
   self._Pomdiv = self._Pomdiv or Pmt.new()
   self._Pomdiv:resizeAs(Pmt):copy(Pmt):add(k, Pnt):add(eps)
   self._Pom:resizeAs(Pmt):copy(Pmt):cdiv(self._Pomdiv)
   -- P(noise | sample) = k Pns / (Pms + k Pns)
   self._Pon = self._Pon or Pns.new()
   self._Pondiv = self._Pondiv or Pms.new()
   self._Pondiv:resizeAs(Pms):copy(Pms):add(k, Pns):add(eps)
   self._Pon:resizeAs(Pns):copy(Pns):mul(k):cdiv(self._Pondiv)
   self._lnPom = self._lnPom or self._Pom.new()
   self._lnPon = self._lnPon or self._Pon.new()
   self._lnPom:log(self._Pom)
   self._lnPon:log(self._Pon)
   self.output = -(self._lnPom:sum() + self._lnPon:sum())
   if self.sizeAverage then self.output = self.output / Pmt:size(1) end
   return self.output
end

-- only the model probabilities get gradients:
-- d/dPmt -log P(model | t) = -k Pnt / (Pmt (Pmt + k Pnt))
-- d/dPms -log P(noise | s) = 1 / (Pms + k Pns)
function NCECriterion:updateGradInput(inputTable, target)
   assert(#self.gradInput == 4)
   local Pmt, Pms, Pnt, Pns = unpack(inputTable)
   local k = Pms:size(2)
   local dPmt, dPms = self.gradInput[1], self.gradInput[2]
   dPmt:resizeAs(Pnt):copy(Pnt):mul(-k):cdiv(self._Pomdiv)
   -- Pmt + eps computed in place, then restored, as the reference does (same rounding)
   Pmt:add(eps)
   dPmt:cdiv(Pmt)
   Pmt:add(-eps)
   dPms:resizeAs(Pms):copy(Pms):cdiv(self._Pondiv)
   Pms:add(eps)
   dPms:cdiv(Pms)
   Pms:add(-eps)
   if self.gradInput[3]:nElement() ~= Pnt:nElement() then self.gradInput[3]:resizeAs(Pnt):zero() end
   if self.gradInput[4]:nElement() ~= Pns:nElement() then self.gradInput[4]:resizeAs(Pns):zero() end
   if self.sizeAverage then
      dPmt:div(Pmt:size(1))
      dPms:div(Pmt:size(1))
   end
   return self.gradInput
end
