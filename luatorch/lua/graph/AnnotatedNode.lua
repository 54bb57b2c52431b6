-- graph.AnnotatedNode: a node whose data carries annotations (name, description,
-- graphAttributes) and a debug label saying where it was created.
local AnnotatedNode, parent = torch.class('graph.AnnotatedNode', 'graph.Node')

function AnnotatedNode:__init(data, infoLevel)
   parent.__init(self, data)
   data.annotations = data.annotations or {}
   if not data.annotations._debugLabel then
      -- infoLevel 2 (the default) is the code that created the node: count user frames only,
      -- past the class constructor and C frames
      local skip = (infoLevel or 2) - 2
      for level = 3, 60 do
         local info = debug.getinfo(level, 'Sl')
         if not info then break end
         if info.what ~= 'C' and not info.source:match('[/\\]torch[/\\]init%.lua$') then
            if skip == 0 then
               data.annotations._debugLabel = string.format('[%s]:%d', info.short_src,
                                                            info.currentline)
               break
            end
            skip = skip - 1
         end
      end
   end
end

function AnnotatedNode:annotate(annotations)
   for k, v in pairs(annotations) do self.data.annotations[k] = v end
   return self
end

function AnnotatedNode:graphNodeName()
   local name = self.data.annotations.name
   if name then return name .. ' (' .. self.id .. ')' end
   return 'Node' .. self.id
end

function AnnotatedNode:graphNodeAttributes()
   local annotations = self.data.annotations
   annotations.graphAttributes = annotations.graphAttributes or {}
   if not annotations.graphAttributes.tooltip then
      annotations.graphAttributes.tooltip = annotations._debugLabel
   end
   return annotations.graphAttributes
end
