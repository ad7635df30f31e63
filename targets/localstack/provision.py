"""Create the fixture functions on LocalStack in host mode and write a manifest for the suite.

    targets/localstack/run.sh -- bash -c '.venv/bin/python targets/localstack/provision.py \
        {url} /tmp/localstack-manifest.yaml && .venv/bin/pytest suites --target-url {url} \
        --fixtures-manifest /tmp/localstack-manifest.yaml ...'

Without Docker every function ends `Failed`, and the suite's `--provision` stops at that
(it requires Active functions). This keeps going (`require_active=False`) so the suite can
judge what LocalStack answers before its function-state check: request validation, absent
functions and qualifiers. The functions are not deleted (LocalStack cannot delete a Failed
function: 500 InternalError); they vanish with the LocalStack process (PERSISTENCE=0).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repo root

from lambda_conformance.provisioning.provisioner import Provisioner


def main(url: str, manifest_path: str) -> int:
    # LC_PREFIX names the functions like an earlier run's, to replay its curl commands.
    provisioner = Provisioner(url, "us-east-1", prefix=os.environ.get("LC_PREFIX"),
                              require_active=False)
    manifest = provisioner.create()
    manifest.dump(manifest_path)
    for name, reason in sorted(provisioner.failed_functions.items()):
        print(f"{name}: Failed ({reason})", file=sys.stderr)
    print(manifest_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
