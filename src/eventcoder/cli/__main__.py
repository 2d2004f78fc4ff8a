"""``python -m eventcoder.cli``: the same command as the installed ``eventcoder`` script."""

from . import main

main()
