"""`python -m pipelines.cli` (same as the `folio` console script)."""

import sys

from pipelines.cli import main

sys.exit(main())
