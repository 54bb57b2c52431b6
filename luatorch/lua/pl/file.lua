-- Penlight's file: whole-file operations under short names.

local utils = require 'pl.utils'
local dir = require 'pl.dir'
local path = require 'pl.path'

local file = {}

file.read = utils.readfile
file.write = utils.writefile
file.copy = dir.copyfile
file.move = dir.movefile
file.access_time = path.getatime
file.creation_time = path.getctime
file.modified_time = path.getmtime
file.delete = os.remove

return file
