-- paths, sys and CmdLine as Torch programs use them (deterministic parts only)
print(paths.dirname('/a/b/c.txt'), paths.basename('/a/b/c.txt'), paths.basename('/a/b/c.txt', 'txt'))
print(paths.dirname('c.txt'), paths.dirname('/'), paths.dirname('/a/'), paths.basename('/a/b/'))
print(paths.concat('/a', '/b'), paths.concat('/a/', 'b', 'c'))
-- the extension: whatever follows the path's last dot, even across a slash
print(paths.extname('x.tar.gz'), paths.extname('noext'), paths.extname('/a.b/c'), paths.extname('.rc'))
print(paths.filep('/etc'), paths.dirp('/etc'), paths.filep(paths.concat(paths.cwd(), 'opkg_paths_sys.lua')))
-- tmpname: a free name, not created
local t = paths.tmpname(); print(type(t), paths.filep(t), paths.dirp(t))
local dir = paths.tmpname()
print(paths.mkdir(dir))
for _, n in ipairs{'b.txt', 'a.txt', 'c.lua'} do local f = io.open(paths.concat(dir, n), 'w'); f:write('x'); f:close() end
local function sorted(it) local l = {} for f in it do l[#l+1] = f end table.sort(l) return table.concat(l, ' ') end
-- mkdir makes the missing parents; a failure gives nil, the message and errno
print(paths.mkdir(paths.concat(dir, 'x/y/z')), paths.dirp(paths.concat(dir, 'x/y')))
local ok, m, n = paths.mkdir(paths.concat(dir, 'x/y/z')) print(ok, m:sub(#dir + 1), n)
local ok, m, n = paths.rmdir(paths.concat(dir, 'x')) print(ok, m:sub(#dir + 1), n)
print(sorted(paths.files(dir)), '|', sorted(paths.iterfiles(dir)), '|', sorted(paths.iterdirs(dir)))
print(sorted(paths.files(dir, '%.txt$')), '|', sorted(paths.files(dir, function(f) return f:find('c') end)))
print(paths.dir(paths.concat(dir, 'none')), paths.rmall(dir, 'yes'), paths.dirp(dir))
print(select('#', paths.uname()), paths.is_win(), paths.is_mac(), paths.execdir())
print(pcall(paths.getregistryvalue, 'HKEY_LOCAL_MACHINE', 'x', 'y'))
-- sys: clock is a function; the helpers Torch's sys does not have are absent
print(type(sys.clock), type(sys.clock()), sys.execute('echo hi'), sys.uname(), sys.dirname('/a/b'))
print(sys.filep, sys.dirp, sys.pwd, sys.fstat, type(sys.fpath), type(sys.usleep))
