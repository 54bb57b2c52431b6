-- documentation strings given to argcheck (its rules' help/doc) and doc[[...]] blocks, kept
-- while doc.record() is on: doc.stop() returns them concatenated (markdown)
local doc = {}

function doc.record()
   doc.__record = {}
end

function doc.stop()
   local md = table.concat(doc.__record or {})
   doc.__record = nil
   return md
end

function doc.doc(str)
   if doc.__record then table.insert(doc.__record, str) end
end

return setmetatable(doc, {__call = function(self, ...) return self.doc(...) end})
