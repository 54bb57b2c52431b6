-- csvigo: CSV files as csvigo reads and writes them (clementfarabet/lua---csv's API).
-- csvigo.load{path=, separator=',', mode='tidy'|'raw'|'query'|'large', header='auto',
-- verbose=true, skip=0, column_order=false} and csvigo.save{path=, data=, separator=',',
-- mode='autodetect', header=true, verbose=true, column_order=, nan_as_missing=false}.
-- Records are lines; fields are strings (quoted fields may hold the separator and doubled
-- quotes); with a space separator, any blank character separates.
require 'torch'
require 'compat52'

csvigo = csvigo or {}
local csvigo = csvigo

---------------------------------------------------------------------------------------------
-- records
---------------------------------------------------------------------------------------------
local function quoteField(v, sep)
   local s = tostring(v)
   if s:find('["' .. sep .. ']') then s = '"' .. s:gsub('"', '""') .. '"' end
   return s
end

local function toLine(record, sep, nanAsMissing)
   local parts = {}
   for i, v in ipairs(record) do
      if nanAsMissing and v ~= v then v = '' end
      parts[i] = quoteField(v, sep)
   end
   return table.concat(parts, sep)
end

-- the fields of one line
local function fromLine(line, sep)
   local pattern = sep == ' ' and '%s+' or sep:gsub('%p', '%%%0')
   local s = line .. (sep == ' ' and ' ' or sep)
   local fields = {}
   local pos, n = 1, #s
   while pos <= n do
      if s:sub(pos, pos) == '"' then
         local i = pos
         local close
         repeat
            local _, e, dq = s:find('"("?)', i + 1)
            if not e then error('unmatched "', 0) end
            i, close = e, dq ~= '"'
         until close
         fields[#fields + 1] = (s:sub(pos + 1, i - 1):gsub('""', '"'))
         local start = s:find(pattern, i)
         if not start then break end
         pos = start + 1
      else
         -- (the next field starts one character after the separator's start: with ' ', a run
         -- of blanks gives empty fields, as csvigo's own parser does)
         local start = s:find(pattern, pos)
         fields[#fields + 1] = s:sub(pos, start - 1)
         pos = start + 1
      end
   end
   return fields
end

---------------------------------------------------------------------------------------------
-- csvigo.File(path, mode [, separator [, nan_as_missing]])
---------------------------------------------------------------------------------------------
local File = torch.class('csvigo.File')

function File:__init(path, mode, separator, nanAsMissing)
   self.filepath = path
   local f, msg = io.open(path, mode)
   if not f then error(msg, 2) end
   self.file = f
   self.separator = separator or ','
   self.nan_as_missing = nanAsMissing or false
end

function File:close() self.file:close() end

function File:lines() return self.file:lines() end

-- the next record, or nil at the end of the file
function File:read()
   local line = self.file:read('*l')
   if not line then return nil end
   return fromLine(line:gsub('\r', ''), self.separator)
end

function File:readall(mode)
   if mode == 'large' then return self:largereadall() end
   local records = {}
   for line in self.file:lines() do
      records[#records + 1] = fromLine(line:gsub('\r', ''), self.separator)
   end
   return records
end

-- a read-only table of records, each parsed when indexed
function File:largereadall()
   local lines = {}
   for line in self.file:lines() do lines[#lines + 1] = line:gsub('\r', '') end
   local sep = self.separator
   local n = #lines
   local function record(i)
      assert(i, 'index has to be given')
      assert(i > 0 and i <= n, 'index out of bounds: ' .. tostring(i))
      return fromLine(lines[i], sep)
   end
   local function iter(_, i)
      i = i + 1
      if i <= n then return i, record(i) end
   end
   local mt = {
      __index = function(_, i) return record(i) end,
      __newindex = function() error('attempt to update a read-only table', 2) end,
      __len = function() return n end,
      __ipairs = function(t) return iter, t, 0 end,
      __pairs = function(t) return iter, t, 0 end,
      __tostring = function()
         local out = {}
         if n < 30 then
            for i = 1, n do out[#out + 1] = lines[i] .. '\n' end
         else
            for i = 1, 10 do out[#out + 1] = lines[i] .. '\n' end
            for _ = 1, 10 do out[#out + 1] = '.. .. .. .. .. .. .. .. .. \n' end
            for i = n - 10, n do out[#out + 1] = lines[i] .. '\n' end
         end
         return table.concat(out)
      end,
   }
   -- (a userdata: LuaJIT honours __len only there)
   local u = newproxy(true)
   for k, v in pairs(mt) do getmetatable(u)[k] = v end
   return u
end

function File:write(record)
   local ok, msg = self.file:write(toLine(record, self.separator, self.nan_as_missing), '\n')
   if not ok then error(msg, 2) end
end

function File:writeall(records)
   for _, record in ipairs(records) do self:write(record) end
   return true
end

---------------------------------------------------------------------------------------------
-- arguments: a table of named arguments, or the same in order
---------------------------------------------------------------------------------------------
local function unpackArgs(fname, spec, ...)
   local args = {}
   local first = ...
   local named = select('#', ...) == 1 and type(first) == 'table'
   if named and next(first) ~= nil then
      named = false
      for _, a in ipairs(spec) do
         if first[a.name] ~= nil then named = true end
      end
   end
   for i, a in ipairs(spec) do
      local v
      if named then v = first[a.name] else v = select(i, ...) end
      if v == nil then v = a.default end
      if v == nil and a.req then
         local lines = {fname .. ': missing argument ' .. a.name .. '. Arguments:'}
         for _, b in ipairs(spec) do
            lines[#lines + 1] = string.format('  %s (%s)%s', b.name, b.type,
               b.req and ' [required]' or ' [default=' .. tostring(b.default) .. ']')
         end
         error(table.concat(lines, '\n'), 3)
      end
      args[a.name] = v
   end
   return args
end

local function expandHome(path)
   return (path:gsub('^~', os.getenv('HOME') or '~'))
end

---------------------------------------------------------------------------------------------
-- csvigo.load
---------------------------------------------------------------------------------------------
local loadSpec = {
   {name = 'path', type = 'string', req = true},
   {name = 'separator', type = 'string', default = ','},
   {name = 'mode', type = 'string', default = 'tidy'},
   {name = 'header', type = 'string', default = 'auto'},
   {name = 'verbose', type = 'boolean', default = true},
   {name = 'skip', type = 'number', default = 0},
   {name = 'column_order', type = 'boolean', default = false},
}

-- a tidy table's query closure: query('all' | 'vars' | 'union' | 'inter' | 'help', {var = vals})
local function makeQuery(tidy)
   local index = {}   -- var -> value -> row numbers
   for var, vals in pairs(tidy) do
      local rows = {}
      for i, v in ipairs(vals) do
         rows[v] = rows[v] or {}
         table.insert(rows[v], i)
      end
      index[var] = rows
   end
   return function(what, varvals)
      what = what or 'all'
      if what == 'help' then
         print("query(): query('all'), query('vars'), query('union', {var1 = {v1, v2}, var2 = v3}) "
            .. "(rows where any condition holds), query('inter', {...}) (rows where every var "
            .. 'matches one of its values)')
         return
      elseif what == 'all' then
         return tidy
      elseif what == 'vars' then
         local vars = {}
         for k in pairs(tidy) do vars[#vars + 1] = k end
         return vars
      elseif what ~= 'union' and what ~= 'inter' then
         error("query: 'all', 'vars', 'union', 'inter' or 'help' expected", 2)
      end
      if type(varvals) ~= 'table' then error('query: table of vars/vals expected', 2) end
      local hits, nvars = {}, 0
      for var, vals in pairs(varvals) do
         if type(vals) ~= 'table' then vals = {vals} end
         nvars = nvars + 1
         local seen = {}
         for _, v in ipairs(vals) do
            for _, row in ipairs((index[var] or {})[tostring(v)] or {}) do
               if not seen[row] then
                  seen[row] = true
                  hits[row] = (hits[row] or 0) + 1
               end
            end
         end
      end
      local rows = {}
      for row, count in pairs(hits) do
         if what == 'union' or count == nvars then rows[#rows + 1] = row end
      end
      table.sort(rows)
      local out = {}
      for k in pairs(tidy) do
         local col = {}
         for i, row in ipairs(rows) do col[i] = tidy[k][row] end
         out[k] = col
      end
      return out
   end
end

function csvigo.load(...)
   local args = unpackArgs('csvigo.load', loadSpec, ...)
   local path, mode = expandHome(args.path), args.mode
   local function vprint(...) if args.verbose then print('<csv>', ...) end end
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' and mode ~= 'large' then
      error("csvigo.load: unknown mode '" .. tostring(mode) .. "' (raw, tidy, query or large)", 2)
   end
   vprint('parsing file: ' .. path)
   local f = csvigo.File(path, 'r', args.separator)
   local records = f:readall(mode)
   f:close()
   if mode == 'raw' or mode == 'large' then
      vprint('parsing done')
      return records
   end

   vprint('tidying up entries')
   local start = 1 + args.skip
   local first = records[start] or {}
   local header = args.header
   if type(header) == 'string' then
      header = header == 'auto' and tonumber(first[1]) == nil or header == 'true'
   else
      header = not not header
   end
   local names = {}
   if header then
      names = first
      start = start + 1
   else
      for i = 1, #first do names[i] = 'var_' .. i end
   end
   local tidy = {}
   for _, name in ipairs(names) do tidy[name] = {} end
   for r = start, #records do
      for i, v in ipairs(records[r]) do
         local col = tidy[names[i]]
         if col then col[#col + 1] = v end
      end
   end
   if mode == 'tidy' then
      vprint('returning tidy table')
      if args.column_order then return names, tidy end
      return tidy
   end
   vprint('generating reversed index for fast queries')
   local query = makeQuery(tidy)
   vprint("returning query closure, type query('help') to get help")
   return query
end

---------------------------------------------------------------------------------------------
-- csvigo.save
---------------------------------------------------------------------------------------------
local saveSpec = {
   {name = 'path', type = 'string', req = true},
   {name = 'data', type = 'table', req = true},
   {name = 'separator', type = 'string', default = ','},
   {name = 'mode', type = 'string', default = 'autodetect'},
   {name = 'header', type = 'boolean', default = true},
   {name = 'verbose', type = 'boolean', default = true},
   {name = 'column_order', type = 'table'},
   {name = 'nan_as_missing', type = 'boolean', default = false},
}

function csvigo.save(...)
   local args = unpackArgs('csvigo.save', saveSpec, ...)
   local path, data, mode = expandHome(args.path), args.data, args.mode
   local function vprint(...) if args.verbose then print('<csv>', ...) end end
   if mode == 'autodetect' then
      if type(data) == 'function' then
         mode = 'query'
      elseif type(data) == 'table' then
         mode = #data == 0 and 'tidy' or 'raw'
      else
         error('cannot autodetect mode, incorrect data type', 2)
      end
   end
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' then
      error("csvigo.save: unknown mode '" .. tostring(mode) .. "' (raw, tidy or query)", 2)
   end
   vprint('writing to file: ' .. path)
   local f = csvigo.File(path, 'w', args.separator, args.nan_as_missing)
   if mode == 'raw' then
      f:writeall(data)
   else
      if mode == 'query' then
         vprint('generating tidy table')
         data = data('all')
      end
      vprint('exporting tidy table to raw CSV')
      local order = {}
      if args.column_order then
         for _, var in ipairs(args.column_order) do order[#order + 1] = var end
      else
         for var in pairs(data) do order[#order + 1] = var end
      end
      local rows = {}
      for _, var in ipairs(order) do
         for i, v in ipairs(data[var]) do
            rows[i] = rows[i] or {}
            table.insert(rows[i], v)
         end
      end
      if args.header then f:write(order) end
      f:writeall(rows)
   end
   vprint('writing done')
   f:close()
end

return csvigo
