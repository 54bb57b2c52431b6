-- pl.text: Penlight (1.9 on) moved its contents into pl.stringx; both names give one module.

return require 'pl.stringx'
