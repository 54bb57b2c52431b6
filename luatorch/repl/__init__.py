"""The interactive ``th``-style REPL.

Nothing is imported here on purpose: the script runner uses ``thenv`` and ``session`` without
paying for prompt_toolkit, which only ``loop`` (the terminal front end) imports. An entry point:
it may import the runtime, ``packages`` (gnuplot's pending figures) and ``tensor``; only
``cli.py`` and the kernel import it.
"""
