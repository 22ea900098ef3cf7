#!/usr/bin/python3
"""gst-ringkernel benchmark suite: one command, JSON + plots + a report.

Discovers the backends present and runs every benchmark:
  roundtrip    one small message host -> kernel -> host, persistent vs
               event-driven, per backend (latency CDFs)
  throughput   messages/s with 256 in flight, per backend and mode
  overhead     per-buffer cost of rkecho vs identity and queue
  stock        our kernels vs the stock GStreamer elements and OpenCV
               (when python3-opencv is installed: install-deps.sh --bench),
               with each kernel's bytes/s as a fraction of a plain copy's,
               on the CPU backend, and on each GPU backend in the full run;
               the full run (and --smoke) adds each CPU kernel at 480p..4K
               with grid-size 1 and 2
  device       GPU backends: the round trip split into host and device
               parts; on CUDA, rkbench-cuda's driver-level contenders
  scaling      cost against frame size (480p..4K) and against the number of
               chained ring kernels (1, 2, 4, 8)

Writes pipelines/bench/results/<machine>-<date>.json, PNG plots beside it
and <machine>-<date>.md, a one-page report that embeds them.

  pipelines/bench/run-bench.py              full run (for GPU machines)
  pipelines/bench/run-bench.py --quick      under 2 minutes on a 2-core VM
  pipelines/bench/run-bench.py --quick --smoke   seconds: CI checks outputs
"""

import argparse
import datetime
import json
import os
import platform
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

FRAME_SIZES = [("480p", 854, 480), ("720p", 1280, 720), ("1080p", 1920, 1080),
               ("4K", 3840, 2160)]
CHAIN_LENGTHS = [1, 2, 4, 8]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


class Suite:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build_dir)
        self.rkbench = os.path.join(self.build, "pipelines", "bench", "rkbench")
        self.env = dict(os.environ)
        self.env["GST_PLUGIN_PATH_1_0"] = os.path.join(self.build, "plugin")
        self.env.setdefault("GST_REGISTRY_1_0", os.path.join(self.build, "bench-registry.bin"))
        self.raw_log = []
        self.results = {}

    # -- running rkbench ---------------------------------------------------

    def rkbench_json(self, what, *extra):
        cmd = [self.rkbench, what, *extra]
        log("$ " + " ".join(cmd))
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
        self.raw_log.append({"command": cmd, "seconds": round(time.monotonic() - t0, 2),
                             "stderr": p.stderr, "returncode": p.returncode})
        sys.stderr.write(p.stderr)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode})")
        return json.loads(p.stdout)

    def pipelines(self, named, repeats):
        """Times named pipelines side by side (interleaved) with rkbench."""
        extra = ["--repeats", str(repeats)]
        for name, desc in named:
            extra += ["--name", name, "--pipeline", desc]
        return self.rkbench_json("pipelines", *extra)["pipelines"]

    # -- benchmarks -------------------------------------------------------

    def sizes(self):
        a = self.args
        if a.smoke:
            return dict(messages=500, buffers=2000, repeats=1, frames=5)
        if a.quick:
            return dict(messages=10000, buffers=100000, repeats=3, frames=30)
        return dict(messages=100000, buffers=1000000, repeats=5, frames=200)

    def run_machine(self):
        j = self.rkbench_json("overhead", "--buffers", "100", "--repeats", "1")
        self.results["machine"] = j["machine"]
        self.results["machine"]["python"] = platform.python_version()
        self.results["machine"]["gpu"] = gpu_info()

    def available_backends(self):
        return [b["backend"] for b in self.results["machine"]["backends"] if b["available"]]

    def run_roundtrip(self):
        s = self.sizes()
        j = self.rkbench_json("roundtrip", "--messages", str(s["messages"]))
        self.results["roundtrip"] = j["roundtrip"]

    def run_throughput(self):
        s = self.sizes()
        j = self.rkbench_json("throughput", "--messages", str(s["messages"] * 5),
                              "--in-flight", "256")
        self.results["throughput"] = j["throughput"]

    def run_overhead(self):
        s = self.sizes()
        j = self.rkbench_json("overhead", "--buffers", str(s["buffers"]),
                              "--repeats", str(s["repeats"]))
        self.results["overhead"] = j["overhead"]

    def run_stock(self):
        """Kernel library vs stock elements: on the CPU backend always, on
        each GPU backend present in the full run (a software Vulkan device
        in --quick would take minutes and say little)."""
        script = os.path.join(HERE, "bench-kernels.py")
        backends = self.available_backends()
        if self.args.quick or self.args.smoke:
            backends = ["cpu"]
        self.results["stock_by_backend"] = {}
        for backend in backends:
            out = os.path.join(self.build, f"bench-kernels-{backend}.json")
            cmd = ["/usr/bin/python3", script, "--build-dir", self.build,
                   "--json", out, "--backend", backend]
            if self.args.quick:
                cmd.append("--quick")
            if self.args.smoke:
                cmd.append("--smoke")
            if backend == "cpu" and not self.args.quick:
                # each CPU kernel 480p..4K, grid-size 1 and 2, beside OpenCV
                cmd.append("--scaling")
            log("$ " + " ".join(cmd))
            p = subprocess.run(cmd, env=self.env, capture_output=True, text=True)
            self.raw_log.append({"command": cmd, "stderr": p.stderr,
                                 "returncode": p.returncode})
            sys.stderr.write(p.stderr)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode})")
            with open(out) as f:
                self.results["stock_by_backend"][backend] = json.load(f)
        self.results["stock"] = self.results["stock_by_backend"]["cpu"]

    def run_device(self):
        """GPU backends only: the round trip split into host and device
        parts, and on CUDA the driver-level contenders of rkbench-cuda
        (launch + sync, graph replay, rkgray against memory bandwidth)."""
        gpus = [b for b in self.available_backends() if b != "cpu"]
        if not gpus:
            log("device: no GPU backend present, skipped")
            return
        s = self.sizes()
        j = self.rkbench_json("roundtrip-split", "--backend", "all",
                              "--messages", str(s["messages"]))
        self.results["roundtrip_split"] = j
        cuda = os.path.join(self.build, "pipelines", "bench", "rkbench-cuda")
        if "cuda" in gpus and os.path.exists(cuda):
            out = os.path.join(self.build, "rkbench-cuda.json")
            cmd = [cuda, "all", "-o", out]
            if self.args.quick or self.args.smoke:
                cmd.append("--quick")
            log("$ " + " ".join(cmd))
            # rkbench-cuda links the runtime and the plugin in (it needs the
            # backend's internals): no plugin files for it
            env = dict(self.env, GST_PLUGIN_PATH_1_0="")
            p = subprocess.run(cmd, env=env, capture_output=True, text=True)
            self.raw_log.append({"command": cmd, "stderr": p.stderr + p.stdout,
                                 "returncode": p.returncode})
            sys.stderr.write(p.stderr)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode})")
            with open(out) as f:
                self.results["cuda"] = json.load(f)

    def run_scaling(self):
        s = self.sizes()
        backends = self.available_backends()
        frame = []
        for backend in backends:
            named = []
            for label, w, h in FRAME_SIZES:
                named.append((f"{backend} {label}",
                              f"videotestsrc num-buffers={s['frames']} pattern=ball "
                              f"! video/x-raw,format=RGBA,width={w},height={h} "
                              f"! rkgray backend={backend} ! fakesink name=sink sync=false"))
            for r in self.pipelines(named, s["repeats"]):
                backend_name, label = r["name"].split(" ")
                w, h = next((w, h) for l, w, h in FRAME_SIZES if l == label)
                frame.append({"backend": backend_name, "size": label, "pixels": w * h,
                              "pipeline": r["pipeline"],
                              "ms_per_frame": r["median_ns_per_buffer"] / 1e6})
        chain = []
        for backend in backends:
            named = []
            for n in CHAIN_LENGTHS:
                kernels = " ! ".join([f"rkecho backend={backend}"] * n)
                named.append((f"{backend} {n}",
                              f"fakesrc num-buffers={s['buffers'] // 4} sizetype=fixed "
                              f"sizemax=64 ! {kernels} ! fakesink name=sink sync=false"))
            for r in self.pipelines(named, s["repeats"]):
                backend_name, n = r["name"].split(" ")
                chain.append({"backend": backend_name, "kernels": int(n),
                              "pipeline": r["pipeline"],
                              "us_per_buffer": r["median_ns_per_buffer"] / 1e3})
        self.results["scaling"] = {"frame_size": frame, "chain_length": chain}

    # -- output -----------------------------------------------------------

    def write(self, out_dir):
        os.makedirs(out_dir, exist_ok=True)
        host = self.results["machine"].get("hostname", socket.gethostname())
        stamp = datetime.datetime.utcnow().strftime("%Y%m%d-%H%M%S")
        base = os.path.join(out_dir, f"{host}-{stamp}")
        self.results["mode"] = "smoke" if self.args.smoke else "quick" if self.args.quick else "full"
        with open(base + ".json", "w") as f:
            json.dump(self.results, f, indent=1)
        with open(base + ".log", "w") as f:
            for entry in self.raw_log:
                f.write("$ " + " ".join(entry["command"]) + "\n" + entry["stderr"] + "\n")
        import plots
        images = plots.render(self.results, base)
        report = plots.report(self.results, base, images)
        log(f"wrote {base}.json, {base}.log, {report} and {len(images)} plots")
        return base


def gpu_info():
    """GPU and driver, when nvidia-smi is there."""
    try:
        p = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,memory.total",
                            "--format=csv,noheader"], capture_output=True, text=True,
                           timeout=10)
        if p.returncode == 0:
            return p.stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        pass
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build-dir", default=os.path.join(ROOT, "build"))
    parser.add_argument("--output", default=os.path.join(HERE, "results"))
    parser.add_argument("--quick", action="store_true", help="under 2 minutes")
    parser.add_argument("--smoke", action="store_true", help="tiny counts, for CI")
    parser.add_argument("--only", help="comma-separated subset: roundtrip,throughput,"
                        "overhead,stock,scaling,device")
    args = parser.parse_args()

    sys.path.insert(0, HERE)
    suite = Suite(args)
    if not os.path.exists(suite.rkbench):
        log(f"{suite.rkbench} not found: build first (pipelines/build.sh)")
        return 1
    t0 = time.monotonic()
    suite.run_machine()
    log(f"backends present: {', '.join(suite.available_backends())}")
    steps = ["roundtrip", "throughput", "overhead", "stock", "scaling", "device"]
    if args.only:
        steps = [s for s in steps if s in args.only.split(",")]
    for step in steps:
        log(f"== {step}")
        getattr(suite, "run_" + step)()
    suite.results["elapsed_s"] = round(time.monotonic() - t0, 1)
    suite.write(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
