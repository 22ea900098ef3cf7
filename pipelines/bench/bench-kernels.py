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

OpenCV (python3-opencv, optional: pipelines/install-deps.sh --bench)
does the same work on the same frames in the same interleaved repeats,
with its thread count stated (--cv-threads, default 2 = the cores here):
GaussianBlur 13x13 sigma 2 BORDER_REPLICATE, cvtColor RGBA2GRAY, Sobel.
A plain copy of each input frame (numpy, one and two threads; the faster
is the limit) runs beside them: every video kernel's bytes moved per
second (input + output) is given as a fraction of the copy's (read +
write of the same input bytes), and its frames per second as a fraction
of the copy's (frames_over_copy). Without cv2 the OpenCV rows are marked
missing and the rest runs. The audio kernels get the same fraction
against a copy of their input buffers (input + output bytes: rkfir writes
a new buffer, rkspectrum and rkanomaly pass theirs on).

The video kernels that compute more than they move (rkblur, rksobel)
are set against this CPU's integer vector peak (16-bit pairwise
multiply-adds and 32-bit adds, as rkblur runs them), the audio ones
(rkfir, rkspectrum, rkanomaly) against its single-precision vector peak,
both measured by `rkbench simd-peak` before and after the kernels (the
larger counts): operations per second (the count each pair's JSON gives,
"ops_formula", over the buffers per second) as a fraction of the peak of
the code the kernels are built as (AVX2; for floats a multiply and an
add, never fused) and of the widest the CPU has (AVX-512, or AVX2 FMA
with an FMA counting 2), on 2 threads (the kernels
use both cores; the 1-thread fractions are in the JSON too).

--scaling adds each video kernel at 480p, 1080p and 4K with grid-size 1
and 2, beside OpenCV with 1 and 2 threads and the copy at the same size.

  bench-kernels.py [--build-dir build] [--json FILE] [--quick | --smoke]
                   [--backend cpu|vulkan|cuda] [--cv-threads N] [--scaling]

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
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import concurrent.futures

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

WIDTH, HEIGHT, FPS = 1920, 1080, 30
SCALING_SIZES = [("480p", 854, 480), ("1080p", 1920, 1080),
                 ("4K", 3840, 2160)]
BPP = {"GRAY8": 1, "RGBA": 4}

try:
    import numpy as np
    import cv2
except ImportError:     # optional: benchmarks only
    np = cv2 = None
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

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# rkbench simd-peak per mode: seconds per measurement, repeats
PEAK_RUN = {"smoke": (0.02, 1), "quick": (0.2, 2), "full": (0.4, 3)}
# The peak the fractions use: both cores, as the kernels run (grid-size
# defaults to one block per core)
PEAK_THREADS = "2"


def log(msg):
    LOG.append(msg)
    print(msg, file=sys.stderr, flush=True)


def video_caps(fmt, width=WIDTH, height=HEIGHT):
    return (f"video/x-raw,format={fmt},width={width},height={height},"
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

    def __init__(self, desc, caps, distinct, duration_ns, limits, fmt=None,
                 width=WIDTH, height=HEIGHT):
        # fmt: a video format of BPP, or "AUDIO" (a buffer is a frame)
        self.caps = caps
        self.bufs = make_buffers(desc, caps, distinct)
        self.duration = duration_ns
        self.limits = limits
        self.fmt, self.width, self.height = fmt, width, height
        self._arrays = None

    def frame_bytes(self):
        """Bytes of one frame without row padding (audio: of a buffer)."""
        if self.fmt == "AUDIO":
            return self.bufs[0].get_size()
        return self.width * self.height * BPP[self.fmt]

    def arrays(self):
        """The same frames as numpy arrays (h × w or h × w × 4), rows
        unpadded, for the Python contenders; audio buffers as bytes."""
        if self._arrays is None and self.fmt == "AUDIO":
            self._arrays = []
            for b in self.bufs:
                ok, m = b.map(Gst.MapFlags.READ)
                self._arrays.append(np.frombuffer(m.data,
                                                  dtype=np.uint8).copy())
                b.unmap(m)
        if self._arrays is None:
            bpp = BPP[self.fmt]
            self._arrays = []
            for b in self.bufs:
                ok, m = b.map(Gst.MapFlags.READ)
                a = np.frombuffer(m.data, dtype=np.uint8).copy()
                b.unmap(m)
                stride = a.size // self.height
                a = a.reshape(self.height, stride)[:, :self.width * bpp]
                a = np.ascontiguousarray(a)
                if bpp > 1:
                    a = a.reshape(self.height, self.width, bpp)
                self._arrays.append(a)
        return self._arrays

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
    if c.py:
        return run_python(c, inp, count)
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


def run_python(c, inp, count):
    """A contender in Python (OpenCV, a copy): the same frames in turn,
    each call timed as a whole, after one untimed call."""
    step = c.py(inp.arrays())
    step(0)
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    for i in range(count):
        step(i)
    wall = time.perf_counter() - t0
    c.ran_on |= {c.kind}
    return count / wall, (cpu_seconds() - cpu0) / count, wall


def opencv(threads, fn):
    """An OpenCV contender: fn(src, dst) on each frame in turn into one
    preallocated output, with `threads` threads."""
    def make(frames):
        cv2.setNumThreads(threads)
        dst = fn(frames[0], None)

        def step(i):
            fn(frames[i % len(frames)], dst)
        return step
    return make


def cv_blur(src, dst):
    return cv2.GaussianBlur(src, (13, 13), 2.0, dst=dst, sigmaY=2.0,
                            borderType=cv2.BORDER_REPLICATE)


def cv_gray(src, dst):
    return cv2.cvtColor(src, cv2.COLOR_RGBA2GRAY, dst=dst)


def cv_sobel(src, dst):
    gx = cv2.Sobel(src, cv2.CV_16S, 1, 0, ksize=3,
                   borderType=cv2.BORDER_REPLICATE)
    gy = cv2.Sobel(src, cv2.CV_16S, 0, 1, ksize=3,
                   borderType=cv2.BORDER_REPLICATE)
    return cv2.add(cv2.convertScaleAbs(gx), cv2.convertScaleAbs(gy), dst=dst)


def copy_frames(threads):
    """A plain copy of each frame into one preallocated array, on one
    thread (numpy: memcpy) or split in row halves over two."""
    def make(frames):
        dst = np.empty_like(frames[0])
        if threads == 1:
            def step(i):
                np.copyto(dst, frames[i % len(frames)])
            return step
        pool = concurrent.futures.ThreadPoolExecutor(threads)
        h = dst.shape[0]
        cuts = [h * k // threads for k in range(threads + 1)]

        def part(src, k):
            np.copyto(dst[cuts[k]:cuts[k + 1]], src[cuts[k]:cuts[k + 1]])

        def step(i):
            src = frames[i % len(frames)]
            list(pool.map(lambda k: part(src, k), range(threads)))
        return step
    return make


def simd_peak(rkbench, mode):
    """One `rkbench simd-peak` run: its "simd_peak" object, or None."""
    seconds, repeats = PEAK_RUN[mode]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "peak.json")
        r = subprocess.run([rkbench, "simd-peak", "--seconds", str(seconds),
                            "--repeats", str(repeats), "--json", out],
                           stderr=subprocess.PIPE, text=True)
        for line in r.stderr.splitlines():
            log(line)
        if r.returncode != 0:
            log(f"bench-kernels: rkbench simd-peak failed ({r.returncode})")
            return None
        with open(out) as f:
            return json.load(f)["simd_peak"]


def merge_peaks(runs):
    """The larger of each measurement over the runs, by role and thread
    count: operations per second."""
    runs = [r for r in runs if r]
    if not runs:
        return None
    best = {}
    for r in runs:
        for m in r["measurements"]:
            key = f"{m['role']}_ops_per_s"
            t = str(m["threads"])
            best.setdefault(key, {})[t] = max(
                best.get(key, {}).get(t, 0.0), m["best_ops_per_s"])
    isas = {k: v for k, v in runs[0].items() if k.endswith("_isa")}
    return {**isas,
            "threads": int(PEAK_THREADS), **best,
            "counting": runs[0]["counting"], "runs": runs}


def peak_fraction(d, ops, peak):
    """Operations per second of contender d (ops: Ops per buffer) and
    their fraction of the peaks."""
    rate = d["median_buffers_per_s"]
    ops_s = ops.count * rate
    r = {"ops_per_buffer": ops.count, "ops_formula": ops.formula,
         "ops_precision": ops.precision,
         "ops_per_s": ops_s}
    if ops.direct:
        r.update({"direct_form_ops_per_buffer": ops.direct,
                  "direct_form_ops_per_s": ops.direct * rate})
    # integer operations against the integer peak (where it was measured:
    # x86); double precision against half the single-precision one, the
    # same vectors holding half the lanes
    role, widest, div = ("int", "int-widest", 1.0) if ops.integer else \
        ("kernels", "widest", 2.0 if ops.fp64 else 1.0)
    if peak and f"{role}_ops_per_s" in peak:
        k = peak[f"{role}_ops_per_s"]
        w = peak[f"{widest}_ops_per_s"]
        r.update({"peak_isa": peak[f"{role}_isa"],
                  "peak_ops_per_s": k[PEAK_THREADS] / div,
                  "peak_fraction": ops_s / (k[PEAK_THREADS] / div),
                  "peak_fraction_1_thread": ops_s / (k["1"] / div),
                  "widest_isa": peak[f"{widest}_isa"],
                  "widest_peak_ops_per_s": w[PEAK_THREADS] / div,
                  "widest_peak_fraction": ops_s / (w[PEAK_THREADS] / div)})
    return r


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
                 one_to_one=True, py=None, kind=None):
        self.label, self.desc, self.fmt = label, desc, fmt
        self.factories, self.setup = factories, setup
        self.one_to_one = one_to_one
        self.ours = label.startswith("rk")
        self.py = py
        self.kind = kind or ("ours" if self.ours else "stock")
        self.ran_on = set()

    def missing(self):
        if self.py:
            return None if cv2 is not None else \
                "python3-opencv not installed (install-deps.sh --bench)"
        return None if has(*self.factories) else "element not installed"


def cv_contender(label, fmt, fn, threads):
    return C(f"{label} ({threads} thread{'s' if threads > 1 else ''})",
             None, fmt, [], py=opencv(threads, fn), kind="opencv")


def copy_contenders(fmt):
    return [C(f"copy {fmt} ({n} thread{'s' if n > 1 else ''})", None, fmt,
              [], py=copy_frames(n), kind="copy") for n in (1, 2)]


class Ours:
    """A headline row: our contender, the OpenCV one doing the same work,
    the copies of its input, its bytes out per byte in, and for a
    compute-bound kernel its operations per buffer (Ops)."""

    def __init__(self, label, opencv=None, copy_fmt=None, out_per_in=1.0,
                 ops=None):
        self.label, self.opencv = label, opencv
        self.copy_fmt, self.out_per_in = copy_fmt, out_per_in
        self.ops = ops


class Ops:
    """Operations per buffer as the kernel runs them: the count, its
    formula, the precision (double-precision operations are set against
    half the single-precision peak: the same vectors hold half as many
    lanes; integer ones against the integer peak), and what a direct
    evaluation would take where the kernel does less (rkfir's FFT
    partitions)."""

    def __init__(self, count, formula, fp64=False, direct=None,
                 integer=False):
        self.count, self.formula = count, formula
        self.fp64, self.direct, self.integer = fp64, direct, integer

    @property
    def precision(self):
        return "int" if self.integer else "fp64" if self.fp64 else "fp32"

    @property
    def unit(self):
        """What "G…op/s" says in the log"""
        return "int " if self.integer else "fp64 " if self.fp64 else ""


FFT_FLOPS = "an N-point complex FFT 5·N·log2 N (radix 2: N/2·log2 N " \
    "butterflies of 10)"


def fft_ops(n):
    return 5 * n * math.log2(n)


def fir_ops(n_taps, channels=CHANNELS, frames=AUDIO_FRAMES):
    """rkfir (backends/cpu/kernels/gstrkcpufir.c): head sums direct over
    the first P = 64 taps, the other taps by a partitioned convolution per
    block of P frames: one 2P-point FFT forward and one back per pair of
    channels (two real channels share one complex transform), Q
    multiply-adds of complex spectra per bin."""
    P, K = 64, n_taps
    Q = -(-(K - P) // P) if K > P else 0
    pairs = -(-channels // 16) * 8      # groups of 16 channels, 8 lanes
    head = channels * frames * (2 * min(K, P) + 1)
    tail = (frames / P * pairs * (2 * fft_ops(2 * P) + 8 * 2 * P * Q +
                                  2 * P)) if Q else 0
    return Ops(head + tail,
               "C·S·(2·min(K, P) + 1) head sums, + S/P · ⌈C/16⌉·8 channel "
               "pairs · (2 FFTs of 2P + 8·2P·Q complex multiply-adds + 2P "
               "scalings) when K > P; P = 64, Q = ⌈(K − P)/P⌉, C channels, "
               f"S frames a buffer, K taps; {FFT_FLOPS}",
               direct=channels * frames * K * 2)


def spectrum_ops(bands, multi, channels=CHANNELS, frames=AUDIO_FRAMES):
    """rkspectrum (gstrkcpuspectrum.c, gstrkcpufft.c), one buffer = one
    100 ms interval: ⌊S/nfft⌋ windows (at least 1) per spectrum, each
    windowed, transformed (radix 2 when nfft is a power of two, otherwise
    as L = nfft/2 complex points through Bluestein: chirp, FFT of h, product,
    FFT back, chirp, then the split into bands), its bands' magnitudes
    summed; without multi-channel the frames' mean first."""
    nfft = 2 * bands - 2
    h = 0
    if nfft & (nfft - 1):
        half = nfft // 2
        h = 1
        while h < 2 * half - 1:
            h *= 2
        per = (nfft + 6 * half + 2 * fft_ops(h) + 6 * h + 6 * half +
               16 * bands + 5 * bands)
    else:
        per = nfft + fft_ops(nfft) + 5 * bands
    windows = max(1, frames // nfft)
    cols = channels if multi else 1
    mix = 0 if multi else frames * channels
    return Ops(windows * cols * per + mix,
               "windows · spectra · (nfft window + 6·L chirp + 2 FFTs of h + "
               "6·h product + 6·L chirp + 16·bands split + 5·bands "
               "magnitude sums), nfft = 2·bands − 2, L = nfft/2 complex "
               "points (the real window's pairs), h the power of two ≥ 2·L − "
               "1 (Bluestein; nfft + FFT of nfft + 5·bands where nfft is a "
               "power of two), windows = max(1, ⌊S/nfft⌋) a 100 ms buffer of "
               "S frames, spectra = C channels or 1 (+ C·S to mix the "
               f"channels down); {FFT_FLOPS}; log10 and the threshold not "
               "counted")


def blur_ops(sigma, channels, width=WIDTH, height=HEIGHT):
    """rkblur's specification (runtime/kernels/gstrkblur.c) per channel
    sample: the horizontal pass K multiplies, K − 1 adds, the rounding add
    and the shift; the vertical pass the same."""
    k = 2 * math.ceil(3 * sigma) + 1 if sigma > 0 else 1
    return Ops(width * height * channels * 2 * (2 * k + 1),
               f"W·H·channels·2·(2K + 1): per channel sample and pass K "
               f"multiplies, K − 1 adds, the rounding add and the shift; "
               f"K = 2·⌈3σ⌉ + 1 = {k} taps; integer", integer=True)


def sobel_ops(width=WIDTH, height=HEIGHT):
    """rksobel's specification (runtime/kernels/gstrksobel.c) per pixel."""
    return Ops(width * height * 17,
               "W·H·17: per pixel gx and gy 6 each (5 adds or subtracts and "
               "the doubling), gx² + gy² 3, the root 1, the clamp 1; "
               "integer (the root in single precision)", integer=True)


def anomaly_ops(channels=CHANNELS, frames=AUDIO_FRAMES):
    """rkanomaly (gstrkcpuanomaly.c): per sample, in double, d = x − mean,
    d², the screen (its share of a 4-vector sum, a product, a compare:
    about 1), mean += d·r, x − mean, m2 += d·(x − mean)."""
    return Ops(channels * frames * 8,
               "8 double-precision operations per sample (d = x − mean, d², "
               "screen ≈ 1, mean += d·r: 2, x − mean, m2 += d·(x − mean): 2),"
               " C·S a buffer", fp64=True)


def pairs(cv_threads=2):
    """(name, workload, note, contenders, headline rows: Ours)."""
    taps64, fir64 = fir_taps(64)
    taps512, fir512 = fir_taps(512)
    t = cv_threads
    return [
        ("gray", "RGBA→GRAY8 1080p",
         "videoconvert in its default single thread and with n-threads=2; "
         "the faster is the reference. OpenCV cvtColor RGBA2GRAY", [
             C("rkgray", "rkgray", "RGBA", ["rkgray"]),
             C("videoconvert", "videoconvert ! video/x-raw,format=GRAY8",
               "RGBA", ["videoconvert"]),
             C("videoconvert n-threads=2",
               "videoconvert n-threads=2 ! video/x-raw,format=GRAY8", "RGBA",
               ["videoconvert"]),
             cv_contender("cvtColor RGBA2GRAY", "RGBA", cv_gray, t),
             *copy_contenders("RGBA")],
         [Ours("rkgray", f"cvtColor RGBA2GRAY ({t} thread"
               f"{'s' if t > 1 else ''})", "RGBA", 0.25)]),
        ("blur", "σ 2 (13 taps), 1080p",
         "rkblur on GRAY8 and RGBA (all 4 planes); gaussianblur on the luma "
         "of AYUV (it blurs luma only); OpenCV GaussianBlur 13x13 σ 2 "
         "BORDER_REPLICATE on the same GRAY8 and RGBA frames", [
             C("rkblur GRAY8", "rkblur sigma=2.0", "GRAY8", ["rkblur"]),
             C("rkblur RGBA", "rkblur sigma=2.0", "RGBA", ["rkblur"]),
             C("gaussianblur AYUV", "gaussianblur sigma=2.0", "AYUV",
               ["gaussianblur"]),
             cv_contender("GaussianBlur GRAY8", "GRAY8", cv_blur, t),
             cv_contender("GaussianBlur RGBA", "RGBA", cv_blur, t),
             *copy_contenders("GRAY8"), *copy_contenders("RGBA")],
         [Ours("rkblur GRAY8", f"GaussianBlur GRAY8 ({t} thread"
               f"{'s' if t > 1 else ''})", "GRAY8", ops=blur_ops(2.0, 1)),
          Ours("rkblur RGBA", f"GaussianBlur RGBA ({t} thread"
               f"{'s' if t > 1 else ''})", "RGBA", ops=blur_ops(2.0, 4))]),
        ("sobel", "colour in, edges out 1080p",
         "rkgray ! rksobel from RGBA: BT.601 luma, then both 3x3 Sobel "
         "gradients and the exact magnitude min(255, floor(sqrt(gx²+gy²))), "
         "GRAY8 out. cvsobel mask=false from RGB (it takes RGB only): "
         "luma, then with its default x-order=1 y-order=0 ONE 3x3 Sobel "
         "derivative (x) saturated to 0..255 (negative edges become 0), "
         "RGB out. rksobel alone on GRAY8 is shown for reference, beside "
         "OpenCV on the same GRAY8 frames: Sobel x and y (CV_16S, "
         "replicated borders), |gx| + |gy| saturated (an L1 magnitude, "
         "cheaper than the exact one)", [
             C("rkgray ! rksobel", "rkgray ! rksobel", "RGBA",
               ["rkgray", "rksobel"]),
             C("rksobel GRAY8", "rksobel", "GRAY8", ["rksobel"]),
             C("cvsobel", "cvsobel mask=false", "RGB", ["cvsobel"]),
             cv_contender("Sobel x,y |gx|+|gy| GRAY8", "GRAY8", cv_sobel, t),
             *copy_contenders("GRAY8")],
         [Ours("rkgray ! rksobel"),
          Ours("rksobel GRAY8", f"Sobel x,y |gx|+|gy| GRAY8 ({t} thread"
               f"{'s' if t > 1 else ''})", "GRAY8", ops=sobel_ops())]),
        ("bgsub", "background subtraction RGBA 1080p",
         "rkbgsub: running average + GRAY8 mask; segmentation: OpenCV MOG2 "
         "(its default) + RGBA out. rkbgsub's bytes moved: the RGBA frame "
         "in, the GRAY8 mask out and its 16-bit background read and "
         "written (2.25 × the input)", [
             C("rkbgsub", "rkbgsub", "RGBA", ["rkbgsub"]),
             C("segmentation", "segmentation", "RGBA", ["segmentation"]),
             *copy_contenders("RGBA")],
         [Ours("rkbgsub", copy_fmt="RGBA", out_per_in=1.25)]),
        ("fir64", "FIR 64 taps, 32 ch F32",
         "same taps both sides", [
             C("rkfir", f"rkfir taps=\"{taps_string(taps64)}\"", "AUDIO",
               ["rkfir"]),
             C("audiofirfilter", "audiofirfilter name=fir", "AUDIO",
               ["audiofirfilter"], fir64, one_to_one=False),
             *copy_contenders("AUDIO")],
         [Ours("rkfir", copy_fmt="AUDIO", ops=fir_ops(64))]),
        ("fir512", "FIR 512 taps, 32 ch F32",
         "same taps both sides", [
             C("rkfir", f"rkfir taps=\"{taps_string(taps512)}\"", "AUDIO",
               ["rkfir"]),
             C("audiofirfilter", "audiofirfilter name=fir", "AUDIO",
               ["audiofirfilter"], fir512, one_to_one=False),
             *copy_contenders("AUDIO")],
         [Ours("rkfir", copy_fmt="AUDIO", ops=fir_ops(512))]),
        ("spectrum", "128 bands × 32 ch, 100 ms",
         "multi-channel, messages posted", [
             C("rkspectrum", "rkspectrum bands=128 multi-channel=true",
               "AUDIO", ["rkspectrum"]),
             C("spectrum", "spectrum bands=128 multi-channel=true", "AUDIO",
               ["spectrum"]),
             *copy_contenders("AUDIO")],
         [Ours("rkspectrum", copy_fmt="AUDIO", out_per_in=0.0,
               ops=spectrum_ops(128, True))]),
    ] + [
        # Every configuration both spectrum elements offer: the spectrum of
        # the channels' mean (both defaults) and one per channel, bands 64
        # to 1024 (the pair above is multi-channel 128). Their copy
        # fraction uses the last copy of the audio measured in the run.
        (f"spectrum-{mode}-{bands}",
         f"{bands} bands × 32 ch, 100 ms, "
         f"{'per channel' if multi else 'channels mixed down'}",
         "messages posted", [
             C("rkspectrum", f"rkspectrum bands={bands} "
               f"multi-channel={str(multi).lower()}", "AUDIO",
               ["rkspectrum"]),
             C("spectrum", f"spectrum bands={bands} "
               f"multi-channel={str(multi).lower()}", "AUDIO",
               ["spectrum"])],
         [Ours("rkspectrum", copy_fmt="AUDIO", out_per_in=0.0,
               ops=spectrum_ops(bands, multi))])
        for multi, mode in ((False, "mean"), (True, "multi"))
        for bands in (64, 128, 256, 512, 1024)
        if (multi, bands) != (True, 128)
    ] + [
        ("anomaly", "running statistics, 32 ch F32",
         "rkanomaly (Welford mean/variance, z-score events) vs level "
         "(RMS/peak/decay, 100 ms messages); both pass the audio through", [
             C("rkanomaly", "rkanomaly", "AUDIO", ["rkanomaly"]),
             C("level", "level", "AUDIO", ["level"]),
             *copy_contenders("AUDIO")],
         [Ours("rkanomaly", copy_fmt="AUDIO", out_per_in=0.0,
               ops=anomaly_ops())]),
    ]


# The scaling runs: kernel, element, format, OpenCV doing the same work,
# its label, output bytes per input byte.
SCALING = [
    ("rkgray", "rkgray", "RGBA", cv_gray, "cvtColor RGBA2GRAY", 0.25),
    ("rkblur GRAY8", "rkblur sigma=2.0", "GRAY8", cv_blur,
     "GaussianBlur GRAY8", 1.0),
    ("rkblur RGBA", "rkblur sigma=2.0", "RGBA", cv_blur, "GaussianBlur RGBA",
     1.0),
    ("rksobel GRAY8", "rksobel", "GRAY8", cv_sobel,
     "Sobel x,y |gx|+|gy| GRAY8", 1.0),
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
    ap.add_argument("--cv-threads", type=int, default=2,
                    help="OpenCV's threads (cv2.setNumThreads), default 2")
    ap.add_argument("--scaling", action="store_true",
                    help="also each video kernel at 480p..4K, grid-size 1, 2")
    args = ap.parse_args()
    names = [p[0] for p in pairs(args.cv_threads)]
    unknown = [n for n in args.only or [] if n not in names]
    if unknown:
        print(f"bench-kernels: no pair named {', '.join(unknown)}; the "
              f"pairs: {' '.join(names)}", file=sys.stderr)
        sys.exit(2)

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

    def input_for(fmt, width=WIDTH, height=HEIGHT):
        key = (fmt, width, height)
        if key not in inputs:
            if fmt == "AUDIO":
                inputs[key] = Input(
                    f"audiotestsrc wave=white-noise "
                    f"samplesperbuffer={AUDIO_FRAMES}", AUDIO_CAPS, 10,
                    Gst.SECOND * AUDIO_FRAMES // RATE, AUDIO_LIMITS, "AUDIO")
            else:
                inputs[key] = Input("videotestsrc pattern=ball motion=sweep",
                                    video_caps(fmt, width, height), 8,
                                    Gst.SECOND // FPS, VIDEO_LIMITS, fmt,
                                    width, height)
        return inputs[key]

    def run_group(name, contenders, size=(WIDTH, HEIGHT), run_s=None):
        """Warms up and sizes each contender (runs of about run_s seconds,
        default --seconds), runs the interleaved repeats; returns the JSON
        of each contender, and those that ran by label."""
        run_s = seconds if run_s is None else run_s
        out, runnable = [], []
        for c in contenders:
            if c.ours and c.desc:
                c.desc = on_backend(c.desc, args.backend)
            why = c.missing()
            if why:
                out.append({"name": c.label, "missing": why})
                log(f"{name}: {c.label}: {why}")
                continue
            inp = input_for(c.fmt, *size)
            warm, lo, hi = inp.limits
            if mode == "smoke":
                count = max(3, warm // 2)
            else:
                rate, _, _ = run_once(c, inp, warm)
                count = int(min(hi, max(lo, run_s * rate)))
                log(f"{name} warm-up {c.label:34s} {rate:10.1f} buffers/s "
                    f"-> {count} buffers a run")
            runnable.append((c, inp, count))

        rates = {c.label: [] for c, _, _ in runnable}
        cpus = {c.label: [] for c, _, _ in runnable}
        walls = {c.label: [] for c, _, _ in runnable}
        for rep in range(repeats):
            order = runnable if rep % 2 == 0 else list(reversed(runnable))
            for c, inp, count in order:
                rate, cpu, wall = run_once(c, inp, count)
                rates[c.label].append(rate)
                cpus[c.label].append(cpu)
                walls[c.label].append(wall)
                log(f"{name} {rep + 1}/{repeats} {c.label:34s} "
                    f"{rate:10.1f} buffers/s {1e3 / rate:9.3f} ms/buffer "
                    f"{cpu * 1e3:8.3f} CPU ms/buffer ({count} buffers, "
                    f"{wall:.2f} s wall)")

        by_label = {}
        for c, inp, count in runnable:
            med = statistics.median(rates[c.label])
            if c.py:
                pipeline = f"python: {c.label} on {inp.caps}"
            else:
                pipeline = (f"appsrc caps={inp.caps} ! {c.desc} ! "
                            "fakesink sync=false")
            d = {"name": c.label, "kind": c.kind, "ours": c.ours,
                 "ran_on": sorted(c.ran_on), "pipeline": pipeline,
                 "buffers": count,
                 "buffers_per_s": rates[c.label],
                 "median_buffers_per_s": med,
                 "median_ms_per_buffer": 1e3 / med,
                 "cpu_ms_per_buffer": [v * 1e3 for v in cpus[c.label]],
                 "median_cpu_ms_per_buffer":
                 statistics.median(cpus[c.label]) * 1e3,
                 "wall_s": walls[c.label]}
            if inp.fmt in BPP or inp.fmt == "AUDIO":
                d["frame_bytes"] = inp.frame_bytes()
            out.append(d)
            by_label[c.label] = d
        return out, by_label

    copies_seen = {}    # the latest copy of each label, from any pair

    def copy_limit(by_label, fmt):
        """The faster copy of the frames of fmt: bytes read + written per
        second. A pair without copies of its own takes the latest measured
        in the run."""
        copies = [d for d in by_label.values() if d["kind"] == "copy" and
                  d["name"].startswith(f"copy {fmt} ")]
        if not copies:
            copies = [d for name, d in copies_seen.items()
                      if name.startswith(f"copy {fmt} ")]
        if not copies:
            return None, None
        best = max(copies, key=lambda d: d["median_buffers_per_s"])
        return best, 2 * best["frame_bytes"] * best["median_buffers_per_s"]

    def limit_fraction(d, o, by_label):
        """Bytes moved per second by d (input + output) over the copy's."""
        best, copy_bps = copy_limit(by_label, o.copy_fmt)
        if best is None:
            return None, None
        ours_bps = (d["frame_bytes"] * (1 + o.out_per_in) *
                    d["median_buffers_per_s"])
        # and frames per second over the copy's (of the same input frame)
        return ours_bps / copy_bps, {
            "copy": best["name"], "copy_bytes_per_s": copy_bps,
            "ours_bytes_per_s": ours_bps,
            "frames_over_copy": d["median_buffers_per_s"] /
            best["median_buffers_per_s"]}

    def ratio_of(o, t):
        per_rep = [a / b for a, b in zip(o["buffers_per_s"],
                                          t["buffers_per_s"])]
        return (o["median_buffers_per_s"] / t["median_buffers_per_s"],
                min(per_rep), max(per_rep))

    rkbench = os.path.join(os.path.abspath(args.build_dir or
                                           os.path.join(ROOT, "build")),
                           "pipelines", "bench", "rkbench")
    peak_runs = []
    if args.backend == "cpu":   # the peak is the CPU's
        if os.access(rkbench, os.X_OK):
            peak_runs.append(simd_peak(rkbench, mode))
        else:
            log(f"bench-kernels: no {rkbench}: no SIMD peak (build it)")

    comparisons, headline, with_ops = [], [], []
    for name, workload, note, contenders, ours_rows in pairs(args.cv_threads):
        if args.only and name not in args.only:
            continue
        entry = {"pair": name, "workload": workload, "note": note}
        entry["contenders"], by_label = run_group(name, contenders)
        copies_seen.update({k: d for k, d in by_label.items()
                            if d["kind"] == "copy"})
        stock = [d for d in by_label.values() if d["kind"] == "stock"]
        best = max(stock, key=lambda d: d["median_buffers_per_s"],
                   default=None)
        for o_row in ours_rows:
            if o_row.label not in by_label:
                continue
            o = by_label[o_row.label]
            h = {"pair": name, "ours": o_row.label, "workload": workload,
                 "ours_buffers_per_s": o["median_buffers_per_s"],
                 "ours_cpu_ms_per_buffer": o["median_cpu_ms_per_buffer"],
                 "ran_on": o["ran_on"]}
            line = f"== {name}: {o_row.label} on {'+'.join(o['ran_on'])}"
            if best:
                ratio, lo, hi = ratio_of(o, best)
                cpu_ratio = (best["median_cpu_ms_per_buffer"] /
                             o["median_cpu_ms_per_buffer"])
                h.update({"stock": best["name"], "ratio": ratio,
                          "ratio_min": lo, "ratio_max": hi,
                          "stock_buffers_per_s": best["median_buffers_per_s"],
                          "stock_cpu_ms_per_buffer":
                          best["median_cpu_ms_per_buffer"],
                          "cpu_ratio": cpu_ratio})
                line += (f" / {best['name']} = {ratio:.2f}x (per repeat "
                         f"{lo:.2f}..{hi:.2f}; CPU time per buffer, theirs "
                         f"/ ours: {cpu_ratio:.2f})")
            cv = by_label.get(o_row.opencv) if o_row.opencv else None
            if cv:
                ratio, lo, hi = ratio_of(o, cv)
                h.update({"opencv": cv["name"], "opencv_ratio": ratio,
                          "opencv_ratio_min": lo, "opencv_ratio_max": hi,
                          "opencv_buffers_per_s": cv["median_buffers_per_s"],
                          "opencv_threads": args.cv_threads})
                line += (f"; / OpenCV {cv['name']} = {ratio:.2f}x "
                         f"({lo:.2f}..{hi:.2f})")
            if o_row.copy_fmt:
                frac, detail = limit_fraction(o, o_row, by_label)
                if frac is not None:
                    h.update({"limit_fraction": frac, **detail})
                    line += (f"; bytes/s {frac:.3g} of {detail['copy']} "
                             f"({detail['copy_bytes_per_s'] / 1e9:.1f} GB/s), "
                             f"frames/s {detail['frames_over_copy']:.2f} "
                             "of its")
            if o_row.ops:
                # the peak's fractions once it has run again, at the end
                with_ops.append((h, o, o_row.ops))
                gops = o_row.ops.count * o["median_buffers_per_s"] / 1e9
                line += f"; {gops:.1f} G{o_row.ops.unit}op/s"
            headline.append(h)
            log(line)
        comparisons.append(entry)

    scaling = []
    if args.scaling:
        for size, w, h in SCALING_SIZES:
            for kernel, desc, fmt, cv_fn, cv_name, out_per_in in SCALING:
                group = [C(f"{kernel} grid-size={g}",
                           f"{desc} grid-size={g}", fmt, [kernel.split()[0]])
                         for g in (1, 2)]
                group += [cv_contender(cv_name, fmt, cv_fn, t) for t in (1, 2)]
                group += copy_contenders(fmt)
                name = f"scaling {size} {kernel}"
                # 72 groups of six: shorter runs than the pairs'
                _, by_label = run_group(name, group, (w, h), min(seconds, 1.0))
                o_row = Ours(kernel, copy_fmt=fmt, out_per_in=out_per_in)
                for g in (1, 2):
                    d = by_label.get(f"{kernel} grid-size={g}")
                    if d is None:
                        continue
                    cv = by_label.get(f"{cv_name} ({g} thread"
                                      f"{'s' if g > 1 else ''})")
                    frac, detail = limit_fraction(d, o_row, by_label)
                    row = {"kernel": kernel, "size": size, "width": w,
                           "height": h, "grid_size": g,
                           "buffers_per_s": d["median_buffers_per_s"],
                           "ms_per_buffer": d["median_ms_per_buffer"],
                           "cpu_ms_per_buffer": d["median_cpu_ms_per_buffer"],
                           "limit_fraction": frac, **(detail or {})}
                    line = (f"== {name} grid-size={g}: "
                            f"{d['median_buffers_per_s']:.1f} buffers/s")
                    if cv:
                        row.update({"opencv": cv["name"],
                                    "opencv_buffers_per_s":
                                    cv["median_buffers_per_s"],
                                    "opencv_ratio": ratio_of(d, cv)[0]})
                        line += (f", / {cv['name']} "
                                 f"{row['opencv_ratio']:.2f}x")
                    if frac is not None:
                        line += f", bytes/s {frac:.2f} of the copy"
                    scaling.append(row)
                    log(line)

    if peak_runs:
        peak_runs.append(simd_peak(rkbench, mode))
    peak = merge_peaks(peak_runs)
    for h, o, ops in with_ops:
        h.update(peak_fraction(o, ops, peak))
        if "peak_fraction" in h:    # no integer peak off x86
            log(f"== {h['pair']}: {h['ours']}: "
                f"{h['ops_per_s'] / 1e9:.1f} G{ops.unit}"
                f"op/s, {h['peak_fraction']:.3f} of the {h['peak_isa']} peak "
                f"({h['peak_ops_per_s'] / 1e9:.1f} G/s, {PEAK_THREADS} "
                f"threads), {h['widest_peak_fraction']:.3f} of the "
                f"{h['widest_isa']} peak "
                f"({h['widest_peak_ops_per_s'] / 1e9:.1f} G/s)")
            if h["peak_fraction"] > 1:
                log(f"bench-kernels: {h['pair']} above the peak: the peak "
                    "was measured low (a busy machine: see the load "
                    "averages) or the count is wrong")

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
        "repeats": repeats, "seconds_per_run": seconds,
        "opencv": cv2.__version__ if cv2 is not None else None,
        "opencv_threads": args.cv_threads,
        "limit": "bytes moved per second (input + output frame bytes, row "
        "padding left out; rkbgsub: + its background read and written; "
        "audio: buffer bytes, input + output where the kernel writes a new "
        "buffer) over a plain copy's (read + write of "
        "the input; numpy, the faster of one and two threads), same run; "
        "frames_over_copy: frames per second over the copy's",
        "compute_limit": "operations per second (ops_per_buffer, counted "
        "as ops_formula says, times buffers per second) over the SIMD peak "
        "(rkbench simd-peak before and after the kernels, the larger; "
        f"{PEAK_THREADS} threads): peak_fraction of the code the kernels "
        "are built as (multiply and add, never fused), widest_peak_fraction "
        "of the widest the CPU has (FMA = 2 operations); double-precision "
        "operations against half the peak; integer ones (the video kernels) "
        "against the integer peak (16-bit pairwise multiply-adds, 3 "
        "operations, and 32-bit adds): the kernels' AVX2 code and the "
        "widest (AVX-512 BW; rkblur runs that where the CPU has it)",
        "simd_peak": peak,
        "pairs": headline, "comparisons": comparisons, "scaling": scaling,
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
