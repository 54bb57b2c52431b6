-- shared by the log views: the output file, and each key's formatting function
local util = {}

function util.open(file, filename, append)
   assert(not file or not filename, "file or filename expected (not both)")
   if filename then file = torch.DiskFile(filename, append and "rw" or "w") end
   return file
end

-- {name, format} per key: format is a function, a string.format pattern, or fallback(key)
function util.formats(keys, formats, fallback)
   local out = {}
   for idx, key in ipairs(keys) do
      local format = formats and formats[idx]
      if not format then
         out[#out + 1] = {name = key, format = fallback(key)}
      elseif type(format) == 'function' then
         out[#out + 1] = {name = key, format = format}
      elseif type(format) == 'string' then
         out[#out + 1] = {name = key, format = function(value) return string.format(format, value) end}
      else
         error('format must be a string or a function')
      end
   end
   return out
end

-- a line to the end of file, or printed
function util.emit(file, txt)
   if file then
      file:seekEnd()
      file:writeString(txt)
      file:writeString("\n")
   else
      print(txt)
   end
end

return util
