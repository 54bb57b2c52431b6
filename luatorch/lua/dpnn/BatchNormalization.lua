-- running statistics are shared by sharedClone like the parameters; buffers are not serialized
-- by mediumSerial
local BN = nn.BatchNormalization
local empty = {}
for _, v in ipairs(nn.Module.dpnn_mediumEmpty) do empty[#empty + 1] = v end
for _, v in ipairs{'buffer', 'buffer2', 'centered', 'std', 'normalized', 'output', 'gradInput'} do
   empty[#empty + 1] = v
end
BN.dpnn_mediumEmpty = empty
BN.dpnn_parameters = {'weight', 'bias', 'running_mean', 'running_var'}
