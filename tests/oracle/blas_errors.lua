-- Errors of the BLAS-shaped functions (addmm, addmv, addr, mm, mv, dot, bmm, baddbmm, addbmm)
-- for operands of mismatched sizes, in their method and function forms: Torch's words (TH's
-- file and line stripped). Operands of the wrong dimension are cwrap's "invalid arguments"
-- with dimension-typed forms (DoubleTensor~2D) in Torch7: not here, luatorch words them as
-- TH's checks do.
local function try(label, f)
   local ok, err = pcall(f)
   if ok then
      print(label, 'ok')
   else
      print(label, (tostring(err):gsub(' at /[^\n]*%.c:%d+', ''):gsub('^[^:]*:%d+: ', '')))
   end
end
local a, b = torch.randn(3, 4), torch.randn(4, 5)
local v3, v4, v5 = torch.randn(3), torch.randn(4), torch.randn(5)
local m35 = torch.randn(3, 5)
try('mm sizes', function() return torch.mm(a, a) end)
try('addmm sizes', function() return m35:clone():addmm(a, a) end)
try('addmm t size', function() return m35:clone():addmm(torch.randn(3, 4), a, b) end)
try('addmm function sizes', function() return torch.addmm(m35, a, a) end)
try('mv sizes', function() return torch.mv(a, v5) end)
try('addmv sizes', function() return v3:clone():addmv(a, v5) end)
try('addmv t size', function() return torch.addmv(v4, a, v4) end)
try('addr t size', function() return m35:clone():addr(torch.randn(2), v5) end)
try('dot sizes', function() return v3:dot(v4) end)
try('dot function sizes', function() return torch.dot(v4, a) end)
try('bmm batches', function() return torch.bmm(torch.randn(2, 3, 4), torch.randn(3, 4, 5)) end)
try('bmm sizes', function() return torch.bmm(torch.randn(2, 3, 4), torch.randn(2, 3, 5)) end)
try('baddbmm t size', function()
   return torch.baddbmm(torch.randn(2, 3, 3), torch.randn(2, 3, 4), torch.randn(2, 4, 5))
end)
try('addbmm t size', function()
   return torch.addbmm(torch.randn(3, 3), torch.randn(2, 3, 4), torch.randn(2, 4, 5))
end)
