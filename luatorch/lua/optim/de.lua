--[[ Differential evolution. Derivative-free: opfunc's gradient is ignored.

x*, fx = optim.de(opfunc, x, config)

config: popsize (10 D), scaleFactor (F, usually 0.4 to 1, required), crossoverRate (CR,
usually 0.1 to 0.9, required), maxFEs (the number of function evaluations, required),
maxRegion (30), minRegion (-30). The population is drawn uniformly in the region from a
private random generator seeded with 1, so the global generator is untouched. Returns the
best solution (flattened) and the tensor of all maxFEs function values in evaluation order.
]]

-- Draws from a private stream seeded with 1. torch.Generator is used when it exists;
-- otherwise the global generator's state is swapped: the private stream is active during the
-- algorithm's draws and the caller's stream during opfunc and after the call.
local function privateRandom()
   if torch.Generator then
      local gen = torch.Generator()
      torch.manualSeed(gen, 1)
      return {
         fill = function(t, a, b) t:uniform(gen, a, b) end,
         random = function(a, b) return torch.random(gen, a, b) end,
         uniform = function(a, b) return torch.uniform(gen, a, b) end,
         call = function(f, ...) return f(...) end,
         finish = function() end,
      }
   end
   local userState = torch.getRNGState()
   torch.manualSeed(1)
   return {
      fill = function(t, a, b) t:uniform(a, b) end,
      random = torch.random,
      uniform = torch.uniform,
      call = function(f, ...)
         local mine = torch.getRNGState()
         torch.setRNGState(userState)
         local v = f(...)
         userState = torch.getRNGState()
         torch.setRNGState(mine)
         return v
      end,
      finish = function() torch.setRNGState(userState) end,
   }
end

function optim.de(opfunc, x, config, state)
   config = config or {}
   local scaleFactor = config.scaleFactor
   local crossoverRate = config.crossoverRate
   local maxFEs = tonumber(config.maxFEs)
   local maxRegion = config.maxRegion or 30
   local minRegion = config.minRegion or -30
   local xmean = x:clone():view(-1)
   local D = xmean:size(1)
   local popsize = config.popsize or 10 * D

   local fx = x.new(maxFEs)
   local pop = x.new(popsize, D)
   local children = x.new(popsize, D)
   local fitness = x.new(popsize)
   local children_fitness = x.new(popsize)
   local fes = 1
   local best_solution = x.new(D)

   local rng = privateRandom()
   local ok, err = pcall(function()
      rng.fill(pop, minRegion, maxRegion)
      for i = 1, popsize do
         fitness[i] = rng.call(opfunc, pop[i])
         fx[fes] = fitness[i]
         fes = fes + 1
      end

      -- Torch starts from the *largest* fitness here; later generations only keep improvements
      local best_fitness, index = fitness:max(1)
      best_fitness = best_fitness[1]
      best_solution:copy(pop[index[1]])

      while fes < maxFEs do
         for i = 1, popsize do
            local r1, r2
            repeat r1 = rng.random(1, popsize) until r1 ~= i
            repeat r2 = rng.random(1, popsize) until r2 ~= r1 and r2 ~= i
            -- mutate around the best solution, cross over with the parent
            local jrand = rng.random(1, D)
            local child, parent, p1, p2 = children[i], pop[i], pop[r1], pop[r2]
            for j = 1, D do
               if rng.uniform(0, 1) < crossoverRate or i == jrand then
                  child[j] = best_solution[j] + scaleFactor * (p1[j] - p2[j])
               else
                  child[j] = parent[j]
               end
            end
            children_fitness[i] = rng.call(opfunc, child)
            fx[fes] = children_fitness[i]
            fes = fes + 1
         end

         -- selection
         for i = 1, popsize do
            if children_fitness[i] <= fitness[i] then
               pop[i]:copy(children[i])
               fitness[i] = children_fitness[i]
               if fitness[i] < best_fitness then
                  best_fitness = fitness[i]
                  best_solution:copy(children[i])
               end
            end
         end
      end
   end)
   rng.finish()
   if not ok then error(err, 0) end
   return best_solution, fx
end
