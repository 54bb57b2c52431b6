-- LAPACK functions as TH calls them (the system library's routines on column-major copies):
-- symeig without vectors (LAPACK's leftover matrix, its eigenvalues' own algorithm), potrs,
-- potri, pstrf; their argument checks and LAPACK error messages in TH's words
dofile 'lib/dump.lua'
local A = torch.Tensor{{4, 1, 2}, {1, 3, 0}, {2, 0, 5}}
local B = torch.Tensor{{1, 2}, {3, 4}, {5, 6}}
local S = torch.Tensor{{1, 2}, {2, 4}}
dump('symeig', {torch.symeig(A)})
dump('symeig U', {torch.symeig(A, 'N', 'U')})
dump('symeig L', {torch.symeig(A, 'N', 'L')})
dump('symeig V', {torch.symeig(A, 'V')})
dump('symeig VL', {torch.symeig(A, 'V', 'L')})
dump('symeig float', {torch.symeig(A:float())})
dump('symeig float V', {torch.symeig(A:float(), 'V')})
local U = torch.potrf(A)
local L = torch.potrf(A, 'L')
dump('potrs', torch.potrs(B, U))
dump('potrs L', torch.potrs(B, L, 'L'))
dump('potrs vector', torch.potrs(torch.Tensor{1, 2, 3}, U))
print(torch.potrs(B, U):isContiguous(), torch.potri(U):isContiguous())
dump('potri', torch.potri(U))
dump('potri L', torch.potri(L, 'L'))
dump('potri float', torch.potri(U:float()))
dump('pstrf', {torch.pstrf(A)})
dump('pstrf L', {torch.pstrf(A, 'L')})
dump('pstrf tol', {torch.pstrf(A, 'U', 0.5)})
dump('pstrf float', {torch.pstrf(A:float())})
for _, f in ipairs{'gesv', 'trtrs', 'potrs', 'gels'} do
   perr(f .. ' A 1-D', torch[f], B, torch.Tensor{1, 2, 3})
   perr(f .. ' B 3-D', torch[f], torch.zeros(3, 1, 1), A)
   perr(f .. ' A rect', torch[f], B, torch.zeros(3, 2))
   perr(f .. ' rows', torch[f], torch.zeros(2, 2), A)
end
perr('gesv singular', torch.gesv, torch.Tensor{{1}, {2}}, S)
perr('trtrs singular', torch.trtrs, torch.Tensor{{1}, {2}}, torch.Tensor{{1, 2}, {0, 0}})
perr('potri singular', torch.potri, torch.Tensor{{1, 2}, {0, 0}})
perr('pstrf indefinite', torch.pstrf, torch.Tensor{{-1, 2}, {2, -4}})
perr('pstrf rank deficient', torch.pstrf, torch.Tensor{{1, 1}, {1, 1}})
perr('inverse singular', torch.inverse, S)
perr('inverse singular 3', torch.inverse, torch.Tensor{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})
perr('potrf indefinite', torch.potrf, torch.Tensor{{1, 2}, {2, 1}})
perr('potrf negative', torch.potrf, torch.Tensor{{-1, 0}, {0, 1}})
-- geqrf/orgqr/ormqr (the system's LAPACK, as TH calls it) and qr's column-major Q
local function dd(name, t) if type(t) == 'table' then for i, v in ipairs(t) do dd(name .. i, v) end return end
  local parts = {} for i, v in ipairs(t:contiguous():view(-1):totable()) do parts[i] = string.format('%.17g', v) end
  print(name, table.concat(t:size():totable(), 'x'), t:isContiguous(), table.concat(parts, ' ')) end
local A = torch.Tensor{{4, 1, 2}, {1, 3, 0}, {2, 0, 5}, {1, 1, 1}}
local m, tau = torch.geqrf(A)
dd('geqrf', {m, tau})
dd('orgqr', torch.orgqr(m, tau))
dd('ormqr', torch.ormqr(m, tau, torch.range(1, 8):view(4, 2)))
dd('ormqrT', torch.ormqr(m, tau, torch.range(1, 8):view(4, 2), 'L', 'T'))
dd('ormqrR', torch.ormqr(m, tau, torch.range(1, 8):view(2, 4), 'R'))
dd('geqrf wide', {torch.geqrf(A:t())})
dd('geqrf float', {torch.geqrf(A:float())})
local m2, t2 = torch.geqrf(A:t())
dd('orgqr wide', torch.orgqr(m2, t2))
perr("lapack arg", torch.geqrf, torch.Tensor{1, 2})
perr("lapack arg", torch.orgqr, torch.Tensor{1, 2}, torch.Tensor{1})
dd('qr', {torch.qr(A)})
-- an option letter cwrap rejects: its "invalid arguments" with the function's two forms
perr('svd option', torch.svd, A, 'X')
perr('eig option', torch.eig, A, 'X')
perr('symeig option', torch.symeig, A, 'X')
perr('symeig uplo', torch.symeig, A, 'V', 'X')
perr('potrf option', torch.potrf, A, 'X')
perr('potri option', torch.potri, A:float(), 'X')
perr('potrs option', torch.potrs, B, A, 'X')
perr('pstrf option', torch.pstrf, A, 'X')
perr('trtrs option', torch.trtrs, B, A, 'X')
perr('trtrs trans', torch.trtrs, B, A, 'U', 'X')
perr('ormqr option', torch.ormqr, m, tau, torch.ones(4, 2), 'X')
