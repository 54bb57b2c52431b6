-- nngraph: graphs of nn modules. Calling a module on nodes (`nn.Linear(3, 4)(x)`) makes a
-- node; nn.gModule(inputs, outputs) turns the graph between them into a module.
require 'nn'
require 'graph'

nngraph = nngraph or {}

require 'nngraph.nest'
require 'nngraph.node'
require 'nngraph.gmodule'
require 'nngraph.graphinspecting'
require 'nngraph.JustElement'
require 'nngraph.JustTable'
require 'nngraph.ModuleFromCriterion'

local utils = require 'nngraph.utils'
local istable = utils.istable

nngraph.simple_print = require 'nngraph.simple_print'

local Module = torch.getmetatable('nn.Module')

-- module(node) or module({node1, node2}) or module(): a graph node applying the module to
-- those inputs (no inputs: an input node of the graph)
function Module:__call__(...)
   local nArgs = select('#', ...)
   assert(nArgs <= 1, 'Use {input1, input2} to pass multiple inputs.')
   local input = ...
   if nArgs == 1 and input == nil then
      error(utils.expectingNodeErrorMessage(input, 'inputs', 1), 2)
   end
   -- an empty table is most likely a list of misspelt variable names
   if type(input) == 'table' and next(input) == nil then
      error('cannot pass an empty table of inputs. To indicate no incoming connections, '
         .. 'leave the second set of parens blank.', 2)
   end
   if not istable(input) then input = {input} end
   local node = nngraph.Node({module = self})
   for i = 1, utils.tableMaxN(input) do
      local inputNode = input[i]
      if torch.typename(inputNode) ~= 'nngraph.Node' then
         error(utils.expectingNodeErrorMessage(inputNode, 'inputs', i), 2)
      end
      node:add(inputNode, true)
   end
   return node
end

-- nodes made by an operator get the debug label Torch gives them: its fixed stack level lands
-- on the C frame of the metamethod call
local function fromOperator(node)
   node.data.annotations._debugLabel = '[[C]]:-1_'
   return node
end
nngraph._fromOperator = fromOperator

-- -module is module(): an input node, to start a chain: `- nn.Identity() - nn.Linear(3, 4)`
function Module:__unm__()
   return fromOperator(self:__call__())
end

-- `module - module2` is module2(module()); `node - module` (nngraph.Node.__sub__) is module(node);
-- `{node1, node2} - module` is module({node1, node2})
function Module:__sub__(other)
   -- {node1, node2} - module: Lua found __sub on the right operand; it takes the table as input
   if torch.type(self) == 'table' and torch.isTypeOf(other, 'nn.Module') then
      return fromOperator(other(self))
   end
   if not torch.isTypeOf(self, 'nn.Module') then
      error("the left side of '-' must be an nngraph.Node or an nn.Module, not a "
         .. (torch.typename(self) or type(self)), 2)
   end
   if not torch.isTypeOf(other, 'nn.Module') then
      error("the right side of '-' must be an nn.Module, not a "
         .. (torch.typename(other) or type(other)), 2)
   end
   return fromOperator(other(fromOperator(self:__call__())))
end

-- a criterion called on nodes {prediction, target} is a node giving the loss
local Criterion = torch.getmetatable('nn.Criterion')
function Criterion:__call__(...)
   return nn.ModuleFromCriterion(self)(...)
end

return nngraph
