-- The length operator of Torch's LuaJIT (built with Lua 5.2 compatibility): `#t` calls the
-- metatable's __len for tables too (nn.Sequential has one). Our LuaJIT only does that for
-- userdata, so chunks are rewritten as they load: every unary `#` becomes a call of
-- __torch_len on its operand. The rewrite adds no line break, so line numbers stay.
--
--    #x          ->  (__torch_len(x) or #x)     a plain name: an error names the variable
--    #a.b[c]     ->  (__torch_len(a.b[c], true))
--
-- The helper (len.length) is declared local at the start of the first line, so that loops pay
-- for an upvalue, not a global lookup. The same pass makes the parse-level changes of 5.2 mode
-- (empty statements `;;`, `break` in the middle of a block).

local len = {}

local type, getmetatable, rawget, error = type, getmetatable, rawget, error
local realmetatable = debug.getmetatable
local sub, find, byte, match = string.sub, string.find, string.byte, string.match
local concat = table.concat

-- #x as Torch's LuaJIT computes it. With a single argument (the rewrite of `#name`), false
-- for what only the inline `#name` does right: raise the error that names the variable, call a
-- userdata's __len.
function len.length(x, any)
   local tx = type(x)
   if tx == 'table' then
      if getmetatable(x) ~= nil then
         local h = rawget(realmetatable(x), '__len')
         if h ~= nil then return (h(x, x)) end   -- lj_meta_len passes it twice
      end
      return #x
   elseif tx == 'string' then
      return #x
   elseif not any then
      return false
   elseif tx == 'userdata' then
      return #x
   end
   error('attempt to get length of a ' .. tx .. ' value', 2)
end

---------------------------------------------------------------------------------------------
-- lexer: a list of tokens {kind, text, start, stop}; kind is 'name', 'number', 'string',
-- 'op' (text is the operator). Comments and spaces are kept between tokens untouched.
---------------------------------------------------------------------------------------------
local function longBracket(src, i)
   -- at '[': the level of a long bracket opening here, or nil
   local eq = match(src, '^%[(=*)%[', i)
   return eq and #eq
end

local function lex(src)
   local toks, n = {}, 0
   local i, last = 1, #src
   if sub(src, 1, 3) == '\239\187\191' then i = 4 end   -- a UTF-8 BOM, skipped by LuaJIT
   if sub(src, i, i) == '#' then                          -- a #! first line, skipped too
      i = (find(src, '\n', i, true) or last + 1)
   end
   while i <= last do
      local c = sub(src, i, i)
      local s, e = find(src, '^[ \t\r\n\f\v]+', i)
      if s then
         i = e + 1
      elseif c == '-' and sub(src, i + 1, i + 1) == '-' then
         local level = sub(src, i + 2, i + 2) == '[' and longBracket(src, i + 2)
         if level then
            local close = ']' .. string.rep('=', level) .. ']'
            local _, stop = find(src, close, i + 4 + level, true)
            if not stop then return nil end
            i = stop + 1
         else
            i = (find(src, '\n', i, true) or last) + 1
         end
      else
         local kind, stop
         if find(c, '^[%a_]') then
            kind, stop = 'name', select(2, find(src, '^[%w_]+', i))
         elseif find(src, '^%.?%d', i) then
            kind = 'number'
            stop = i
            while true do   -- digits, letters, dots; a sign right after an exponent letter
               local _, e2 = find(src, '^[%w_%.]+', stop + 1)
               if e2 then stop = e2 end
               local x = sub(src, stop, stop)
               if (x == 'e' or x == 'E' or x == 'p' or x == 'P') and find(src, '^[%+%-]', stop + 1) then
                  stop = stop + 1
               elseif not e2 then
                  break
               end
            end
         elseif c == '"' or c == "'" then
            kind, stop = 'string', i + 1
            while true do
               local ch = sub(src, stop, stop)
               if ch == c then break end
               if ch == '' or ch == '\n' then return nil end
               if ch == '\\' then stop = stop + 1 end
               stop = stop + 1
            end
         elseif c == '[' and longBracket(src, i) then
            local level = longBracket(src, i)
            local close = ']' .. string.rep('=', level) .. ']'
            local _, e2 = find(src, close, i + 2 + level, true)
            if not e2 then return nil end
            kind, stop = 'string', e2
         else
            kind = 'op'
            local three, two = sub(src, i, i + 2), sub(src, i, i + 1)
            if three == '...' then
               stop = i + 2
            elseif two == '..' or two == '==' or two == '~=' or two == '<=' or two == '>='
                  or two == '::' then
               stop = i + 1
            else
               stop = i
            end
         end
         n = n + 1
         toks[n] = {kind = kind, text = sub(src, i, stop), start = i, stop = stop}
         i = stop + 1
      end
   end
   return toks, n
end

-- pairs each bracket with its closer and each block keyword with its `end`
local opener = {['('] = ')', ['['] = ']', ['{'] = '}'}
local blockStart = {['function'] = true, ['do'] = true, ['if'] = true}

local function matchBrackets(toks, n)
   local stack, top = {}, 0
   for k = 1, n do
      local t = toks[k]
      local text = t.text
      if (t.kind == 'op' and opener[text]) or (t.kind == 'name' and blockStart[text]) then
         top = top + 1
         stack[top] = k
      elseif (t.kind == 'op' and (text == ')' or text == ']' or text == '}'))
            or (t.kind == 'name' and text == 'end') then
         if top == 0 then return false end
         local o = toks[stack[top]]
         local want = o.kind == 'op' and opener[o.text] or 'end'
         if want ~= text then return false end
         o.match = k
         top = top - 1
      end
   end
   return top == 0
end

---------------------------------------------------------------------------------------------
-- the extent of an operand, per Lua's grammar: unary operators bind tighter than every binary
-- one except ^ (so `#t^2` is `#(t^2)`). Each function returns the index of the operand's last
-- token, or nil when the source is not valid Lua there.
---------------------------------------------------------------------------------------------
local simpleValue = {['nil'] = true, ['true'] = true, ['false'] = true}
local unaryOp = {['-'] = 'op', ['#'] = 'op', ['not'] = 'name'}

local unaryExp

local function isOp(t, text) return t and t.kind == 'op' and t.text == text end

local function suffixed(toks, k)
   -- a prefix expression (name or parenthesised) and its suffixes: .x [e] :m(args) (args) "s" {t}
   local t = toks[k]
   if not t then return nil end
   if t.kind == 'name' then
      -- keywords are not names
      if simpleValue[t.text] or unaryOp[t.text] or blockStart[t.text] then return nil end
   elseif isOp(t, '(') then
      k = t.match
   else
      return nil
   end
   while true do
      local nx = toks[k + 1]
      if not nx then return k end
      if isOp(nx, '.') then
         k = k + 2
      elseif isOp(nx, '[') or isOp(nx, '(') or isOp(nx, '{') then
         k = nx.match
      elseif isOp(nx, ':') then
         local args = toks[k + 3]
         if not args then return nil end
         if args.kind == 'string' then
            k = k + 3
         elseif args.match then
            k = args.match
         else
            return nil
         end
      elseif nx.kind == 'string' then
         k = k + 1
      else
         return k
      end
   end
end

local function simpleExp(toks, k)
   local t = toks[k]
   if not t then return nil end
   if t.kind == 'number' or t.kind == 'string' or isOp(t, '...')
         or (t.kind == 'name' and simpleValue[t.text]) then
      return k
   elseif isOp(t, '{') or (t.kind == 'name' and t.text == 'function') then
      return t.match
   end
   return suffixed(toks, k)
end

function unaryExp(toks, k)
   local t = toks[k]
   while t and unaryOp[t.text] == t.kind do
      k = k + 1
      t = toks[k]
   end
   local stop = simpleExp(toks, k)
   if stop and isOp(toks[stop + 1], '^') then
      return unaryExp(toks, stop + 2)
   end
   return stop
end

-- the helper comes from package.loaded: no global of ours in _G; in a chunk run in another
-- environment (setfenv) without `package`, `#` keeps plain 5.1 semantics
local PRELUDE = "local __torch_len = ((package or {}).loaded or {})['compat52.len']; "
   .. "__torch_len = __torch_len and __torch_len.length or function(x) return #x end; "


-- src with its unary `#` rewritten; src itself when there is none, when it is bytecode, or
-- when it is not valid Lua (the compiler then reports the error as it would have)
-- the parse-level part of 5.2 mode (lj_parse.c): `;` is an empty statement anywhere (5.1 takes
-- one after a statement only), and `break` need not end its block
local blockOpen = {['do'] = true, ['then'] = true, ['else'] = true, ['repeat'] = true}
local blockClose = {['end'] = true, ['else'] = true, ['elseif'] = true, ['until'] = true}

local function statements(toks, n, before, after)
   local changed = false
   local params = {}   -- index of the `)` closing a function's parameters
   for k = 1, n do
      local t = toks[k]
      if t.kind == 'name' and t.text == 'function' then
         local p = k + 1
         while toks[p] and not isOp(toks[p], '(') do p = p + 1 end
         if toks[p] then params[toks[p].match] = true end
      elseif isOp(t, ';') then
         local prev = toks[k - 1]
         if not prev or isOp(prev, ';') or params[k - 1]
               or (prev.kind == 'name' and blockOpen[prev.text]) then
            t.drop, t.blank, changed = true, true, true
         end
      elseif t.kind == 'name' and t.text == 'break' then
         local j = k + 1
         while isOp(toks[j], ';') do j = j + 1 end
         local nx = toks[j]
         if nx and not (nx.kind == 'name' and blockClose[nx.text]) then
            before[k] = ' do '
            after[k] = ' end' .. (after[k] or '')
            changed = true
         end
      end
   end
   return changed
end

-- src with its unary `#` rewritten; src itself when there is none, when it is bytecode, or
-- when it is not valid Lua (the compiler then reports the error as it would have)
function len.rewrite(src)
   if type(src) ~= 'string' or byte(src, 1) == 27 or not find(src, '[#;]') then
      return src
   end
   local toks, n = lex(src)
   if not toks or not matchBrackets(toks, n) then return src end
   local before, after = {}, {}   -- text to put before/after a token
   local any = false
   for k = 1, n do
      if isOp(toks[k], '#') then
         local stop = unaryExp(toks, k + 1)
         if not stop then return src end
         local last = toks[stop]
         if stop == k + 1 and last.kind == 'name' then
            before[k] = ' (__torch_len('
            after[stop] = ') or #' .. last.text .. ')' .. (after[stop] or '')
            toks[k].drop = true
         else
            -- in parentheses: not a tail call, so that an error points at this line
            before[k] = ' (__torch_len('
            after[stop] = ', true))' .. (after[stop] or '')
            toks[k].drop = true
         end
         any = true
      end
   end
   local changed = statements(toks, n, before, after)
   if not any and not changed then return src end
   local out, m, pos = {any and PRELUDE or ''}, 1, 1
   for k = 1, n do
      local t = toks[k]
      m = m + 1
      out[m] = sub(src, pos, t.start - 1)   -- spaces and comments, kept as they were
      if before[k] then
         m = m + 1
         out[m] = before[k]
      end
      if t.blank then
         m = m + 1
         out[m] = ' '
      elseif not t.drop then
         m = m + 1
         out[m] = t.text
      end
      if after[k] then
         m = m + 1
         out[m] = after[k]
      end
      pos = t.stop + 1
   end
   m = m + 1
   out[m] = sub(src, pos)
   local shebang = find(src, '^\239?\187?\191?#')
   if shebang then
      -- the #! line must stay first: the prelude goes on the first line after it
      local eol = find(src, '\n', 1, true)
      if not eol then return src end
      local prelude = out[1]
      out[1] = sub(src, 1, eol)
      out[2] = prelude .. sub(src, eol + 1, toks[1].start - 1)
   end
   return concat(out)
end

return len
