"""Benchmarks of the conformance suite (issue "Performance").

    python -m bench overhead      # suite time per request vs a plain requests.Session loop
    python -m bench walltime      # whole suite under quick/default/thorough, 1 process and -n 2
    python -m bench sensitivity   # requests until each mutant's first declared failure; detection
    python -m bench schemathesis  # schemathesis CLI alone against the same mutants and budget
    python -m bench startup       # collection alone, and launch to first request (no bytecode)
    python -m bench slow-target   # a target 50 ms slower per answer, -n 1, 2 and 4
    python -m bench growth        # wall time as max_examples grows x1, x4, x16
    python -m bench profile       # pyinstrument profiles of the suite and of the reference
    python -m bench report        # docs/benchmarks.md from docs/benchmarks.json

Every subcommand merges its figures into docs/benchmarks.json (with the load average
before and after each measurement) and re-renders docs/benchmarks.md. Performance goals
are reported, never asserted.
"""
