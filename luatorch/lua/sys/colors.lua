-- sys.colors: the escape sequences of sys.COLORS, as a module of its own (torch.Tester colours
-- its report when this loads)
local sys = require 'sys'
return sys.COLORS
