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
        cwd=ROOT, capture_output=True, text=True, timeout=360,
    )
    assert run.stdout, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, result
    assert result["votes_acknowledged"] == result["votes_sent"] == 100
    assert result["votes_lost"] == 0 and result["duplicates"] == 0
    assert result["tallies_to_presenter"] > 0 and result["presenter_ms"]["95"] is not None
    assert "server_errors" not in result


def test_export_benchmark_smoke_run_produces_every_format():
    """A small run of the plan export benchmark (the full one is `make bench-export`)."""
    formats = ["docx", "pdf", "md", "xlsx", "csv", "json"]
    run = subprocess.run(
        [sys.executable, "-m", "bench.export", "--votes", "200", "--comments", "20",
         "--repeat", "1", "--formats", ",".join(formats), "--json",
         # A smoke run proves it works; the 5 s DOCX limit is the full benchmark's.
         "--limit", "120"],
        cwd=ROOT, capture_output=True, text=True, timeout=360,
    )
    assert run.stdout, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert run.returncode == 0, (result, run.stderr)
    assert result["ok"]
    assert result["data"] == {"items": 320, "participants": 10, "proposals": 40, "votes": 200,
                              "dots": 400, "reviewers": 2, "comments": 20, "answered": 14}
    assert list(result["formats"]) == formats
    for fmt, figures in result["formats"].items():
        assert figures["bytes"] > 0, fmt
        assert 0 < figures["min_s"] <= figures["median_s"] <= figures["max_s"], fmt
        assert figures["peak_rss_mb"] > 0, fmt
