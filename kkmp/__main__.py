"""`python -m kkmp`."""

import sys

from kkmp.cli import main

sys.exit(main())
