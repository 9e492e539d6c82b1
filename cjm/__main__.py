"""``python -m cjm``: the command line (see ``cjm.cli``)."""

import os
import sys

from cjm.cli import main

if sys.argv[1:2] == ["funnel"]:
    # this process only counts a funnel: it may tune numpy for that (cjm.funnel.engine.no_hugepage_advice)
    from cjm.funnel.engine import no_hugepage_advice

    no_hugepage_advice()

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # `python -m cjm list | head` closes the pipe early: not an error
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
sys.exit(code)
