-- torch.multinomialAlias: long runs of samples from Walker's alias tables (the bucket and the
-- Bernoulli draw of each sample from the default generator), for several numbers of classes
torch.manualSeed(11)
for _, n in ipairs({5, 3, 17, 1}) do
   local probs = torch.Tensor(n):uniform(0, 1)
   probs:div(probs:sum())
   local state = torch.multinomialAliasSetup(probs)
   local out = torch.multinomialAlias(torch.LongTensor(3000), state)
   local parts = {}
   for i = 1, out:size(1) do parts[i] = out[i] end
   print(n, table.concat(parts, ' '))
   print(string.format('%.17g', torch.uniform()))
end
