"""``python -m cjm``: the command line (see ``cjm.cli``)."""

import os
import sys

if sys.argv[1:2] == ["funnel"]:
    # numpy's BLAS is never used by a funnel: starting its threads at import cost 0.07 s of CPU
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from cjm.cli import main  # noqa: E402

if sys.argv[1:2] == ["funnel"]:
    # this process only counts a funnel: it may tune numpy for that (cjm.funnel.engine.no_hugepage_advice)
    from cjm.funnel.engine import keep_freed_memory, no_hugepage_advice
    from cjm.funnel.table import map_input_files

    no_hugepage_advice()
    keep_freed_memory()
    map_input_files()

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # `python -m cjm list | head` closes the pipe early: not an error
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 0
if sys.argv[1:2] == ["funnel"]:
    # a funnel process ends without tearing the interpreter down (freeing its big arrays, stopping
    # its libraries' threads: 0.03 s of a 1.2 s first funnel); the table it stored is on disk first
    tables = sys.modules.get("cjm.funnel.table")
    if tables is not None:
        tables.wait_for_writes()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else 1 if code else 0)
sys.exit(code)
