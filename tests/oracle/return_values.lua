local function T() return torch.Tensor{{1, 2, 3}, {4, 5, 6}} end
local function V() return torch.Tensor{1, 2, 3} end
local M = torch.ByteTensor{{1, 0, 1}, {0, 1, 0}}
local I = torch.LongTensor{1, 2}
local calls = {
  {'zero', T, {}}, {'fill', T, {2}}, {'add', T, {1}}, {'add', T, {T()}}, {'add', T, {2, T()}}, {'add', T, {T(), 2, T()}},
  {'csub', T, {1}}, {'mul', T, {2}}, {'div', T, {2}}, {'fmod', T, {2}}, {'remainder', T, {2}}, {'clamp', T, {1, 2}},
  {'cmul', T, {T()}}, {'cpow', T, {T()}}, {'cdiv', T, {T()}}, {'cfmod', T, {T()}}, {'cremainder', T, {T()}},
  {'addcmul', T, {T(), T()}}, {'addcdiv', T, {T(), T()}}, {'addcmul', T, {2, T(), T()}},
  {'maskedFill', T, {M, 3}}, {'maskedCopy', T, {M, torch.Tensor{9, 9, 9}}}, {'maskedSelect', T, {M}},
  {'indexFill', T, {1, I, 7}}, {'indexCopy', T, {1, I, T()}}, {'indexAdd', T, {1, I, T()}}, {'index', T, {1, I}},
  {'scatter', T, {2, torch.LongTensor{{1}, {2}}, 5}}, {'gather', T, {2, torch.LongTensor{{1}, {2}}}},
  {'copy', T, {T()}}, {'resize', T, {3, 2}}, {'resizeAs', T, {V()}}, {'set', T, {V()}}, {'abs', T, {}}, {'neg', T, {}},
  {'sqrt', T, {}}, {'exp', T, {}}, {'sigmoid', T, {}}, {'tanh', T, {}}, {'floor', T, {}}, {'pow', T, {2}},
  {'cinv', T, {}}, {'lerp', T, {T(), 0.5}}, {'atan2', T, {T()}}, {'sign', T, {}}, {'cmax', T, {T()}}, {'cmin', T, {1}},
  {'addmv', V, {torch.ones(3, 3), V()}}, {'addr', T, {torch.ones(2), V()}}, {'addmm', T, {T(), torch.ones(3, 3)}},
  {'mv', V, {torch.ones(3, 3), V()}}, {'mm', T, {T(), torch.ones(3, 3)}}, {'addbmm', T, {torch.ones(1, 2, 3), torch.ones(1, 3, 3)}},
  {'baddbmm', function() return torch.ones(1, 2, 3) end, {torch.ones(1, 2, 3), torch.ones(1, 3, 3)}},
  {'uniform', T, {}}, {'normal', T, {}}, {'bernoulli', T, {}}, {'random', T, {}}, {'exponential', T, {}},
  {'geometric', T, {0.5}}, {'cauchy', T, {}}, {'logNormal', T, {}}, {'rand', T, {2, 2}}, {'randn', T, {2}},
  {'zeros', T, {2}}, {'ones', T, {2}}, {'range', T, {1, 3}}, {'linspace', T, {1, 2, 3}}, {'logspace', T, {1, 2, 3}},
  {'eye', T, {2}}, {'randperm', T, {3}}, {'diag', T, {}}, {'tril', T, {}}, {'triu', T, {}}, {'cumsum', T, {1}},
  {'cumprod', T, {1}}, {'sort', V, {}}, {'topk', V, {2}}, {'renorm', T, {2, 1, 1}}, {'apply', T, {function() end}},
  {'map', T, {T(), function() end}}, {'map2', T, {T(), T(), function() end}}, {'t', T, {}}, {'transpose', T, {1, 2}},
  {'squeeze', T, {}}, {'narrow', T, {1, 1, 1}}, {'select', T, {1, 1}}, {'view', T, {6}},
  {'expand', function() return torch.ones(1, 3) end, {2, 3}}, {'clone', T, {}},
  {'reshape', T, {3, 2}}, {'cat', V, {V()}}, {'round', T, {}}, {'ceil', T, {}}, {'trunc', T, {}}, {'frac', T, {}},
  {'log1p', T, {}}, {'sum', T, {1}}, {'max', T, {1}}, {'histc', V, {}}, {'cross', T, {T()}}, {'fill', V, {1}},
  {'bitand', function() return torch.LongTensor{1, 2} end, {1}}, {'eq', T, {1}}, {'ne', T, {T()}}, {'le', T, {1}},
  {'repeatTensor', V, {2}}, {'typeAs', T, {T()}}, {'type', T, {'torch.DoubleTensor'}}, {'double', T, {}},
  {'float', T, {}}, {'unfold', T, {2, 2, 1}}, {'permute', T, {2, 1}}, {'storage', T, {}}, {'sub', T, {1, 1}},
  {'prod', T, {1}}, {'kthvalue', V, {1}}, {'mode', V, {}}, {'median', V, {}}, {'min', T, {2}}, {'max', T, {}},
  {'std', T, {1}}, {'var', T, {}}, {'norm', T, {}}, {'norm', T, {2, 1}}, {'dist', T, {T()}}, {'mean', T, {2}},
  {'trace', T, {}}, {'numel', T, {}}, {'dot', T, {T()}}, {'nonzero', T, {}},
  {'xcorr2', T, {T()}}, {'conv2', T, {T()}}, {'lt', T, {T()}}, {'gt', T, {2}}, {'ge', T, {2}}, {'sign', T, {}},
  {'log', T, {}}, {'equal', T, {T()}}, {'sum', T, {}}, {'cmod', T, {T()}},
  {'logicalall', T, {}}, {'all', function() return torch.ByteTensor{1, 0} end, {}},
  {'any', function() return torch.ByteTensor{1, 0} end, {}},
  {'tril', T, {1}}, {'triu', T, {-1}}, {'maskedCopy', T, {M, T()}}, {'gather', T, {1, torch.LongTensor{{1, 2, 1}}}},
  {'scatter', T, {1, torch.LongTensor{{1, 2, 1}}, T()}}, {'indexFill', V, {1, torch.LongTensor{2}, -1}},
  {'maskedFill', V, {torch.ByteTensor{0, 1, 0}, 2.5}}, {'clamp', V, {0, 1}}, {'cmax', V, {2}}, {'cpow', V, {V()}},
  {'addcdiv', V, {0.5, V(), V()}}, {'lerp', V, {V(), 0.25}}, {'add', V, {V(), V()}}, {'mul', V, {V(), 2}},
  {'cmul', V, {V(), V()}}, {'div', V, {V(), 2}}, {'pow', V, {V(), 2}}, {'pow', V, {2, V()}}, {'abs', V, {V()}},
  {'exp', V, {V()}}, {'sqrt', V, {V()}}, {'sigmoid', V, {V()}}, {'neg', V, {V()}}, {'cinv', V, {V()}},
  {'fill', torch.FloatTensor, {1}}, {'zero', torch.LongTensor, {}}, {'copy', V, {torch.IntTensor{1, 2, 3}}},
  {'sort', V, {1, true}}, {'topk', V, {1, 1, true, true}}, {'cumsum', V, {}}, {'renorm', T, {1, 2, 3}},
}
for _, c in ipairs(calls) do
   local x = c[2]()
   local f = x[c[1]]
   local line
   if not f then line = 'missing'
   else
      local res = {pcall(f, x, unpack(c[3]))}
      if not res[1] then line = 'error ' .. tostring(res[2]):gsub(' at /.*', '')
      else
         local parts = {}
         for i = 2, #res do
            local r = res[i]
            if rawequal(r, x) then parts[#parts + 1] = 'self'
            else parts[#parts + 1] = torch.type(r) .. (torch.isTensor(r) and ('(' .. table.concat(r:size():totable(), 'x') .. ')') or (type(r) == 'number' and ('=' .. r) or '')) end
         end
         line = '#' .. (#res - 1) .. ' ' .. table.concat(parts, ', ')
      end
   end
   print(string.format('%-12s %s', c[1], line))
end
