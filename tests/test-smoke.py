#!/usr/bin/python3
"""CI smoke test of the demo and the benchmark suite: they run, and their
outputs exist and parse. Not a speed test."""

import glob
import json
import os
import subprocess
import sys
import tempfile

SRC = os.environ["RK_SOURCE_DIR"]
BUILD = os.environ["RK_BUILD_DIR"]
PNG = b"\x89PNG\r\n\x1a\n"


def check_png(path):
    with open(path, "rb") as f:
        assert f.read(8) == PNG, f"{path} is not a PNG"


def run(cmd, **kw):
    print("$ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    print(p.stdout[-3000:], p.stderr[-3000:], sep="\n")
    assert p.returncode == 0, f"{cmd[1]} exited with {p.returncode}"
    return p


def smoke_demo(tmp):
    out = os.path.join(tmp, "demo")
    p = run(["/usr/bin/python3", os.path.join(SRC, "pipelines", "demo.py"),
             "--frames", "12", "--output", out])
    assert "backend: " in p.stdout, "the demo did not say its backend"
    assert "dropped 0" in p.stdout, "the demo's summary lacks dropped = 0"
    # 12 frames give the contact sheet all its rows
    pngs = glob.glob(os.path.join(out, "*.png"))
    assert pngs == [os.path.join(out, "contact-sheet.png")], \
        f"expected the contact sheet, got {pngs}"
    for f in pngs:
        check_png(f)
    videos = glob.glob(os.path.join(out, "*.webm"))
    assert videos and all(os.path.getsize(v) > 0 for v in videos), "no video written"


def smoke_bench(tmp):
    out = os.path.join(tmp, "bench")
    run(["/usr/bin/python3", os.path.join(SRC, "pipelines", "bench", "run-bench.py"),
         "--quick", "--smoke", "--build-dir", BUILD, "--output", out])
    reports = glob.glob(os.path.join(out, "*.json"))
    assert len(reports) == 1, f"expected one JSON, got {reports}"
    with open(reports[0]) as f:
        results = json.load(f)
    for key in ("machine", "roundtrip", "throughput", "overhead", "scaling"):
        assert key in results, f"results lack {key}"
    assert results["roundtrip"], "no round-trip results"
    pairs = (results.get("stock") or {}).get("pairs")
    assert pairs, "no comparisons with the stock elements"
    for p in pairs:
        assert {"ours", "stock", "workload"} <= p.keys() and p["ratio"] > 0, p
    # every kernel against its limit: a copy's bytes/s, and for the
    # compute-bound ones the SIMD peak measured in the same run
    peak = results["stock"].get("simd_peak")
    assert peak, "no SIMD peak measured"
    compute_bound = {"rkfir", "rkspectrum", "rkanomaly"}
    if "int_isa" in peak:     # x86: the integer peak the video kernels use
        compute_bound |= {"rkblur GRAY8", "rkblur RGBA", "rksobel GRAY8"}
    for p in pairs:
        if p["ours"] in compute_bound:
            assert p.get("peak_fraction", 0) > 0, p
            assert p.get("limit_fraction", 0) > 0, p
            assert p.get("ops_formula"), p
    base = reports[0][:-len(".json")]
    assert os.path.exists(base + ".md") and os.path.exists(base + ".log")
    pngs = glob.glob(base + "-*.png")
    assert len(pngs) >= 4, f"expected plots, got {pngs}"
    for png in pngs:
        check_png(png)
    with open(base + ".md") as f:
        report = f.read()
    for png in pngs:
        assert os.path.basename(png) in report, f"report does not embed {png}"


def main():
    with tempfile.TemporaryDirectory() as tmp:
        smoke_demo(tmp)
        smoke_bench(tmp)
    print("smoke: demo and bench outputs exist and parse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
