-- the work buffers of nn's spatial modules, emptied by mediumSerial like output and gradInput
local function withBuffers(class, names)
   local empty = {}
   for _, v in ipairs(nn.Module.dpnn_mediumEmpty) do empty[#empty + 1] = v end
   for _, v in ipairs(names) do empty[#empty + 1] = v end
   class.dpnn_mediumEmpty = empty
end

withBuffers(nn.SpatialMaxPooling, {'indices'})
withBuffers(nn.SpatialConvolution, {'finput', 'fgradinput', '_input', '_gradOutput'})
nn.SpatialConvolutionMM.dpnn_mediumEmpty = nn.SpatialConvolution.dpnn_mediumEmpty
withBuffers(nn.SpatialBatchNormalization,
   {'buffer', 'buffer2', 'centered', 'std', 'normalized', 'output', 'gradInput'})
