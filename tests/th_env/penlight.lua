-- Penlight as th gives it: each value printed here was produced by real th (trepl with
-- Penlight 1.13) for the same calls; test_th_env.py compares luatorch's output with penlight.out.
do
local List, class = require 'pl.List', require 'pl.class'
local OrderedMap, seq = require 'pl.OrderedMap', require 'pl.seq'
local pretty, utils = require 'pl.pretty', require 'pl.utils'
local ls = List{3, 1, 2}:sort():append(4)
local m = OrderedMap()
m:set('z', 1); m:set('a', 2); m:set('m', 3); m:set('a', nil)
class.Animal()
function Animal:_init(name) self.name = name end
class.Dog(Animal)
function Dog:_init(name) self:super(name); self.kind = 'dog' end
local d = Dog('rex')
local r = {tostring(ls), tostring(List{'a', 1}), tostring(m), d.name, d.kind,
       d:is_a(Animal), Animal:class_of(d), Dog:class_of(Animal('x')),
       tostring(seq{1, 2, 3, 4}:map('+', 1):filter(function(x) return x % 2 == 0 end):copy()),
       pretty.write({1, 2, a = 'x', b = {c = true}, ['my key'] = 3}),
       pretty.write({1, 'two', k = 3}, ''),
       pretty.read('{1, 2, a = 3}').a, select(2, pretty.read('{os.exit()}')),
       stringx.join(',', stringx.split('a b  c')), tostring(stringx.split('a,,b,', ',')),
       stringx.replace('aXbXc', 'X', '--', 1), select('#', stringx.partition('k=v=w', '=')),
       path.normpath('a//b/./c/../d'), path.relpath('/a/b/c', '/a/x'),
       tostring(tablex.range(1, 9, 3)), tablex.deepcompare({1, {2}}, {1, {2}}),
       utils.split('a b  c')[3], text.dedent('   a\n    b\n'),
       path.splitext('.bashrc'), path.splitpath('/a'), stringx.title('hello wORLD'),
       pretty.write({[1.5]=1, ['a b']={}, x={1,{2}}}), text.wrap('the quick brown fox jumps over', 10):join('|'),
       tostring(tablex.keys({})), '%5.2f|%s|%d' % {3.14159, true, 7}, '$a and ${b}' % {a = 1, b = 'two'},
       tostring(List.range(5)), tostring(List{1,2,3,4,5}:slice(2,-2)), pretty.number(123456789), pretty.number(2048, 'M'),
       pretty.number(1234567, 'T'), stringx.shorten('abcdefgh', 5), stringx.expandtabs('a\tbc\td', 4),
       tostring(stringx.splitlines('a\nb\r\nc')), stringx.center('ab', 6, '*'), stringx.count('aaa', 'aa'), stringx.rfind('abcabc','bc'),
       path.common_prefix('/a/b/c', '/a/b/d'), tostring(tablex.filter({1,2,3,4}, '>', 2)), tostring(tablex.imap('_*2', {1,2})),
       tostring(List{1,2,3}:reverse()), tablex.find({5,6,7}, 7), tostring(List{1,2}..List{3}), text.indent('a\nb', 2),
       tostring(seq.copy(seq.range(1,4))), seq.sum{1,2,3}, tostring(seq.copy(seq.unique{3,1,3,2}))}
for i = 1, #r do io.write('a', i, ': ', tostring(r[i]):gsub('\n', '\\n'), '\n') end
end
do
local List, class, tablex, stringx = require 'pl.List', require 'pl.class', require 'pl.tablex', require 'pl.stringx'
local OrderedMap, seq, pretty, utils, Map = require 'pl.OrderedMap', require 'pl.seq', require 'pl.pretty', require 'pl.utils', require 'pl.Map'
local function s(v) if type(v) == 'table' then return pretty.write(v, '') end return tostring(v) end
local fs = {
 function() return {s(tablex.index_by({10,20,30}, {3,1})), s(tablex.map(function(v) return v*2 end, {a=1,b=2}))} end,
 function() return {s(tablex.merge({a=1,b=2},{b=3,c=4}, true)), s(tablex.merge({a=1,b=2},{b=3,c=4}, false))} end,
 function() return {s(tablex.difference({a=1,b=2},{b=3,c=4})), s(tablex.difference({a=1,b=2},{b=3,c=4}, true))} end,
 function() return {s(tablex.count_map({'a','b','a'})), s(tablex.zip({1,2},{'a','b'})), s(tablex.sub({1,2,3,4}, 2, -1))} end,
 function() return {s(tablex.insertvalues({1,2,5}, 3, {3,4})), s(tablex.removevalues({1,2,3,4,5}, 2, 3))} end,
 function() return {s(tablex.icopy({1,2,3,4}, {9,8}, 2)), s(tablex.move({1,2,3,4}, {9,8}, 2)), s(tablex.new(3, 0))} end,
 function() return {s(tablex.range(5, 1)), s(tablex.range(0, 1, 0.25)), tablex.reduce('+', {1,2,3}), tablex.reduce('..', {'a','b'}, 'x')} end,
 function() return {s(tablex.pairmap(function(k, v) return v, k end, {a=1})), s(tablex.mapn(function(a,b) return a+b end, {1,2},{10,20,30}))} end,
 function() return {tablex.compare({1,2},{1,2},'=='), tablex.compare_no_order({1,2,3},{3,1,2}), tablex.size({1,2,a=3})} end,
 function() return {s(tablex.makeset({'a','b'})), s(tablex.index_map({'a','b'})), tablex.find_if({5,6,7}, '>', 5)} end,
 function() return {tablex.rfind({1,2,1}, 1), tablex.find({1,2,1}, 1, -1), s(tablex.copy({1,{2}}))} end,
 function() return {s(List{1,2,3}:map('+', 10)), s(List{1,2,3,4}:filter(function(x) return x > 2 end)), List{5,1,9}:minmax()} end,
 function() return {s(List{1,2,3}:chop(1,2)), s(List{1,2,3}:splice(2, {7,8})), s(List{1,2,3,4}:slice_assign(2,3,{9}))} end,
 function() return {s(List{1,2,3}:pop()), List{1,2,2}:count(2), List{1,2,3}:index(2), List{1,2}:contains(3), List{'a','b'}:join('-')} end,
 function() return {s(List.split('a b c')), s(List{3,1,2}:sorted('>')), List{1,2,3}:reduce('+'), s(List{1,2,3,4}:partition(function(x) return x % 2 end))} end,
 function() return {s(List{1,2,3}:remove_value(2)), s(List{1,2}:put(0)), List{1} == List{1}, s(List{1,2}:insert(1, 5))} end,
 function() return {stringx.isdigit('123'), stringx.isalpha('ab1'), stringx.isspace(' \t'), stringx.islower('ab c'), stringx.endswith('abc', {'x','bc'})} end,
 function() return {stringx.lstrip('xxabcxx', 'x'), stringx.rstrip('  ab  '), stringx.strip('--a--', '-'), stringx.ljust('ab', 5, '.'), stringx.rjust('ab', 5)} end,
 function() return {select(1, stringx.rpartition('a.b.c', '.')), select(3, stringx.rpartition('a.b.c', '.')), stringx.at('abc', 2)} end,
 function() return {stringx.lfind('abcabc', 'c', 4), stringx.replace('aaa', 'a', 'bb'), stringx.count('aaaa', 'aa', true), stringx.quote_string('a"b')} end,
 function() return {stringx.quote_string("a\nb"), s(stringx.split('  a  b ')), s(stringx.split('a=b=c', '=', 2)), stringx.expandtabs('\tx')} end,
 function() return {stringx.shorten('abcdefgh', 5, true), stringx.splitv('a b'), s(utils.split('a,b', ',')), utils.escape('a.b*c')} end,
 function() return {utils.quote_arg('a b'), utils.quote_arg({'x', "it's"}), utils.choose(false, 1, 2), s(utils.array_tostring({1,2}))} end,
 function() return {utils.string_lambda('|x,y| x*y')(3,4), utils.bind1('-', 10)(3), utils.bind2('-', 10)(3), s(utils.pack(1, nil, 3))} end,
 function() return {path.join('a', '/b', 'c'), path.join('a/', 'b'), path.dirname('/a/b/'), path.basename('a/b.txt'), path.extension('a.b/c')} end,
 function() return {path.normpath('/../a'), path.normpath('../a/..'), path.normpath('//a//b'), path.relpath('/a/b', '/a/b'), path.isabs('a')} end,
 function() return {path.expanduser('~/x') == os.getenv('HOME') .. '/x', path.abspath('x', '/r')} end,
 function() return {dir.fnmatch('a.lua', '*.lua'), dir.fnmatch('a.lu', '*.lua'), s(dir.filter({'a.lua','b.c','c.lua'}, '*.lua'))} end,
 function() return {text.fill('aaa bbb ccc ddd', 8), s(text.wrap('aaa bbb ccc ddd eee', 7)), text.indent('x', 3, '-')} end,
 function() return {text.Template('$a-${b}'):substitute({a=1, b=2}), text.Template('$a $c'):safe_substitute({a=1})} end,
 function() return {s(seq.copy(seq.take(seq.range(1, 10), 3))), s(seq.copy(seq.skip(seq.list{1,2,3,4}, 2))), seq.count({1,2,3}, function(x) return x > 1 end), seq.minmax({4,1,9})} end,
 function() return {s(seq.copy(seq.map('_*10', {1,2}))), seq.reduce('+', {1,2,3}), s(seq.copy_tuples(seq.enum{'a','b'})), s(seq.count_map{'a','a','b'})} end,
 function() return {s(seq{10,20}:enum():copy_tuples()), s(seq.copy(seq.splice({1},{2}))), s(seq.copy(seq.sort({3,1,2}))), s(seq.copy2(ipairs{'x','y'}))} end,
 function() return {tostring(Map{a=1}), s(Map{a=1,b=2}:keys():sort()), Map{a=1}:get('a'), s(Map{a=1, b=2}:items()), Map{a=1}:len()} end,
 function() return {tostring(OrderedMap{{b=1},{a='x'}}), s(OrderedMap{{b=1},{a=2}}:values()), s(OrderedMap({z=1}):keys())} end,
 function() return {pretty.write({'a', nil, 'c'}), pretty.write({['for']=1, [true]=2}), pretty.write('x"y'), pretty.write(12)} end,
 function() return {pretty.write({{1},{2}}, ' '), pretty.write({a={}}), pretty.write({1,2}, '  ', true)} end,
 function() return {'%s' % {List{1}}, '%d items' % 3, '%s-%s' % {'a', 'b'}} end,
}
local n = 0
for li, f in ipairs(fs) do
   local ok, res = pcall(f)
   if not ok then n = n + 1; io.write('line ', li, ' error: ', (tostring(res):gsub('^.-:%d+: ', '')), '\n')
   else for i = 1, table.maxn(res) do n = n + 1; io.write(li, '.', i, ': ', (tostring(res[i]):gsub('\n', '\\n')), '\n') end end
end
end
print(text == require 'pl.stringx', text.split ~= nil, stringx.fill ~= nil)
