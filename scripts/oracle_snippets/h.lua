-- the helpers tests/oracle's files use (the snippets run from nn/ or torch/)
dofile '../../../tests/oracle/lib/dump.lua'
