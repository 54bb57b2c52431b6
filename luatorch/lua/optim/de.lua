--[[ Differential evolution. Derivative-free: opfunc's gradient is ignored.

x*, fx = optim.de(opfunc, x, config)

config: popsize (10 D), scaleFactor (F, usually 0.4 to 1, required), crossoverRate (CR,
usually 0.1 to 0.9, required), maxFEs (the number of function evaluations, required),
maxRegion (30), minRegion (-30). The population is drawn uniformly in the region from a
private random generator seeded with 1, so the global generator is untouched. Returns the
best solution (flattened) and the tensor of all maxFEs function values in evaluation order.
]]

-- Torch's de draws from a private torch.Generator seeded with 1, leaving the global generator
-- alone. This is that generator: MT19937 with Torch's integer and uniform mappings
-- (torch.random(a, b) = w % (b + 1 - a) + a, uniform(a, b) = w 2^-32 (b - a) + a).
local bit = require 'bit'
local band, bor, bxor, rshift, lshift = bit.band, bit.bor, bit.bxor, bit.rshift, bit.lshift
local TWO32 = 4294967296

local function u32(v)
   return v % TWO32   -- bit ops return signed 32-bit numbers
end

-- (a * b) mod 2^32 for 32-bit a and b, exact in doubles by 16-bit halves
local function mul32(a, b)
   local al, ah = a % 65536, math.floor(a / 65536)
   local bl, bh = b % 65536, math.floor(b / 65536)
   return (al * bl + ((ah * bl + al * bh) % 65536) * 65536) % TWO32
end

local function privateGenerator(seed)
   local mt, mti = {}, 624
   mt[0] = seed % TWO32
   for i = 1, 623 do
      local prev = mt[i - 1]
      mt[i] = (mul32(1812433253, u32(bxor(prev, rshift(prev, 30)))) + i) % TWO32
   end
   local function word()
      if mti >= 624 then
         for k = 0, 623 do
            local y = bor(band(mt[k], 0x80000000), band(mt[(k + 1) % 624], 0x7fffffff))
            local v = bxor(mt[(k + 397) % 624], rshift(y, 1))
            if band(y, 1) ~= 0 then v = bxor(v, 0x9908b0df) end
            mt[k] = u32(v)
         end
         mti = 0
      end
      local y = mt[mti]
      mti = mti + 1
      y = bxor(y, rshift(y, 11))
      y = bxor(y, band(lshift(y, 7), 0x9d2c5680))
      y = bxor(y, band(lshift(y, 15), 0xefc60000))
      y = bxor(y, rshift(y, 18))
      return u32(y)
   end
   local gen = {}
   function gen.random(a, b) return word() % (b + 1 - a) + a end
   function gen.uniform(a, b) return word() * (1 / TWO32) * (b - a) + a end
   function gen.fill(t, a, b)
      -- row-major, as a tensor fill
      local flat = t:view(-1)
      for i = 1, flat:size(1) do flat[i] = gen.uniform(a, b) end
   end
   return gen
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

   local rng = privateGenerator(1)
   rng.fill(pop, minRegion, maxRegion)
   for i = 1, popsize do
      fitness[i] = opfunc(pop[i])
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
         children_fitness[i] = opfunc(child)
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
   return best_solution, fx
end
