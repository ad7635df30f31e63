"""Build hook: the wheel carries the whole suite, not only the importable packages.

Everything else about the build is declared in pyproject.toml. The suite's data folders
(`spec/`, `suites/`, `fixtures/`) stay at the repository root, where the project's layout
puts them; a wheel cannot install folders with such generic names at the top of
site-packages, so `build_py` copies them into the package as `lambda_conformance/_suite/`,
where `lambda_conformance.layout` finds them. An editable install needs no copy: it runs
from the clone, whose folders are found in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# The same list as lambda_conformance.layout.BUNDLED_PARTS (tests/test_installable.py
# checks that an install carries every tracked file under them).
BUNDLED_PARTS = ("spec", "suites", "fixtures")
BUNDLE = Path("lambda_conformance") / "_suite"
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", "node_modules", ".*")


class BuildWithSuite(build_py):
    """build_py, then the suite's data folders copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        bundle = Path(self.build_lib) / BUNDLE
        # A stale copy from an earlier build must not leak removed files into the wheel.
        shutil.rmtree(bundle, ignore_errors=True)
        for part in BUNDLED_PARTS:
            shutil.copytree(ROOT / part, bundle / part, ignore=_SKIP)


setup(cmdclass={"build_py": BuildWithSuite})
