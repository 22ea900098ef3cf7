#!/usr/bin/python3
# gst-ringkernel
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ring-kernel elements against the stock GStreamer elements doing the
same work, side by side in one run (a benchmark, not a test).

Each pair gets the same content with the same caps where both sides take
them: frames or sample blocks rendered once (videotestsrc / audiotestsrc
white noise), queued in an appsrc as shallow copies before the pipeline
starts, so the source costs nothing while timing.

Timing is steady state: from the first buffer reaching the sink to the
EOS event reaching it (the last buffer is rendered just before), over
count - 1 buffers, so start-up (state changes, launching a kernel, the
first frame) stays out. The sink's own count of rendered buffers is
checked. Each contender first runs a short warm-up that also sizes its
runs to take about --seconds each. Repeats are interleaved (every repeat
runs each contender once, the order reversed on every other repeat); a
contender's figure is its median throughput, a pair's ratio is our median
over the best stock contender's median (> 1: we are faster), with the
spread of the per-repeat ratios beside it. The CPU time per buffer (every
thread of the process, same interval) says how much of a lead comes from
using both cores: cpu_ratio = theirs / ours.

  bench-kernels.py [--build-dir build] [--json FILE] [--quick | --smoke]
                   [--backend cpu|vulkan|cuda]

--backend puts every ring kernel of a run on that backend (default cpu);
the stock elements are the same whatever it is. A backend that cannot run
here ends the run with exit status 77 and the reason. A kernel without an
implementation on it runs on the CPU: "ran_on" in the JSON says where each
contender really ran.

--smoke takes seconds (CI: it runs, outputs parse), --quick under a
minute, the default (full) a few minutes: compare ratios from full runs.
The log of a run (every timing line) goes beside the JSON (.log).

Uses Debian's /usr/bin/python3 (python3-gi): audiofirfilter's kernel
cannot be set from gst-launch.
"""

import argparse
import ctypes
import json
import os
import platform
import re
import resource
import statistics
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

WIDTH, HEIGHT, FPS = 1920, 1080, 30
RATE, CHANNELS, AUDIO_FRAMES = 48000, 32, 4800   # 100 ms blocks

# (warm-up buffers, fewest, most buffers of a timed run) per kind of input
VIDEO_LIMITS = (6, 20, 6000)
AUDIO_LIMITS = (30, 100, 40000)

MODES = {
    # target seconds per run, repeats
    "smoke": dict(seconds=0.0, repeats=1),
    "quick": dict(seconds=0.4, repeats=3),
    "full": dict(seconds=3.0, repeats=5),
}

LOG = []


def log(msg):
    LOG.append(msg)
    print(msg, file=sys.stderr, flush=True)


def video_caps(fmt):
    return (f"video/x-raw,format={fmt},width={WIDTH},height={HEIGHT},"
            f"framerate={FPS}/1")


AUDIO_CAPS = (f"audio/x-raw,format=F32LE,layout=interleaved,rate={RATE},"
              f"channels={CHANNELS},channel-mask=(bitmask)0")


def make_buffers(src_desc, caps, count):
    """Renders `count` buffers of `caps` once."""
    p = Gst.parse_launch(f"{src_desc} num-buffers={count} ! {caps} ! "
                         "appsink name=out sync=false max-buffers=0")
    out = p.get_by_name("out")
    p.set_state(Gst.State.PLAYING)
    bufs = []
    while True:
        s = out.emit("pull-sample")
        if s is None:
            break
        bufs.append(s.get_buffer())
    p.set_state(Gst.State.NULL)
    if len(bufs) != count:
        sys.exit(f"bench-kernels: made {len(bufs)} of {count} buffers of {caps}")
    return bufs


class Input:
    """Distinct source buffers, reused as shallow copies for long runs."""

    def __init__(self, desc, caps, distinct, duration_ns, limits):
        self.caps = caps
        self.bufs = make_buffers(desc, caps, distinct)
        self.duration = duration_ns
        self.limits = limits
        self.size = self.bufs[0].get_size()
        self.copy_rates = []

    def time_copy(self, seconds):
        """Bytes per second of a plain copy of these buffers' bytes (the
        same working set, round robin): what this machine's memory gives,
        to set each contender's throughput against."""
        srcs = [ctypes.create_string_buffer(b.extract_dup(0, self.size),
                                            self.size) for b in self.bufs]
        dst = ctypes.create_string_buffer(self.size)
        n, t0 = 0, time.perf_counter()
        while True:
            ctypes.memmove(dst, srcs[n % len(srcs)], self.size)
            n += 1
            if n % len(srcs) == 0 and time.perf_counter() - t0 >= seconds:
                break
        rate = n * self.size / (time.perf_counter() - t0)
        self.copy_rates.append(rate)
        return rate

    def feed(self, appsrc, count):
        for i in range(count):
            b = self.bufs[i % len(self.bufs)].copy()
            b.pts = i * self.duration
            b.dts = Gst.CLOCK_TIME_NONE
            b.duration = self.duration
            b.offset = Gst.BUFFER_OFFSET_NONE
            appsrc.emit("push-buffer", b)
        appsrc.emit("end-of-stream")


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class SinkTiming:
    """First buffer and EOS at the sink pad, in wall time and in CPU time
    of the whole process (every thread). The buffer probe removes itself,
    so no Python runs per buffer while timing."""

    def __init__(self, pad):
        self.first = self.eos = None
        self.cpu_first = self.cpu_eos = None
        pad.add_probe(Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST,
                      self.on_buffer)
        pad.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, self.on_event)

    def on_buffer(self, pad, info):
        self.first = time.perf_counter()
        self.cpu_first = cpu_seconds()
        return Gst.PadProbeReturn.REMOVE

    def on_event(self, pad, info):
        if info.get_event().type == Gst.EventType.EOS:
            self.eos = time.perf_counter()
            self.cpu_eos = cpu_seconds()
        return Gst.PadProbeReturn.OK


def run_once(c, inp, count):
    """Runs `count` buffers through contender `c`; returns steady-state
    input buffers per second, CPU seconds per buffer (all threads) and the
    wall time from PLAYING to EOS."""
    desc = c.desc
    p = Gst.parse_launch(
        f"appsrc name=src format=time block=false max-bytes=0 "
        f"caps=\"{inp.caps}\" ! {desc} ! fakesink name=sink sync=false "
        "enable-last-sample=false")
    if c.setup:
        c.setup(p)
    sink = p.get_by_name("sink")
    pad = sink.get_static_pad("sink")
    timing = SinkTiming(pad)
    inp.feed(p.get_by_name("src"), count)
    bus = p.get_bus()
    t0 = time.perf_counter()
    p.set_state(Gst.State.PLAYING)
    m = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                               Gst.MessageType.EOS | Gst.MessageType.ERROR)
    wall = time.perf_counter() - t0
    rendered = sink.get_property("stats").get_value("rendered")
    c.ran_on |= backends_used(p)
    p.set_state(Gst.State.NULL)
    if m.type == Gst.MessageType.ERROR:
        err, dbg = m.parse_error()
        sys.exit(f"bench-kernels: \"{desc}\" failed: {err.message} ({dbg})")
    if (c.one_to_one and rendered != count) or rendered == 0 or \
            timing.first is None or timing.eos is None:
        sys.exit(f"bench-kernels: \"{desc}\": {rendered} of {count} buffers "
                 "reached the sink")
    return ((count - 1) / (timing.eos - timing.first),
            (timing.cpu_eos - timing.cpu_first) / (count - 1), wall)


def on_backend(desc, backend):
    """`desc` with backend=`backend` on every ring-kernel element in it."""
    return re.sub(r"(^|! )(rk\w+)", rf"\1\2 backend={backend}", desc)


def backends_used(pipeline):
    """The backends the ring kernels of a playing pipeline run on (a kernel
    without an implementation on the backend asked for runs on the CPU)."""
    used = set()
    it = pipeline.iterate_elements()
    while True:
        ok, e = it.next()
        if ok != Gst.IteratorResult.OK:
            break
        if e.find_property("stats") and e.get_factory().get_name().startswith("rk"):
            used.add(e.get_property("stats").get_value("backend"))
    return used


def backend_problem(backend):
    """Why a ring kernel cannot run on `backend` here, or None."""
    p = Gst.parse_launch(f"fakesrc num-buffers=1 ! rkecho backend={backend} "
                         "! fakesink")
    p.set_state(Gst.State.PLAYING)
    m = p.get_bus().timed_pop_filtered(
        10 * Gst.SECOND, Gst.MessageType.ERROR | Gst.MessageType.EOS)
    p.set_state(Gst.State.NULL)
    if m is None:
        return "a one-buffer pipeline did not finish in 10 s"
    if m.type == Gst.MessageType.ERROR:
        return m.parse_error()[0].message
    return None


def has(*factories):
    return all(Gst.ElementFactory.find(f) is not None for f in factories)


def fir_taps(n_taps):
    taps = [((i * 7919) % 101 - 50) / (50.0 * n_taps) for i in range(n_taps)]

    def setup(p):
        p.get_by_name("fir").set_property("kernel", taps)
    return taps, setup


def taps_string(taps):
    return "<" + ", ".join(repr(t) for t in taps) + ">"


class C:
    """A contender: label, pipeline fragment, input format key, factories
    it needs, an optional setup(pipeline), whether it is ours (its label
    starts with rk), and whether it outputs one buffer per input
    (audiofirfilter re-blocks its output)."""

    def __init__(self, label, desc, fmt, factories, setup=None,
                 one_to_one=True):
        self.label, self.desc, self.fmt = label, desc, fmt
        self.factories, self.setup = factories, setup
        self.one_to_one = one_to_one
        self.ours = label.startswith("rk")
        self.ran_on = set()


def pairs():
    """(name, workload, note, contenders, headline ours labels)."""
    taps64, fir64 = fir_taps(64)
    taps512, fir512 = fir_taps(512)
    return [
        ("gray", "RGBA→GRAY8 1080p",
         "videoconvert in its default single thread and with n-threads=2; "
         "the faster is the reference", [
             C("rkgray", "rkgray", "RGBA", ["rkgray"]),
             C("videoconvert", "videoconvert ! video/x-raw,format=GRAY8",
               "RGBA", ["videoconvert"]),
             C("videoconvert n-threads=2",
               "videoconvert n-threads=2 ! video/x-raw,format=GRAY8", "RGBA",
               ["videoconvert"])], ["rkgray"]),
        ("blur", "σ 1.2, one 8-bit plane 1080p",
         "rkblur on GRAY8, gaussianblur on the luma of AYUV (it blurs luma "
         "only); rkblur on RGBA does 4 planes", [
             C("rkblur GRAY8", "rkblur sigma=1.2", "GRAY8", ["rkblur"]),
             C("rkblur RGBA", "rkblur sigma=1.2", "RGBA", ["rkblur"]),
             C("gaussianblur AYUV", "gaussianblur sigma=1.2", "AYUV",
               ["gaussianblur"])], ["rkblur GRAY8", "rkblur RGBA"]),
        ("sobel", "colour in, edges out 1080p",
         "rkgray ! rksobel from RGBA: BT.601 luma, then both 3x3 Sobel "
         "gradients and the exact magnitude min(255, floor(sqrt(gx²+gy²))), "
         "GRAY8 out. cvsobel mask=false from RGB (it takes RGB only): "
         "luma, then with its default x-order=1 y-order=0 ONE 3x3 Sobel "
         "derivative (x) saturated to 0..255 (negative edges become 0), "
         "RGB out. rksobel alone on GRAY8 is shown for reference", [
             C("rkgray ! rksobel", "rkgray ! rksobel", "RGBA",
               ["rkgray", "rksobel"]),
             C("rksobel GRAY8", "rksobel", "GRAY8", ["rksobel"]),
             C("cvsobel", "cvsobel mask=false", "RGB", ["cvsobel"])],
         ["rkgray ! rksobel", "rksobel GRAY8"]),
        ("bgsub", "background subtraction RGBA 1080p",
         "rkbgsub: running average + GRAY8 mask; segmentation: OpenCV MOG2 "
         "(its default) + RGBA out", [
             C("rkbgsub", "rkbgsub", "RGBA", ["rkbgsub"]),
             C("segmentation", "segmentation", "RGBA", ["segmentation"])],
         ["rkbgsub"]),
        ("fir64", "FIR 64 taps, 32 ch F32",
         "same taps both sides", [
             C("rkfir", f"rkfir taps=\"{taps_string(taps64)}\"", "AUDIO",
               ["rkfir"]),
             C("audiofirfilter", "audiofirfilter name=fir", "AUDIO",
               ["audiofirfilter"], fir64, one_to_one=False)], ["rkfir"]),
        ("fir512", "FIR 512 taps, 32 ch F32",
         "same taps both sides", [
             C("rkfir", f"rkfir taps=\"{taps_string(taps512)}\"", "AUDIO",
               ["rkfir"]),
             C("audiofirfilter", "audiofirfilter name=fir", "AUDIO",
               ["audiofirfilter"], fir512, one_to_one=False)], ["rkfir"]),
        ("spectrum", "128 bands × 32 ch, 100 ms",
         "multi-channel, messages posted", [
             C("rkspectrum", "rkspectrum bands=128 multi-channel=true",
               "AUDIO", ["rkspectrum"]),
             C("spectrum", "spectrum bands=128 multi-channel=true", "AUDIO",
               ["spectrum"])], ["rkspectrum"]),
    ] + [
        # Every configuration both spectrum elements offer: the spectrum of
        # the channels' mean (both defaults) and one per channel, bands 64
        # to 1024 (the pair above is multi-channel 128).
        (f"spectrum-{mode}-{bands}",
         f"{bands} bands × 32 ch, 100 ms, "
         f"{'per channel' if multi else 'channels mixed down'}",
         "messages posted", [
             C("rkspectrum", f"rkspectrum bands={bands} "
               f"multi-channel={str(multi).lower()}", "AUDIO",
               ["rkspectrum"]),
             C("spectrum", f"spectrum bands={bands} "
               f"multi-channel={str(multi).lower()}", "AUDIO",
               ["spectrum"])], ["rkspectrum"])
        for multi, mode in ((False, "mean"), (True, "multi"))
        for bands in (64, 128, 256, 512, 1024)
        if (multi, bands) != (True, 128)
    ] + [
        ("anomaly", "running statistics, 32 ch F32",
         "rkanomaly (Welford mean/variance, z-score events) vs level "
         "(RMS/peak/decay, 100 ms messages); both pass the audio through", [
             C("rkanomaly", "rkanomaly", "AUDIO", ["rkanomaly"]),
             C("level", "level", "AUDIO", ["level"])], ["rkanomaly"]),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build-dir", help="use the plugin of this build")
    ap.add_argument("--json", "-o", "--output", dest="json",
                    help="write the results here (and the log beside it)")
    ap.add_argument("--log", help="raw log file (default: beside the JSON)")
    ap.add_argument("--quick", action="store_true", help="under a minute")
    ap.add_argument("--smoke", action="store_true", help="seconds, for CI")
    ap.add_argument("--repeats", type=int, help="override the mode's repeats")
    ap.add_argument("--seconds", type=float,
                    help="override the mode's seconds per run")
    ap.add_argument("--only", action="append", help="pair name (repeatable)")
    ap.add_argument("--backend", default="cpu",
                    help="backend of the ring kernels (cpu, vulkan, cuda)")
    args = ap.parse_args()

    if args.build_dir:
        build = os.path.abspath(args.build_dir)
        os.environ["GST_PLUGIN_PATH_1_0"] = os.path.join(build, "plugin")
        os.environ.setdefault("GST_REGISTRY_1_0",
                              os.path.join(build, "bench-registry.bin"))
    Gst.init(None)

    problem = backend_problem(args.backend)
    if problem:
        print(f"bench-kernels: the {args.backend} backend cannot run here: "
              f"{problem}", file=sys.stderr)
        sys.exit(77)

    mode = "smoke" if args.smoke else "quick" if args.quick else "full"
    seconds = MODES[mode]["seconds"] if args.seconds is None else args.seconds
    repeats = args.repeats or MODES[mode]["repeats"]
    load_before = os.getloadavg()
    started = time.monotonic()
    log(f"bench-kernels: {mode} run on the {args.backend} backend, "
        f"{repeats} repeats, about {seconds} s a "
        f"run; load average {load_before[0]:.2f} {load_before[1]:.2f} "
        f"{load_before[2]:.2f}")

    inputs = {}

    def input_for(fmt):
        if fmt not in inputs:
            if fmt == "AUDIO":
                inputs[fmt] = Input(
                    f"audiotestsrc wave=white-noise "
                    f"samplesperbuffer={AUDIO_FRAMES}", AUDIO_CAPS, 10,
                    Gst.SECOND * AUDIO_FRAMES // RATE, AUDIO_LIMITS)
            else:
                inputs[fmt] = Input("videotestsrc pattern=ball motion=sweep",
                                    video_caps(fmt), 8, Gst.SECOND // FPS,
                                    VIDEO_LIMITS)
        return inputs[fmt]

    comparisons, headline = [], []
    for name, workload, note, contenders, ours_labels in pairs():
        if args.only and name not in args.only:
            continue
        entry = {"pair": name, "workload": workload, "note": note,
                 "contenders": []}
        runnable = []
        for c in contenders:
            if c.ours:
                c.desc = on_backend(c.desc, args.backend)
            if not has(*c.factories):
                entry["contenders"].append({"name": c.label, "missing":
                                            "element not installed"})
                log(f"{name}: {c.label}: not installed")
                continue
            inp = input_for(c.fmt)
            warm, lo, hi = inp.limits
            if mode == "smoke":
                count = max(3, warm // 2)
            else:
                rate, _, _ = run_once(c, inp, warm)
                count = int(min(hi, max(lo, seconds * rate)))
                log(f"{name} warm-up {c.label:26s} {rate:10.1f} buffers/s "
                    f"-> {count} buffers a run")
            runnable.append((c, inp, count))

        rates = {c.label: [] for c, _, _ in runnable}
        cpus = {c.label: [] for c, _, _ in runnable}
        walls = {c.label: [] for c, _, _ in runnable}
        for rep in range(repeats):
            order = runnable if rep % 2 == 0 else list(reversed(runnable))
            for inp in {id(i): i for _, i, _ in runnable}.values():
                inp.time_copy(max(0.05, seconds / 4))
            for c, inp, count in order:
                rate, cpu, wall = run_once(c, inp, count)
                rates[c.label].append(rate)
                cpus[c.label].append(cpu)
                walls[c.label].append(wall)
                log(f"{name} {rep + 1}/{repeats} {c.label:26s} "
                    f"{rate:10.1f} buffers/s {1e3 / rate:9.3f} ms/buffer "
                    f"{cpu * 1e3:8.3f} CPU ms/buffer ({count} buffers, "
                    f"{wall:.2f} s wall)")

        by_label = {}
        for c, inp, count in runnable:
            med = statistics.median(rates[c.label])
            d = {"name": c.label, "ours": c.ours,
                 "ran_on": sorted(c.ran_on),
                 "pipeline": f"appsrc caps={inp.caps} ! {c.desc} ! "
                 "fakesink sync=false", "buffers": count,
                 "buffers_per_s": rates[c.label],
                 "median_buffers_per_s": med,
                 "median_ms_per_buffer": 1e3 / med,
                 "cpu_ms_per_buffer": [v * 1e3 for v in cpus[c.label]],
                 "median_cpu_ms_per_buffer":
                 statistics.median(cpus[c.label]) * 1e3,
                 "wall_s": walls[c.label],
                 "input_bytes_per_buffer": inp.size,
                 "median_input_bytes_per_s": med * inp.size,
                 "copy_bytes_per_s": statistics.median(inp.copy_rates),
                 "fraction_of_copy": med * inp.size /
                 statistics.median(inp.copy_rates)}
            entry["contenders"].append(d)
            by_label[c.label] = d
        theirs = [d for d in by_label.values() if not d["ours"]]
        if theirs:
            best = max(theirs, key=lambda d: d["median_buffers_per_s"])
            for label in ours_labels:
                if label not in by_label:
                    continue
                o = by_label[label]
                per_rep = [a / b for a, b in zip(o["buffers_per_s"],
                                                  best["buffers_per_s"])]
                ratio = o["median_buffers_per_s"] / best["median_buffers_per_s"]
                cpu_ratio = (best["median_cpu_ms_per_buffer"] /
                             o["median_cpu_ms_per_buffer"])
                headline.append({
                    "pair": name, "ours": label, "stock": best["name"],
                    "workload": workload, "ratio": ratio,
                    "ratio_min": min(per_rep), "ratio_max": max(per_rep),
                    "ours_buffers_per_s": o["median_buffers_per_s"],
                    "stock_buffers_per_s": best["median_buffers_per_s"],
                    "ours_cpu_ms_per_buffer": o["median_cpu_ms_per_buffer"],
                    "stock_cpu_ms_per_buffer":
                    best["median_cpu_ms_per_buffer"],
                    "cpu_ratio": cpu_ratio, "ran_on": o["ran_on"],
                    "copy_bytes_per_s": o["copy_bytes_per_s"],
                    "ours_fraction_of_copy": o["fraction_of_copy"],
                    "stock_fraction_of_copy": best["fraction_of_copy"]})
                log(f"== {name}: {label} on {'+'.join(o['ran_on'])} / "
                    f"{best['name']} = {ratio:.2f}x "
                    f"(per repeat {min(per_rep):.2f}..{max(per_rep):.2f}; "
                    f"CPU time per buffer, theirs / ours: {cpu_ratio:.2f}; "
                    f"of a copy's {o['copy_bytes_per_s'] / 1e9:.2f} GB/s: "
                    f"ours {o['fraction_of_copy']:.3f}, theirs "
                    f"{best['fraction_of_copy']:.3f})")
        comparisons.append(entry)

    load_after = os.getloadavg()
    log(f"bench-kernels: done in {time.monotonic() - started:.0f} s; load "
        f"average {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    doc = {
        "benchmark": "kernels vs stock elements",
        "mode": mode,
        "machine": {"host": platform.node(), "cpu": cpu_name(),
                    "cores": os.cpu_count(), "kernel": platform.release(),
                    "load_before": load_before, "load_after": load_after},
        "backend": args.backend,
        "gstreamer": Gst.version_string(),
        "video": f"{WIDTH}x{HEIGHT}", "audio": f"{RATE} Hz x {CHANNELS} ch "
        f"F32LE, {AUDIO_FRAMES}-frame buffers",
        "timing": "steady state, first buffer to EOS at the sink; median "
        "of interleaved repeats",
        "copy": "fraction_of_copy: input bytes per second over those of a "
        "memmove of the same buffers' bytes (round robin, timed before each "
        "repeat in the same run): the share of this machine's memory "
        "bandwidth a contender reaches",
        "repeats": repeats, "seconds_per_run": seconds,
        "pairs": headline, "comparisons": comparisons,
    }
    text = json.dumps(doc, indent=2)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    log_path = args.log or (os.path.splitext(args.json)[0] + ".log"
                            if args.json else None)
    if log_path:
        with open(log_path, "w") as f:
            f.write(f"$ {' '.join(sys.argv)}\n" + "\n".join(LOG) + "\n")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
