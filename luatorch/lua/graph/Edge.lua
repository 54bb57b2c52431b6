-- graph.Edge: a directed edge, just `from` and `to`.
local Edge = torch.class('graph.Edge')

function Edge:__init(from, to)
   self.from = from
   self.to = to
end
