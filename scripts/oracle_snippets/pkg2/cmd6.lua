local cmd = torch.CmdLine()
cmd:argument('-a', 'first')
cmd:parse({})
