-- torch/image load/save: value ranges (saved floats are saturated and truncated), depth 1 and 3,
-- PNG, JPEG, PPM, PGM, getSize.
require 'image'
torch.manualSeed(2)
local g = torch.rand(5, 6)
image.save('image_load.tmp.g.png', g); image.save('image_load.tmp.g.jpg', g)
local c = torch.rand(3, 5, 6)
image.save('image_load.tmp.c.png', c); image.save('image_load.tmp.c.jpg', c); image.save('image_load.tmp.c.ppm', c); image.save('image_load.tmp.g.pgm', g)
for _, f in ipairs{'g.png', 'g.jpg', 'c.png', 'c.ppm', 'g.pgm'} do
  for _, d in ipairs{0, 1, 3} do
    local t = image.load('image_load.tmp.' .. f, d > 0 and d or nil)
    local tb = image.load('image_load.tmp.' .. f, d > 0 and d or nil, 'byte')
    print(f, d, table.concat(t:size():totable(), 'x'), string.format('%.6f %.6f %d', t:sum(), t:max(), tb:sum()))
  end
end
print(image.getSize('image_load.tmp.c.png'), image.getSize('image_load.tmp.g.jpg'))
for _, f in ipairs{'g.png', 'g.jpg', 'c.png', 'c.jpg', 'c.ppm', 'g.pgm'} do os.remove('image_load.tmp.' .. f) end
