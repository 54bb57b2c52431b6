-- cjson.safe: cjson whose encode and decode return nil and the message instead of raising
return require('cjson')._newModule(true)
