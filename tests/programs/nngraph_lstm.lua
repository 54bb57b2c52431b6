-- char-rnn style LSTM built with nngraph, cloned through time, trained with adagrad/rmsprop
require 'nn'
require 'nngraph'
require 'optim'
torch.manualSeed(123)

local LSTM = {}
function LSTM.lstm(input_size, rnn_size, n, dropout)
  dropout = dropout or 0
  local inputs = {}
  table.insert(inputs, nn.Identity()()) -- x
  for L = 1, n do
    table.insert(inputs, nn.Identity()()) -- prev_c[L]
    table.insert(inputs, nn.Identity()()) -- prev_h[L]
  end
  local x, input_size_L
  local outputs = {}
  for L = 1, n do
    local prev_h = inputs[L*2+1]
    local prev_c = inputs[L*2]
    if L == 1 then
      x = nn.OneHot and inputs[1] or inputs[1]
      input_size_L = input_size
    else
      x = outputs[(L-1)*2]
      if dropout > 0 then x = nn.Dropout(dropout)(x) end
      input_size_L = rnn_size
    end
    local i2h = nn.Linear(input_size_L, 4 * rnn_size)(x):annotate{name='i2h_'..L}
    local h2h = nn.Linear(rnn_size, 4 * rnn_size)(prev_h):annotate{name='h2h_'..L}
    local all_input_sums = nn.CAddTable()({i2h, h2h})
    local reshaped = nn.Reshape(4, rnn_size)(all_input_sums)
    local n1, n2, n3, n4 = nn.SplitTable(2)(reshaped):split(4)
    local in_gate = nn.Sigmoid()(n1)
    local forget_gate = nn.Sigmoid()(n2)
    local out_gate = nn.Sigmoid()(n3)
    local in_transform = nn.Tanh()(n4)
    local next_c = nn.CAddTable()({
        nn.CMulTable()({forget_gate, prev_c}),
        nn.CMulTable()({in_gate, in_transform})
      })
    local next_h = nn.CMulTable()({out_gate, nn.Tanh()(next_c)})
    table.insert(outputs, next_c)
    table.insert(outputs, next_h)
  end
  local top_h = outputs[#outputs]
  if dropout > 0 then top_h = nn.Dropout(dropout)(top_h) end
  local proj = nn.Linear(rnn_size, input_size)(top_h):annotate{name='decoder'}
  local logsoft = nn.LogSoftMax()(proj)
  table.insert(outputs, logsoft)
  return nn.gModule(inputs, outputs)
end

local function clone_many_times(net, T)
  local clones = {}
  local params, gradParams
  if net.parameters then
    params, gradParams = net:parameters()
    if params == nil then params = {} end
  end
  local mem = torch.MemoryFile("w"):binary()
  mem:writeObject(net)
  for t = 1, T do
    local reader = torch.MemoryFile(mem:storage(), "r"):binary()
    local clone = reader:readObject()
    reader:close()
    if net.parameters then
      local cloneParams, cloneGradParams = clone:parameters()
      for i = 1, #params do
        cloneParams[i]:set(params[i])
        cloneGradParams[i]:set(gradParams[i])
      end
    end
    clones[t] = clone
    collectgarbage()
  end
  mem:close()
  return clones
end

-- data: a repeating sequence "abcdabcd..." over a vocab of 4, one-hot inputs
local vocab, rnn_size, seq_length, batch = 4, 16, 8, 5
local text = torch.Tensor(200)
for i = 1, 200 do text[i] = (i - 1) % vocab + 1 end

local protos = {}
protos.rnn = LSTM.lstm(vocab, rnn_size, 1, 0)
protos.criterion = nn.ClassNLLCriterion()
local params, grad_params = protos.rnn:getParameters()
params:uniform(-0.08, 0.08)
print('number of parameters in the model: ' .. params:nElement())
local clones = {}
for name, proto in pairs(protos) do
  clones[name] = clone_many_times(proto, seq_length)
end

local init_state = {torch.zeros(batch, rnn_size), torch.zeros(batch, rnn_size)}
local function onehot(idx)
  local t = torch.zeros(idx:size(1), vocab)
  t:scatter(2, idx:long():view(-1, 1), 1)
  return t
end

local function feval(x)
  if x ~= params then params:copy(x) end
  grad_params:zero()
  local start = torch.random(1, 200 - seq_length - batch - 1)
  local xs, ys = {}, {}
  for t = 1, seq_length do
    xs[t] = text:narrow(1, start + t - 1, batch):clone()
    ys[t] = text:narrow(1, start + t, batch):clone()
  end
  local rnn_state = {[0] = init_state}
  local predictions = {}
  local loss = 0
  for t = 1, seq_length do
    clones.rnn[t]:training()
    local lst = clones.rnn[t]:forward{onehot(xs[t]), unpack(rnn_state[t-1])}
    rnn_state[t] = {}
    for i = 1, #init_state do table.insert(rnn_state[t], lst[i]) end
    predictions[t] = lst[#lst]
    loss = loss + clones.criterion[t]:forward(predictions[t], ys[t])
  end
  loss = loss / seq_length
  local drnn_state = {[seq_length] = {torch.zeros(batch, rnn_size), torch.zeros(batch, rnn_size)}}
  for t = seq_length, 1, -1 do
    local doutput_t = clones.criterion[t]:backward(predictions[t], ys[t])
    table.insert(drnn_state[t], doutput_t)
    local dlst = clones.rnn[t]:backward({onehot(xs[t]), unpack(rnn_state[t-1])}, drnn_state[t])
    drnn_state[t-1] = {}
    for k, v in pairs(dlst) do
      if k > 1 then drnn_state[t-1][k-1] = v end
    end
  end
  grad_params:clamp(-5, 5)
  return loss, grad_params
end

local optim_state = {learningRate = 2e-2, alpha = 0.95}
local first, last
for i = 1, 60 do
  local _, loss = optim.rmsprop(feval, params, optim_state)
  if i == 1 then first = loss[1] end
  last = loss[1]
  if i % 20 == 0 then
    print(string.format("%d/%d, train_loss = %6.8f, grad/param norm = %6.4e", i, 60, loss[1], grad_params:norm() / params:norm()))
  end
end
assert(last < first * 0.5, 'LSTM did not learn: ' .. first .. ' -> ' .. last)
-- the clones share parameters with the prototype
local p1 = clones.rnn[1]:parameters()
local p0 = protos.rnn:parameters()
assert(torch.pointer(p1[1]:storage()) == torch.pointer(p0[1]:storage()))
print(protos.rnn.forwardnodes ~= nil, #protos.rnn.modules)
