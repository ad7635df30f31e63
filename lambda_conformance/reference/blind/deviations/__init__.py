"""Deviations: the hooks that make the proxy break the contract, one mistake each.

Each hook is written from the page (../shared/API_Invoke.md), spec/invoke.yaml and the
observed rows (../shared/reference/aws-observed.md, GT-nnn), never from the suite's checks.
Most are built with `after` (forward, then edit the answer) or `before` (edit the request,
then forward); the rest answer, probe or call upstream themselves.
"""
