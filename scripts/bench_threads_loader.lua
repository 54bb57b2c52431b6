-- A DCGAN-style data-loading pipeline on threads: each job makes a batch of 3x96x96 images,
-- crops, scales to 64x64, flips half of them and normalizes. Prints the time per batch with 1, 2
-- and 4 workers and the speed-up over 1 worker.
-- Run: luatorch scripts/bench_threads_loader.lua [batches [loadSize]]
-- (a larger loadSize puts more of each job in numpy, which releases the GIL)
local threads = require 'threads'
threads.Threads.serialization('threads.sharedserialize')

local nbatch = tonumber(arg[1]) or 40
local batchSize, fineSize = 16, 64
local loadSize = tonumber(arg[2]) or 96

local function run(nworkers)
   local pool = threads.Threads(nworkers, function() require 'image' end)
   local timer = torch.Timer()
   local done = 0
   for b = 1, nbatch do
      pool:addjob(function()
         local batch = torch.FloatTensor(batchSize, 3, fineSize, fineSize)
         for i = 1, batchSize do
            local img = torch.FloatTensor(3, loadSize, loadSize):uniform()
            local c = math.floor(loadSize * 5 / 6)
            local x = math.random(1, loadSize - c)
            local y = math.random(1, loadSize - c)
            img = image.crop(img, x, y, x + c, y + c)
            img = image.scale(img, fineSize, fineSize, 'bilinear')
            if math.random() < 0.5 then img = image.hflip(img) end
            batch[i]:copy(img:mul(2):add(-1))
         end
         return batch
      end, function(batch) done = done + batch:size(1) end)
   end
   pool:synchronize()
   local t = timer:time().real
   pool:terminate()
   assert(done == nbatch * batchSize)
   return t / nbatch
end

local base
for _, n in ipairs{1, 2, 4} do
   local t = run(n)
   base = base or t
   print(string.format('%d worker(s): %.1f ms per batch of %d, speed-up %.2fx', n, t * 1e3,
      batchSize, base / t))
end
