"""Where the suite's files are: a clone's top-level folders, or the copy an install carries.

A clone (and an editable install) keeps `spec/`, `suites/` and `fixtures/` beside the
package, at the repository root. A built wheel cannot install folders with such generic
names at the top of site-packages, so the build (setup.py, `build_py`) copies them into the
package as `lambda_conformance/_suite/`. Everything that reads those files asks here.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The folders the build copies into an installed package (setup.py keeps the same list).
BUNDLED_PARTS: tuple[str, ...] = ("spec", "suites", "fixtures")
BUNDLE_DIR = PACKAGE_DIR / "_suite"


def suite_root() -> Path:
    """The folder holding spec/, suites/ and fixtures/: the install's copy, else the clone.

    The installed copy is checked first: an installed package must never pick up a folder
    that merely happens to be called `spec` next to it in site-packages.
    """
    if (BUNDLE_DIR / "spec").is_dir():
        return BUNDLE_DIR
    return PACKAGE_DIR.parent


SUITE_ROOT = suite_root()
SPEC_DIR = SUITE_ROOT / "spec"
SUITES_DIR = SUITE_ROOT / "suites"
HANDLERS_DIR = SUITE_ROOT / "fixtures" / "handlers"
MANIFESTS_DIR = SUITE_ROOT / "fixtures" / "manifests"
