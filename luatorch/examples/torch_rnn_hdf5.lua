-- Reading a dataset in torch-rnn's layout (jcjohnson/torch-rnn's preprocess.py): an HDF5 file
-- with /train, /val and /test datasets of token ids (uint8 when the vocabulary is small) and a
-- JSON file with token_to_idx and idx_to_token. The splits are cut into batches of
-- batch_size x seq_length as torch-rnn's DataLoader does, and a small character model (a
-- LookupTable and a Linear layer: a bigram model) trains on them with Adam.
-- Without -input_h5, a tiny corpus is written in that layout first (with hdf5 and cjson).
--
-- Run: luatorch torch_rnn_hdf5.lua [-input_h5 data.h5 -input_json data.json] [-max_iters 100]
require 'nn'
require 'optim'
require 'hdf5'
local cjson = require 'cjson'

local cmd = torch.CmdLine()
cmd:option('-input_h5', '', 'HDF5 file from torch-rnn preprocess.py')
cmd:option('-input_json', '', 'JSON vocabulary from torch-rnn preprocess.py')
cmd:option('-batch_size', 4, 'sequences per batch')
cmd:option('-seq_length', 16, 'characters per sequence')
cmd:option('-hidden', 32, 'embedding size')
cmd:option('-max_iters', 100, 'training iterations')
cmd:option('-seed', 123, 'random seed')
local opt = cmd:parse(arg or {})
torch.manualSeed(opt.seed)

---------------------------------------------------------------------------------------------
-- a tiny corpus in torch-rnn's layout, when none is given
---------------------------------------------------------------------------------------------
local function writeCorpus(h5path, jsonpath)
   local text = string.rep('the quick brown fox jumps over the lazy dog. ', 40)
      .. string.rep('a stitch in time saves nine. ', 20)
   local token_to_idx, idx_to_token = {}, {}
   local chars = {}
   for c in text:gmatch('.') do chars[c] = true end
   local sorted = {}
   for c in pairs(chars) do sorted[#sorted + 1] = c end
   table.sort(sorted)
   for i, c in ipairs(sorted) do
      token_to_idx[c] = i
      idx_to_token[tostring(i)] = c   -- JSON object keys are strings, as preprocess.py writes
   end
   local ids = torch.ByteTensor(#text)
   for i = 1, #text do ids[i] = token_to_idx[text:sub(i, i)] end
   local n = ids:nElement()
   local nval, ntest = math.floor(n * 0.1), math.floor(n * 0.1)
   local ntrain = n - nval - ntest
   local f = hdf5.open(h5path, 'w')
   f:write('/train', ids:narrow(1, 1, ntrain):clone())
   f:write('/val', ids:narrow(1, ntrain + 1, nval):clone())
   f:write('/test', ids:narrow(1, ntrain + nval + 1, ntest):clone())
   f:close()
   local jf = io.open(jsonpath, 'w')
   jf:write(cjson.encode({token_to_idx = token_to_idx, idx_to_token = idx_to_token}))
   jf:close()
end

local h5path, jsonpath = opt.input_h5, opt.input_json
if h5path == '' then
   h5path, jsonpath = os.tmpname() .. '.h5', os.tmpname() .. '.json'
   writeCorpus(h5path, jsonpath)
   print('wrote a tiny corpus in torch-rnn layout: ' .. h5path)
end

---------------------------------------------------------------------------------------------
-- the DataLoader: splits as (num batches) x N x T inputs and targets (targets shifted by one)
---------------------------------------------------------------------------------------------
local vocab = cjson.decode(io.open(jsonpath):read('*a'))
local idx_to_token = {}
for k, v in pairs(vocab.idx_to_token) do idx_to_token[tonumber(k)] = v end
local V = #idx_to_token

local f = hdf5.open(h5path, 'r')
local splits = {}
local N, T = opt.batch_size, opt.seq_length
for _, split in ipairs{'train', 'val', 'test'} do
   local v = f:read('/' .. split):all()
   local num = v:nElement()
   local extra = num % (N * T)
   if extra == 0 then extra = N * T end
   local x = v[{{1, num - extra}}]:view(N, -1, T):transpose(1, 2):clone()
   local y = v[{{2, num - extra + 1}}]:view(N, -1, T):transpose(1, 2):clone()
   splits[split] = {x = x, y = y, n = x:size(1), i = 0}
   print(string.format('%-5s %6d tokens (%s), %d batches of %dx%d', split, num, torch.type(v),
      x:size(1), N, T))
end
f:close()

local function nextBatch(split)
   local s = splits[split]
   s.i = s.i % s.n + 1
   return s.x[s.i]:long(), s.y[s.i]:long()
end

---------------------------------------------------------------------------------------------
-- a character bigram model
---------------------------------------------------------------------------------------------
local model = nn.Sequential()
model:add(nn.LookupTable(V, opt.hidden))
model:add(nn.View(-1, opt.hidden))
model:add(nn.Linear(opt.hidden, V))
model:add(nn.LogSoftMax())
local crit = nn.ClassNLLCriterion()
local params, grads = model:getParameters()
params:uniform(-0.1, 0.1)

local function loss(split)
   local total = 0
   for _ = 1, splits[split].n do
      local x, y = nextBatch(split)
      total = total + crit:forward(model:forward(x), y:view(-1))
   end
   return total / splits[split].n
end

print(string.format('vocabulary %d, initial val loss %.4f', V, loss('val')))
local state = {learningRate = 0.05}
for it = 1, opt.max_iters do
   local x, y = nextBatch('train')
   local _, l = optim.adam(function()
      grads:zero()
      local out = model:forward(x)
      local e = crit:forward(out, y:view(-1))
      model:backward(x, crit:backward(out, y:view(-1)))
      return e, grads
   end, params, state)
   if it % 25 == 0 then print(string.format('iter %4d  train loss %.4f', it, l[1])) end
end
print(string.format('val loss %.4f  test loss %.4f', loss('val'), loss('test')))

-- greedy sampling from 't'
local idx = vocab.token_to_idx['t']
local out = {'t'}
for _ = 1, 30 do
   local _, best = model:forward(torch.LongTensor{{idx}}):max(2)
   idx = best[1][1]
   out[#out + 1] = idx_to_token[idx]
end
print('sample: ' .. table.concat(out))
if opt.input_h5 == '' then os.remove(h5path); os.remove(jsonpath) end
