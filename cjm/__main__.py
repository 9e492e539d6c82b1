"""``python -m cjm``: the command line (see ``cjm.cli``)."""

import sys

from cjm.cli import main

sys.exit(main())
