-- string.format and tostring as Torch7's LuaJIT (2.1.0-beta3) format numbers.
--
-- That LuaJIT rounds a number lying exactly half-way between two outputs away from zero in
-- %f, %e and %g (string.format('%.3f', 0.0625) is '0.063', tostring of the float 146.403564453125
-- is '146.40356445313'), where the C library and newer LuaJITs round it to even ('0.062'). It
-- also prints tiny numbers (below 1e-290 or so) with %f as zeros, where this LuaJIT prints
-- garbage digits. Everything else (flags, widths, integers, %q, %s, %a...) formats the same, so
-- the original string.format does the work: a number at an exact tie is replaced by its
-- neighbour one unit in the last place away from zero, which the original rounds the way
-- Torch7's does (no other output boundary lies within one ulp of a tie).
--
-- A tie is exact binary arithmetic: x rounds at the decimal digit 10^-q; with x = M * 2^E (M odd),
-- x * 10^q ends in exactly .5 when E = -(q + 1) (q >= 0), or when x is an odd multiple of
-- 5^k * 2^(k - 1) (k = -q > 0).
--
-- Number-to-string conversions that LuaJIT does in C (`..` concatenation, table.concat) cannot be
-- reached from Lua and keep the round-to-even behaviour (see docs/fidelity.md).

local rawformat, rawtostring = string.format, tostring
local find, match, type, select, tonumber, unpack = string.find, string.match, type, select,
   tonumber, unpack
local abs, floor, fmod, log10, frexp = math.abs, math.floor, math.fmod, math.log10, math.frexp
local huge = math.huge
local TWO53 = 2^53
local NEGZERO = 0 / -1

-- is |x| = ax exactly half-way at the decimal digit 10^-q?
local function istie(ax, q)
   if q >= 0 then
      if q > 1100 then return false end
      local y = ax * 2^(q + 1)
      return y < TWO53 and y % 2 == 1
   end
   local k = -q
   if k > 22 then return false end -- 5^23 > 2^53: no double is an odd multiple
   local d = 5^k * 2^(k - 1)
   if fmod(ax, d) ~= 0 then return false end
   local j = ax / d
   return j < TWO53 and j % 2 == 1
end

-- the decimal exponent D of ax > 0: 10^D <= ax < 10^(D + 1)
local function exponent(ax)
   local d = floor(log10(ax))
   if 10^d > ax then
      d = d - 1
   elseif 10^(d + 1) <= ax then
      d = d + 1
   end
   return d
end

-- the next double after x, away from zero
local function away(x)
   local _, e = frexp(x)
   local ulp = 2^(e - 53)
   if ulp < 2^-1074 then ulp = 2^-1074 end
   return x > 0 and x + ulp or x - ulp
end

-- the number to give the original formatter for conversion conv at precision p; or x and true
-- when the tie lies beyond the double's resolution (%.17g...), where the neighbour rounds
-- further: the output is then patched (see patched)
local function adjust(x, conv, p)
   if x ~= x or x == huge or x == -huge or x == 0 then return x end
   local ax = abs(x)
   local q
   if conv == 'f' or conv == 'F' then
      if ax < 1e-100 then return x > 0 and 0 or NEGZERO end
      q = p
   else
      if conv == 'g' or conv == 'G' then
         p = p == 0 and 0 or p - 1 -- %g's precision counts significant digits
      end
      q = p - exponent(ax)
   end
   if not istie(ax, q) then return x end
   local _, e = frexp(ax)
   if 2^(e - 53) < 10^-q then return away(x) end
   return x, q >= 1
end

-- a tie printed to even where it lies beyond the double's resolution: for q >= 1 the kept digit
-- of a tie is always 2 or 7 (x * 10^q = 10m + d + 1/2 needs 5 | 2d + 1), so an even result
-- ends in 2 and rounding away makes it 3 (no carry)
local function patched(s)
   local head, tail = s:match('^(.-)([eE][-+]%d+%s*)$')
   if not head then head, tail = s:match('^(.-)(%s*)$') end
   if head:sub(-1) == '2' then return head:sub(1, -2) .. '3' .. tail end
   return s
end

local SPEC = '()%%([-+ #0]*)(%d*)(%.?)(%d*)(.)()'
local FLOATSPEC = '%%[-+ #0]*%d*%.?%d*[eEfFgG]'

function string.format(fmt, ...)
   if type(fmt) ~= 'string' or not find(fmt, FLOATSPEC) then
      return rawformat(fmt, ...)
   end
   local n = select('#', ...)
   local args = {...}
   local i, pos = 0, 1
   local patches
   while true do
      local s, _, _, dot, prec, conv, e = match(fmt, SPEC, pos)
      if not s then break end
      pos = e
      if conv ~= '%' then
         i = i + 1
         if find('eEfFgG', conv, 1, true) then
            local x = args[i]
            if type(x) == 'string' then x = tonumber(x) end
            if type(x) == 'number' then
               local p = prec ~= '' and tonumber(prec) or (dot == '.' and 0 or 6)
               local patch
               args[i], patch = adjust(x, conv, p)
               if patch then
                  patches = patches or {}
                  patches[#patches + 1] = {s, e, i}
               end
            end
         end
      end
   end
   if patches then
      -- those conversions are formatted alone, patched, and put in the format as text
      local parts, last, drop = {}, 1, {}
      for _, pt in ipairs(patches) do
         local s, e, k = pt[1], pt[2], pt[3]
         parts[#parts + 1] = fmt:sub(last, s - 1)
         parts[#parts + 1] = patched(rawformat(fmt:sub(s, e - 1), args[k]))
         last, drop[k] = e, true
      end
      parts[#parts + 1] = fmt:sub(last)
      local rest, m = {}, 0
      for k = 1, n do
         if not drop[k] then m = m + 1; rest[m] = args[k] end
      end
      return rawformat(table.concat(parts), unpack(rest, 1, m))
   end
   return rawformat(fmt, unpack(args, 1, n))
end

-- tostring of a number is %.14g
function tostring(v)
   if type(v) == 'number' and v == v and v ~= 0 and v ~= huge and v ~= -huge then
      local ax = abs(v)
      if istie(ax, 13 - exponent(ax)) then return rawformat('%.14g', away(v)) end
   end
   return rawtostring(v)
end
