"""python -m lambda_conformance: the same as the `lambda-conformance` command."""

from __future__ import annotations

import sys

from lambda_conformance.cli import main

sys.exit(main())
