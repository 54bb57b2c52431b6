-- image.drawText and image.drawRect: torch/image's layout (6x8 cells times size, newlines,
-- wrapping at the right edge, background fill, in place or not). drawRect's pixels are also in
-- tests/oracle/image_api.lua; drawText's glyph shapes are Pillow's font, not Torch's.
require 'image'
local tester = torch.Tester()

function test_text_cells_background_and_colour()
   local img = torch.zeros(3, 30, 40)
   local out = image.drawText(img, 'ab', 3, 4, {color = {0, 255, 0}, bg = {0, 0, 255}, size = 2})
   tester:eq(img:sum(), 0)                          -- not in place by default
   local cells = out:narrow(2, 5, 16):narrow(3, 4, 24)  -- two 12x16 cells from (x=3, y=4)
   tester:eq(out:sum(), cells:sum())                -- nothing drawn outside the cells
   tester:eq(cells[1]:sum(), 0)
   tester:eq(cells[2]:sum() + cells[3]:sum(), 2 * 12 * 16)   -- each pixel: text or background
   tester:assert(cells[2]:sum() > 0)
end

function test_text_newline_wrap_and_inplace()
   local img = torch.ByteTensor(3, 40, 20):zero()
   image.drawText(img, 'abcd\nx', 0, 0, {inplace = true, bg = {1, 1, 1}})
   -- 20 pixels hold 3 cells ('d' wraps: 0 + 18 + 6 >= 20), then the newline, then 'x'
   local rows = {}
   for line = 0, 3 do rows[line + 1] = img[1]:narrow(1, line * 8 + 1, 8):sum() > 0 end
   tester:eq(rows, {true, true, true, false})
   tester:eq(image.drawText(img, '   '), img)       -- blank text: a copy, nothing drawn
end

function test_rect_outline()
   local out = image.drawRect(torch.zeros(3, 10, 10), 2, 2, 6, 5, {color = {255, 255, 255}})
   tester:eq(out[1]:sum(), 5 * 2 + (4 - 2) * 2)     -- the outline of a 5x4 box
end
