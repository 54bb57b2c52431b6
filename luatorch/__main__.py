"""``python -m luatorch``: the same as the ``luatorch`` command."""

from .cli import main

raise SystemExit(main())
