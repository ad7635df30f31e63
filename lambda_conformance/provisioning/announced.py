"""The fixture manifest the reference target announces about itself.

`python -m lambda_conformance.reference` hosts fixed fixture functions (`conformance-<role>`,
version 1 and alias `live` of introspect, a control plane for concurrency). Rather than make
its users write a manifest for them, it answers `GET /lambda-conformance/manifest` with one.

The suite asks only when `--target-url` comes with neither `--fixtures-manifest` nor
`--provision`, only on loopback (where the reference listens), and takes the answer only
when it says it is the reference. Any other target still needs a manifest or
`--provision`: nothing is guessed about an implementation under test, and an
implementation cannot pass off its own claims as the suite's fixtures.
"""

from __future__ import annotations

import json

import requests

from lambda_conformance.provisioning.manifest import Manifest, ManifestError, parse_manifest
from lambda_conformance.provisioning.provisioner import is_loopback

# The same path and name as lambda_conformance/reference (server.ANNOUNCE_PATH,
# target.IMPLEMENTATION); provisioning does not import the reference (docs/architecture.md).
ANNOUNCE_PATH = "/lambda-conformance/manifest"
IMPLEMENTATION = "lambda-conformance reference"
# The announcement is a few hundred bytes; whatever a target sends is read no further.
_MAX_BYTES = 64 * 1024


class NotAnnounced(Exception):
    """The target did not announce itself as the reference; the message says why."""


def announced_manifest(base_url: str, timeout: float) -> Manifest:
    """The manifest a reference target at `base_url` announces; NotAnnounced otherwise.

    One GET, bounded by `timeout` seconds and `_MAX_BYTES`, sent only to a loopback URL.
    """
    url = base_url.rstrip("/") + ANNOUNCE_PATH
    if not is_loopback(base_url):
        raise NotAnnounced(
            f"{base_url} is not on this machine, so it is not the reference target"
        )
    try:
        with requests.get(
            url, timeout=(min(timeout, 5.0), timeout), stream=True, allow_redirects=False
        ) as response:
            status = response.status_code
            body = response.raw.read(_MAX_BYTES + 1, decode_content=True)
    except requests.RequestException as exc:
        raise NotAnnounced(f"asking {url}: {type(exc).__name__}") from None
    if status != 200:
        raise NotAnnounced(f"{url} answered {status}: not the reference target")
    if len(body) > _MAX_BYTES:
        raise NotAnnounced(f"{url} answered more than {_MAX_BYTES} bytes")
    try:
        data = json.loads(body)
    except ValueError:
        raise NotAnnounced(f"{url} answered something that is not JSON") from None
    if not isinstance(data, dict) or data.get("implementation") != IMPLEMENTATION:
        raise NotAnnounced(f"{url} does not say it is the {IMPLEMENTATION}")
    try:
        return parse_manifest(json.dumps(data.get("manifest")), source=url)
    except ManifestError as exc:
        raise NotAnnounced(str(exc)) from None
