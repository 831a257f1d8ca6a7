"""A small run of the load benchmark (the full one is `make bench`, see docs/benchmarks.md)."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_smoke_run_loses_no_vote():
    run = subprocess.run(
        [sys.executable, "-m", "bench.run", "--participants", "50", "--rate", "20",
         "--duration", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )
    assert run.stdout, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, result
    assert result["votes_acknowledged"] == result["votes_sent"] == 100
    assert result["votes_lost"] == 0 and result["duplicates"] == 0
    assert result["tallies_to_presenter"] > 0 and result["presenter_ms"]["95"] is not None
    assert "server_errors" not in result
