"""``python -m cjm``: the command line (see ``cjm.cli``)."""

import os
import sys

from cjm.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # `python -m cjm list | head` closes the pipe early: not an error
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
sys.exit(code)
