-- torchnet: datasets, iterators, engines, meters and logs for training with torch
-- (Facebook's torchnet API), written over luatorch's torch, nn, optim, tds and threads.
require 'torch'
local tnt = require 'torchnet.env'
local argcheck = require 'argcheck'

for _, name in ipairs{
   'dataset', 'dataset.listdataset', 'dataset.tabledataset', 'dataset.indexeddataset',
   'dataset.transformdataset', 'dataset.batchdataset', 'dataset.coroutinebatchdataset',
   'dataset.concatdataset', 'dataset.resampledataset', 'dataset.shuffledataset',
   'dataset.splitdataset', 'dataset.datasetiterator', 'dataset.paralleldatasetiterator',
   'engine', 'engine.sgdengine', 'engine.optimengine',
   'meter', 'meter.apmeter', 'meter.averagevaluemeter', 'meter.aucmeter',
   'meter.confusionmeter', 'meter.mapmeter', 'meter.movingaveragevaluemeter', 'meter.msemeter',
   'meter.multilabelconfusionmeter', 'meter.classerrormeter', 'meter.timemeter',
   'meter.precisionatkmeter', 'meter.recallmeter', 'meter.precisionmeter', 'meter.ndcgmeter',
   'log', 'utils', 'transform'} do
   if package.searchpath('torchnet.' .. name, package.path) then
      require('torchnet.' .. name)
   end
end

-- true when obj is the metatable of a torch class (luaT keeps those in the registry)
function torch.isclass(obj)
   if type(obj) ~= 'table' then return false end
   local name = rawget(obj, '__typename')
   return name ~= nil and torch.getmetatable(name) == obj
end

-- tnt (and its sub-tables) are written to files as a reference to the package, to be
-- required again when read (closures sent to threads refer to them)
local function serializable(tbl, name)
   local mt = torch.class('package.' .. name)
   function mt:__write() end
   function mt:__read() end
   function mt:__factory() return require(name) end
   setmetatable(tbl, mt)
end

tnt.makepackageserializable = argcheck{
   {name = 'packagetbl', type = 'table'},
   {name = 'packagename', type = 'string'},
   call = function(packagetbl, packagename)
      assert(not torch.isclass(getmetatable(packagetbl)) and not torch.isclass(packagetbl),
             'input cant be a class (instance)')
      serializable(packagetbl, packagename)
      for key, val in pairs(packagetbl) do
         if type(val) == 'table' and not torch.isclass(getmetatable(val))
            and not torch.isclass(val) then
            tnt.makepackageserializable(val, packagename .. '.' .. key)
         end
      end
   end
}

return tnt
