-- A DCGAN-style training run in the shape of soumith/dcgan.torch: a threads data loader (each
-- worker state makes batches of augmented images), a generator of SpatialFullConvolutions and a
-- discriminator of SpatialConvolutions, trained against each other with Adam.
-- The "dataset" is generated: coloured discs on dark backgrounds, drawn at 20x20, then randomly
-- cropped, scaled to 16x16 and flipped by the image package, as a real loader augments photos.
--
-- Run: luatorch dcgan_threads.lua [-niter 20] [-batchSize 16] [-nThreads 2] [-display 0]
require 'nn'
require 'optim'
require 'image'
local threads = require 'threads'

local cmd = torch.CmdLine()
cmd:option('-niter', 20, 'training iterations')
cmd:option('-batchSize', 16, 'images per batch')
cmd:option('-nThreads', 2, 'data loading threads')
cmd:option('-nz', 16, 'size of the noise vector')
cmd:option('-lr', 0.0002, 'Adam learning rate')
cmd:option('-seed', 1, 'random seed')
cmd:option('-display', 0, 'write generated samples to display.html every n iterations')
local opt = cmd:parse(arg or {})
torch.manualSeed(opt.seed)
torch.setdefaulttensortype('torch.FloatTensor')

---------------------------------------------------------------------------------------------
-- data: each worker draws and augments batches (dcgan.torch's data.lua and donkey)
---------------------------------------------------------------------------------------------
local loadSize, fineSize = 20, 16
local pool = threads.Threads(opt.nThreads,
   function() require 'image' end,
   function(id)
      torch.manualSeed(opt.seed * 100 + id)   -- each worker its own stream
      torch.setdefaulttensortype('torch.FloatTensor')
      -- a disc of a random colour, size and place on a dark background
      function makeImage()
         local img = torch.FloatTensor(3, loadSize, loadSize):uniform(0, 0.2)
         local cx, cy = torch.uniform(5, loadSize - 5), torch.uniform(5, loadSize - 5)
         local r = torch.uniform(3, 6)
         local colour = torch.FloatTensor(3):uniform(0.4, 1)
         for y = 1, loadSize do
            for x = 1, loadSize do
               if (x - cx) ^ 2 + (y - cy) ^ 2 <= r * r then img[{{}, y, x}]:copy(colour) end
            end
         end
         return img
      end
      -- random crop, scale to fineSize, random horizontal flip, values in [-1, 1]
      function augment(img)
         local size = torch.random(16, loadSize)
         local x1, y1 = torch.random(0, loadSize - size), torch.random(0, loadSize - size)
         local out = image.crop(img, x1, y1, x1 + size, y1 + size)
         out = image.scale(out, fineSize, fineSize, 'bilinear')
         if torch.uniform() < 0.5 then out = image.hflip(out) end
         return out:mul(2):add(-1)
      end
   end)

local function loadBatch(callback)
   pool:addjob(function(n)
      local batch = torch.FloatTensor(n, 3, fineSize, fineSize)
      for i = 1, n do batch[i]:copy(augment(makeImage())) end
      return batch
   end, callback, opt.batchSize)
end

---------------------------------------------------------------------------------------------
-- models (dcgan.torch's layout, scaled down)
---------------------------------------------------------------------------------------------
local function weightsInit(m)
   local name = torch.type(m)
   if name:find('Convolution') then
      m.weight:normal(0, 0.02)
      m.bias:zero()
   elseif name:find('BatchNormalization') then
      if m.weight then m.weight:normal(1, 0.02) end
      if m.bias then m.bias:zero() end
   end
end

local ngf, ndf, nz = 32, 32, opt.nz
local netG = nn.Sequential()
netG:add(nn.SpatialFullConvolution(nz, ngf * 2, 4, 4))                   -- 4x4
netG:add(nn.SpatialBatchNormalization(ngf * 2)):add(nn.ReLU(true))
netG:add(nn.SpatialFullConvolution(ngf * 2, ngf, 4, 4, 2, 2, 1, 1))      -- 8x8
netG:add(nn.SpatialBatchNormalization(ngf)):add(nn.ReLU(true))
netG:add(nn.SpatialFullConvolution(ngf, 3, 4, 4, 2, 2, 1, 1))            -- 16x16
netG:add(nn.Tanh())
netG:apply(weightsInit)

local netD = nn.Sequential()
netD:add(nn.SpatialConvolution(3, ndf, 4, 4, 2, 2, 1, 1))                -- 8x8
netD:add(nn.LeakyReLU(0.2, true))
netD:add(nn.SpatialConvolution(ndf, ndf * 2, 4, 4, 2, 2, 1, 1))          -- 4x4
netD:add(nn.SpatialBatchNormalization(ndf * 2)):add(nn.LeakyReLU(0.2, true))
netD:add(nn.SpatialConvolution(ndf * 2, 1, 4, 4))                        -- 1x1
netD:add(nn.Sigmoid())
netD:add(nn.View(1):setNumInputDims(3))
netD:apply(weightsInit)

local criterion = nn.BCECriterion()
local paramsG, gradG = netG:getParameters()
local paramsD, gradD = netD:getParameters()
local stateG = {learningRate = opt.lr, beta1 = 0.5}
local stateD = {learningRate = opt.lr, beta1 = 0.5}

local noise = torch.FloatTensor(opt.batchSize, nz, 1, 1)
local label = torch.FloatTensor(opt.batchSize)
local real, errD, errG

-- D: maximize log(D(x)) + log(1 - D(G(z)))
local function fDx(x)
   gradD:zero()
   label:fill(1)
   local out = netD:forward(real)
   local errReal = criterion:forward(out, label)
   netD:backward(real, criterion:backward(out, label))
   noise:normal(0, 1)
   local fake = netG:forward(noise)
   label:fill(0)
   out = netD:forward(fake)
   local errFake = criterion:forward(out, label)
   netD:backward(fake, criterion:backward(out, label))
   errD = errReal + errFake
   return errD, gradD
end

-- G: maximize log(D(G(z)))
local function fGx(x)
   gradG:zero()
   label:fill(1)
   local out = netD.output   -- D's output on the fakes, from fDx
   errG = criterion:forward(out, label)
   local dOut = criterion:backward(out, label)
   local dFake = netD:updateGradInput(netG.output, dOut)
   netG:backward(noise, dFake)
   return errG, gradG
end

---------------------------------------------------------------------------------------------
-- training: the loader keeps nThreads batches in flight while the models train
---------------------------------------------------------------------------------------------
local queue = {}
for _ = 1, opt.nThreads do loadBatch(function(b) table.insert(queue, b) end) end
local timer, dataTimer = torch.Timer(), torch.Timer()
local dataTime = 0
local display = opt.display > 0 and require('display') or nil
for iter = 1, opt.niter do
   dataTimer:reset()
   while #queue == 0 do pool:dojob() end
   real = table.remove(queue, 1)
   dataTime = dataTime + dataTimer:time().real
   loadBatch(function(b) table.insert(queue, b) end)
   optim.adam(fDx, paramsD, stateD)
   optim.adam(fGx, paramsG, stateG)
   print(string.format('iter %3d  errD %.4f  errG %.4f', iter, errD, errG))
   if display and iter % opt.display == 0 then
      display.image(netG.output, {win = 'samples', title = 'samples at iteration ' .. iter})
   end
end
pool:synchronize()
pool:terminate()
print(string.format('%d iterations in %.2f s (waiting for data: %.2f s), %d loader threads',
   opt.niter, timer:time().real, dataTime, opt.nThreads))
