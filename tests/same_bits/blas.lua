-- BLAS-shaped calls on many shapes and layouts, every element of every result printed exactly:
-- mm, addmm, mv, addmv, ger, addr, dot, add(value, tensor) and the `*` operator in their method
-- and function forms, on contiguous, transposed, narrowed and stepped operands, row and column
-- vectors, 1xN and Nx1 matrices; then nn.Linear forward and backward on vectors and batches.
dofile(paths.concat(paths.dirname(paths.thisfile()), 'common.lua'))

-- a result as its elements (up to 6) or as its first element and a hash of the exact values of
-- all of them (two results differing in any bit of any element get different hashes)
local function line(label, t)
   local parts = {label}
   if type(t) == 'number' then
      parts[2] = string.format('%.17g', t)
   else
      local f = t:contiguous():view(t:nElement())
      local n = f:size(1)
      if n <= 6 then
         for i = 1, n do parts[#parts + 1] = string.format('%.17g', f[i]) end
      else
         local h = 0
         for i = 1, n do
            local s = string.format('%a', f[i])
            for j = 1, #s do h = (h * 31 + s:byte(j)) % 4294967296 end
         end
         parts[2] = string.format('%.17g n=%d hash=%d', f[1], n, h)
      end
   end
   io.write(table.concat(parts, ' '), '\n')
end

-- a rows x cols matrix in one of several layouts, values from the generator
local function matrix(layout, rows, cols)
   if layout == 'contiguous' then return torch.randn(rows, cols) end
   if layout == 'transposed' then return torch.randn(cols, rows):t() end
   if layout == 'narrowed' then return torch.randn(rows, cols + 3):narrow(2, 2, cols) end
   if layout == 'narrowed transposed' then return torch.randn(cols, rows + 2):narrow(2, 2, rows):t() end
   -- every other column of a wider matrix
   return torch.randn(rows, 2 * cols):unfold(2, 1, 2):select(3, 1)
end
local layouts = {'contiguous', 'transposed', 'narrowed', 'narrowed transposed', 'stepped'}

local function vector(layout, n)
   if layout == 'contiguous' then return torch.randn(n) end
   return torch.randn(n, 3):select(2, 2)
end

torch.manualSeed(1)
for _, dims in ipairs({{4, 4, 4}, {1, 5, 3}, {5, 1, 3}, {3, 4, 1}, {1, 1, 1}, {1, 6, 1},
                       {6, 1, 1}, {2, 3, 5}, {9, 7, 5}}) do
   local m, k, n = dims[1], dims[2], dims[3]
   local tag = m .. 'x' .. k .. 'x' .. n
   for _, la in ipairs(layouts) do
      for _, lb in ipairs(layouts) do
         local name = tag .. ' ' .. la .. ' ' .. lb
         local a, b = matrix(la, m, k), matrix(lb, k, n)
         line('mm ' .. name, torch.mm(a, b))
         line('mul ' .. name, a * b)
         local r = torch.randn(n, m):t()
         r:mm(a, b)
         line('mm into transposed ' .. name, r)
         r = matrix(la, m, n)
         r:addmm(a, b)
         line('addmm ' .. name, r)
         r:addmm(0.3, a, b)
         line('addmm alpha ' .. name, r)
         r:addmm(0.7, -1.3, a, b)
         line('addmm beta alpha ' .. name, r)
         r:addmm(0, 1, a, b)
         line('addmm beta 0 ' .. name, r)
         local t = torch.randn(m, n)
         r:addmm(0.5, t, 2, a, b)
         line('addmm beta t alpha ' .. name, r)
         r:addmm(t, a, b)
         line('addmm t ' .. name, r)
         line('torch.addmm ' .. name, torch.addmm(0.25, t, 0.5, a, b))
      end
      local a = matrix(la, m, k)
      for _, lv in ipairs({'contiguous', 'strided'}) do
         local name = m .. 'x' .. k .. ' ' .. la .. ' ' .. lv
         local v = vector(lv, k)
         line('mv ' .. name, torch.mv(a, v))
         line('mul mv ' .. name, a * v)
         local r = vector(lv, m)
         r:mv(a, v)
         line('mv into ' .. name, r)
         r:addmv(a, v)
         line('addmv ' .. name, r)
         r:addmv(0.25, 3, a, v)
         line('addmv beta alpha ' .. name, r)
         r:addmv(0, 1, a, v)
         line('addmv beta 0 ' .. name, r)
         r:addmv(0.5, torch.randn(m), 2, a, v)
         line('addmv beta t alpha ' .. name, r)
         r:addmv(-2, a, v)
         line('addmv alpha ' .. name, r)
         local v1, v2 = vector(lv, m), vector(lv == 'contiguous' and 'strided' or 'contiguous', k)
         line('ger ' .. name, torch.ger(v1, v2))
         local g = matrix(la, m, k)
         g:ger(v1, v2)
         line('ger into ' .. name, g)
         g:addr(v1, v2)
         line('addr ' .. name, g)
         g:addr(0.3, v1, v2)
         line('addr alpha ' .. name, g)
         g:addr(0.1, 0.3, v1, v2)
         line('addr beta alpha ' .. name, g)
         g:addr(0, 0.3, v1, v2)
         line('addr beta 0 ' .. name, g)
         g:addr(0.1, matrix('transposed', m, k), 0.3, v1, v2)
         line('addr beta t alpha ' .. name, g)
         line('dot ' .. name, v1:dot(vector(lv, m)))
         line('torch.dot ' .. name, torch.dot(v2, torch.randn(k)))
         line('mul dot ' .. name, v1 * vector('strided', m))
      end
      line('dot matrices ' .. m .. 'x' .. k .. ' ' .. la, a:dot(torch.randn(m, k)))
      local c = torch.randn(m, k)
      c:add(0.37, torch.randn(m, k))
      line('add value tensor ' .. m .. 'x' .. k, c)
      c:add(-1.5, torch.randn(m * k))
      line('add value vector ' .. m .. 'x' .. k, c)
   end
end

-- larger products: a few elements and the sum
for _, dims in ipairs({{64, 65, 66}, {3, 2000, 3}, {130, 1, 70}}) do
   local m, k, n = dims[1], dims[2], dims[3]
   local a, b = torch.randn(m, k), torch.randn(k, n)
   local p = torch.mm(a, b)
   show('mm ' .. m .. 'x' .. k .. 'x' .. n .. ' sum', p:sum())
   line('mm ' .. m .. 'x' .. k .. 'x' .. n .. ' corners', torch.Tensor({p[1][1], p[m][n], p[m][1]}))
   local r = torch.randn(m, n)
   r:addmm(0.5, 2, a, b)
   show('addmm ' .. m .. 'x' .. k .. 'x' .. n .. ' sum', r:sum())
   line('mv ' .. m .. 'x' .. k, torch.mv(a, torch.randn(k)):narrow(1, 1, math.min(m, 8)))
end

-- nn.Linear on vectors and batches, with and without bias, several steps
for _, sizes in ipairs({{3, 4}, {1, 5}, {7, 1}, {20, 13}}) do
   local nin, nout = sizes[1], sizes[2]
   for _, bias in ipairs({true, false}) do
      local lin = nn.Linear(nin, nout, bias)
      lin:zeroGradParameters()  -- Torch7 leaves them uninitialized
      local name = 'Linear ' .. nin .. '->' .. nout .. (bias and '' or ' no bias')
      for step = 1, 2 do
         local x, go = torch.randn(nin), torch.randn(nout)
         line(name .. ' output', lin:forward(x))
         line(name .. ' gradInput', lin:backward(x, go, 0.5))
         local X, GO = torch.randn(step + 2, nin), torch.randn(step + 2, nout)
         line(name .. ' batch output', lin:forward(X))
         line(name .. ' batch gradInput', lin:backward(X, GO))
         line(name .. ' gradWeight', lin.gradWeight)
         if bias then line(name .. ' gradBias', lin.gradBias) end
         lin:updateParameters(0.1)
      end
      if bias then line(name .. ' addBuffer', lin.addBuffer) end
   end
end

-- batched products: baddbmm, addbmm and bmm on contiguous, transposed and stepped batches
torch.manualSeed(2)
local function batch(layout, bs, rows, cols)
   if layout == 'contiguous' then return torch.randn(bs, rows, cols) end
   if layout == 'transposed' then return torch.randn(bs, cols, rows):transpose(2, 3) end
   return torch.randn(bs, rows, 2 * cols):unfold(3, 1, 2):select(4, 1)
end
for _, dims in ipairs({{3, 4, 5, 2}, {2, 1, 3, 1}, {4, 3, 1, 5}}) do
   local bs, m, k, n = dims[1], dims[2], dims[3], dims[4]
   for _, la in ipairs({'contiguous', 'transposed', 'stepped'}) do
      for _, lb in ipairs({'contiguous', 'transposed', 'stepped'}) do
         local name = table.concat(dims, 'x') .. ' ' .. la .. ' ' .. lb
         local b1, b2 = batch(la, bs, m, k), batch(lb, bs, k, n)
         line('bmm ' .. name, torch.bmm(b1, b2))
         local r = batch(lb, bs, m, n)
         r:bmm(b1, b2)
         line('bmm into ' .. name, r)
         r:baddbmm(0.5, 2, b1, b2)
         line('baddbmm beta alpha ' .. name, r)
         r:baddbmm(b1, b2)
         line('baddbmm ' .. name, r)
         line('torch.baddbmm ' .. name, torch.baddbmm(0.25, r, 3, b1, b2))
         local s = batch(la, 1, m, n):select(1, 1)
         s:addbmm(b1, b2)
         line('addbmm ' .. name, s)
         s:addbmm(0.5, -1, b1, b2)
         line('addbmm beta alpha ' .. name, s)
         s:addbmm(0, 1, b1, b2)
         line('addbmm beta 0 ' .. name, s)
      end
   end
end
