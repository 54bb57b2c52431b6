local cmd = torch.CmdLine()
cmd:option('-lr', 0.1, 'learning rate')
cmd:parse({'-zz', '1'})
print('not reached')
