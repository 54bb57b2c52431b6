-- the usage text of a set of rules (shown in errors and recorded as documentation)
local env = require 'argcheck.env'

local usage = {}

local function isOptional(rule)
   return rule.opt or rule.default ~= nil or rule.defaulta or rule.defaultf
end

-- "a, [b], [c]": the argument list (@ARGP in help texts)
local function argList(rules)
   local parts = {}
   for i, rule in ipairs(rules) do
      local opt = rule.opt or rule.default ~= nil or rules.defauta or rule.defaultf
      parts[#parts + 1] = (opt and '[' or '') .. ((i == 1) and '' or ', ') .. rule.name ..
         (opt and ']' or '')
   end
   return table.concat(parts)
end

local function defaultText(rule)
   if rule.defaulta then return string.format(' [defaulta=%s]', rule.defaulta) end
   if rule.defaultf then return ' [has default]' end
   local d = rule.default
   if type(d) == 'string' or type(d) == 'number' then return string.format(' [default=%s]', d) end
   if type(d) == 'boolean' then return string.format(' [default=%s]', d and 'true' or 'false') end
   if d ~= nil then return ' [has default value]' end
   return ''
end

-- the argument table (@ARGT): one line per rule, "name = type -- help [default]"
local function argTable(rules)
   local lines = {'```', (rules.noordered and '' or '(') .. (rules.nonamed and '' or '{')}
   local width = 0
   for _, rule in ipairs(rules) do width = math.max(width, #rule.name) end
   local args, helps = {}, {}
   for _, rule in ipairs(rules) do
      local opt = isOptional(rule)
      args[#args + 1] = (opt and '[' or ' ') .. rule.name .. string.rep(' ', width - #rule.name) ..
         (rule.type and (' = ' .. rule.type) or '') .. (opt and ']' or '')
      helps[#helps + 1] = (rule.help or '') .. (rule.doc or '') .. defaultText(rule)
   end
   local argWidth = 0
   for _, a in ipairs(args) do argWidth = math.max(argWidth, #a) end
   for i, a in ipairs(args) do
      lines[#lines + 1] = string.format('  %s %s -- %s', a, string.rep(' ', argWidth - #a), helps[i])
   end
   lines[#lines + 1] = (rules.nonamed and '' or '}') .. (rules.noordered and '' or ')')
   lines[#lines + 1] = '```'
   return table.concat(lines, '\n')
end

function usage.render(doc)
   return doc
end

-- usage(true, rules): the rules' documentation; usage(false, graph, ...): what was passed
function usage.usage(truth, rules, ...)
   if truth then
      local doc = rules.help or rules.doc
      if doc then
         doc = doc:gsub('@ARGP', function() return argList(rules) end)
         doc = doc:gsub('@ARGT', function() return argTable(rules) end)
         return doc
      end
      return '\n*Arguments:*\n' .. argTable(rules)
   end
   local graph = rules
   local n = select('#', ...)
   local args = {}
   for i = 1, n do args[i] = string.format('**%s**', env.type((select(i, ...)))) end
   local tableIdx
   if graph:hasruletype('N') then
      if n == 1 and env.istype((select(1, ...)), 'table') then tableIdx = 1 end
   elseif graph:hasruletype('M') then
      if n == 2 and env.istype((select(2, ...)), 'table') then tableIdx = 2 end
   end
   if tableIdx then
      local fields, count = {}, 0
      for k, v in pairs((select(tableIdx, ...))) do
         count = count + 1
         if count > 20 then
            fields[#fields + 1] = '...'
            break
         end
         if type(k) == 'string' then
            fields[#fields + 1] = string.format('**%s=%s**', k, env.type(v))
         else
            fields[#fields + 1] = string.format('**[%s]**=?', env.type(k))
         end
      end
      args[tableIdx] = string.format('**table**={ %s }', table.concat(fields, ', '))
   end
   return string.format('*Got:* %s', table.concat(args, ', '))
end

return usage
