-- rnn: Element-Research's recurrent modules. A recurrent module (nn.AbstractRecurrent) is
-- forwarded one time-step at a time; each step runs a clone of its recurrentModule sharing the
-- parameters, so that backpropagation through time can revisit the steps in reverse order.
-- Sequencers apply a module to every element of a sequence (a table or the first dimension).
require 'dpnn'

rnn = rnn or {}
rnn.version = 2.1
unpack = unpack or table.unpack

require 'rnn.recursiveUtils'
require 'rnn.Module'
require 'rnn.Dropout'

for _, name in ipairs(require 'rnn.modules') do
   require('rnn.' .. name)
end

nn.rnn = rnn
return rnn
