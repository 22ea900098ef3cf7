#!/usr/bin/python3
# gst-ringkernel
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Ring-kernel elements against the stock GStreamer elements doing the
same work, side by side in one run (a benchmark, not a test).

Each pair gets the same input with the same caps: frames or sample blocks
made once (videotestsrc / audiotestsrc white noise), queued in an appsrc
before the pipeline starts, so the source costs nothing while timing.
Contenders run interleaved, `--repeats` times each; the figure is the
median wall time from PLAYING to EOS, and the ratio is our throughput over
theirs (> 1: we are faster).

Uses Debian's /usr/bin/python3 (python3-gi): audiofirfilter's kernel
cannot be set from gst-launch.

  GST_PLUGIN_PATH_1_0=build/plugin pipelines/bench/bench-kernels.py \
      [--quick] [--only NAME] [-o pipelines/bench/results/kernels-cpu.json]
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

WIDTH, HEIGHT, FPS = 1920, 1080, 30
RATE, CHANNELS, AUDIO_FRAMES = 48000, 32, 4800   # 100 ms blocks


def video_caps(fmt):
    return (f"video/x-raw,format={fmt},width={WIDTH},height={HEIGHT},"
            f"framerate={FPS}/1")


AUDIO_CAPS = (f"audio/x-raw,format=F32LE,layout=interleaved,rate={RATE},"
              f"channels={CHANNELS},channel-mask=(bitmask)0")


def make_buffers(src_desc, caps, count):
    """Renders `count` buffers of `caps` once, with running timestamps."""
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

    def __init__(self, desc, caps, distinct, duration_ns):
        self.caps = caps
        self.bufs = make_buffers(desc, caps, distinct)
        self.duration = duration_ns

    def feed(self, appsrc, count):
        for i in range(count):
            b = self.bufs[i % len(self.bufs)].copy()
            b.pts = i * self.duration
            b.dts = Gst.CLOCK_TIME_NONE
            b.duration = self.duration
            b.offset = Gst.BUFFER_OFFSET_NONE
            appsrc.emit("push-buffer", b)
        appsrc.emit("end-of-stream")


def run_once(desc, inp, count, setup=None):
    p = Gst.parse_launch(
        f"appsrc name=src format=time block=false max-bytes=0 "
        f"caps=\"{inp.caps}\" ! {desc} ! fakesink name=sink sync=false")
    if setup:
        setup(p)
    inp.feed(p.get_by_name("src"), count)
    bus = p.get_bus()
    t0 = time.perf_counter()
    p.set_state(Gst.State.PLAYING)
    m = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE,
                               Gst.MessageType.EOS | Gst.MessageType.ERROR)
    wall = time.perf_counter() - t0
    p.set_state(Gst.State.NULL)
    if m.type == Gst.MessageType.ERROR:
        err, dbg = m.parse_error()
        sys.exit(f"bench-kernels: \"{desc}\" failed: {err.message} ({dbg})")
    return wall


def has(*factories):
    return all(Gst.ElementFactory.find(f) is not None for f in factories)


def set_fir_kernel(n_taps):
    taps = [((i * 7919) % 101 - 50) / (50.0 * n_taps) for i in range(n_taps)]

    def setup(p):
        p.get_by_name("fir").set_property("kernel", taps)
    return taps, setup


def taps_string(taps):
    return "<" + ", ".join(repr(t) for t in taps) + ">"


def pairs(quick):
    """(name, note, input key, units per buffer, ours, theirs) per pair; a
    contender is (label, pipeline fragment, setup or None, factories)."""
    out = []
    taps64, fir64 = set_fir_kernel(64)
    taps512, fir512 = set_fir_kernel(512)
    out += [
        ("gray", "RGBA to GRAY8; videoconvert in its default single thread "
         "and with n-threads=2", "RGBA", [
             ("rkgray", "rkgray", None, ["rkgray"]),
             ("videoconvert", "videoconvert ! video/x-raw,format=GRAY8",
              None, ["videoconvert"]),
             ("videoconvert n-threads=2",
              "videoconvert n-threads=2 ! video/x-raw,format=GRAY8", None,
              ["videoconvert"])]),
        ("blur", "sigma 1.2 on one 8-bit plane: rkblur on GRAY8, gaussianblur "
         "on the luma of AYUV (it blurs luma only); rkblur on RGBA does 4 "
         "planes", "GRAY8+AYUV+RGBA", [
             ("rkblur GRAY8", "rkblur sigma=1.2", None, ["rkblur"], "GRAY8"),
             ("rkblur RGBA", "rkblur sigma=1.2", None, ["rkblur"], "RGBA"),
             ("gaussianblur AYUV", "gaussianblur sigma=1.2", None,
              ["gaussianblur"], "AYUV")]),
        ("sobel", "colour in, Sobel out: rkgray ! rksobel from RGBA (GRAY8 "
         "out) vs cvsobel mask=false from RGB (grays inside, RGB out); "
         "rksobel alone on GRAY8 for reference", "RGBA+RGB+GRAY8", [
             ("rkgray ! rksobel", "rkgray ! rksobel", None,
              ["rkgray", "rksobel"], "RGBA"),
             ("rksobel GRAY8", "rksobel", None, ["rksobel"], "GRAY8"),
             ("cvsobel", "cvsobel mask=false", None, ["cvsobel"], "RGB")]),
        ("bgsub", "RGBA in; rkbgsub: running average + GRAY8 mask; "
         "segmentation: OpenCV MOG2 (its default) + RGBA out", "RGBA", [
             ("rkbgsub", "rkbgsub", None, ["rkbgsub"]),
             ("segmentation", "segmentation", None, ["segmentation"])]),
        ("fir64", "64 taps, 32 channels, same taps both sides", "AUDIO", [
            ("rkfir", f"rkfir taps=\"{taps_string(taps64)}\"", None,
             ["rkfir"]),
            ("audiofirfilter", "audiofirfilter name=fir", fir64,
             ["audiofirfilter"])]),
        ("fir512", "512 taps, 32 channels, same taps both sides", "AUDIO", [
            ("rkfir", f"rkfir taps=\"{taps_string(taps512)}\"", None,
             ["rkfir"]),
            ("audiofirfilter", "audiofirfilter name=fir", fir512,
             ["audiofirfilter"])]),
        ("spectrum", "128 bands per channel (multi-channel), 100 ms interval, "
         "messages posted", "AUDIO", [
             ("rkspectrum", "rkspectrum bands=128 multi-channel=true", None,
              ["rkspectrum"]),
             ("spectrum", "spectrum bands=128 multi-channel=true", None,
              ["spectrum"])]),
        ("anomaly", "per-channel running statistics: rkanomaly (Welford, "
         "z-score events) vs level (RMS/peak/decay, 100 ms messages)",
         "AUDIO", [
             ("rkanomaly", "rkanomaly", None, ["rkanomaly"]),
             ("level", "level", None, ["level"])]),
    ]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true",
                    help="fewer buffers and repeats")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", action="append", help="pair name (repeatable)")
    ap.add_argument("-o", "--output", help="JSON file")
    args = ap.parse_args()
    Gst.init(None)

    frames = 20 if args.quick else 60
    blocks = 50 if args.quick else 200     # 5 s or 20 s of audio
    repeats = 2 if args.quick else args.repeats

    inputs = {}

    def video(fmt):
        if fmt not in inputs:
            inputs[fmt] = Input("videotestsrc pattern=ball motion=sweep",
                                video_caps(fmt), 8, Gst.SECOND // FPS)
        return inputs[fmt]

    def audio():
        if "AUDIO" not in inputs:
            inputs["AUDIO"] = Input(
                f"audiotestsrc wave=white-noise samplesperbuffer={AUDIO_FRAMES}",
                AUDIO_CAPS, 10, Gst.SECOND * AUDIO_FRAMES // RATE)
        return inputs["AUDIO"]

    results = []
    for name, note, key, contenders in pairs(args.quick):
        if args.only and name not in args.only:
            continue
        entry = {"pair": name, "note": note, "contenders": []}
        runnable = []
        for c in contenders:
            label, desc, setup, factories = c[:4]
            fmt = c[4] if len(c) > 4 else key
            if not has(*factories):
                entry["contenders"].append({"name": label, "missing":
                                            "element not installed"})
                print(f"{name}: {label}: not installed", file=sys.stderr)
                continue
            inp = audio() if fmt == "AUDIO" else video(fmt)
            count = blocks if fmt == "AUDIO" else frames
            runnable.append((label, desc, setup, inp, count, fmt))
        walls = {r[0]: [] for r in runnable}
        for rep in range(repeats):
            for label, desc, setup, inp, count, fmt in runnable:
                w = run_once(desc, inp, count, setup)
                walls[label].append(w)
                print(f"{name} {rep + 1}/{repeats} {label:28s} {w * 1e3:9.1f} ms"
                      f" ({count} buffers)", file=sys.stderr)
        for label, desc, setup, inp, count, fmt in runnable:
            med = statistics.median(walls[label])
            entry["contenders"].append({
                "name": label, "pipeline": f"appsrc caps={inp.caps} ! {desc} "
                "! fakesink sync=false", "buffers": count,
                "wall_s": walls[label], "median_wall_s": med,
                "buffers_per_s": count / med})
        ours = [c for c in entry["contenders"]
                if c["name"].startswith("rk") and "median_wall_s" in c]
        theirs = [c for c in entry["contenders"]
                  if not c["name"].startswith("rk") and "median_wall_s" in c]
        if ours and theirs:
            best = max(theirs, key=lambda c: c["buffers_per_s"])
            entry["ratios"] = {
                o["name"]: o["buffers_per_s"] / best["buffers_per_s"]
                for o in ours}
            entry["against"] = best["name"]
            for o, r in entry["ratios"].items():
                print(f"== {name}: {o} / {best['name']} = {r:.2f}x",
                      file=sys.stderr)
        results.append(entry)

    doc = {
        "benchmark": "kernels vs stock elements",
        "machine": {"host": platform.node(), "cpu": cpu_name(),
                    "cores": os.cpu_count(), "kernel": platform.release()},
        "backend": "cpu",
        "gstreamer": Gst.version_string(),
        "video": f"{WIDTH}x{HEIGHT}", "audio": f"{RATE} Hz x {CHANNELS} ch "
        f"F32LE, {AUDIO_FRAMES}-frame buffers",
        "repeats": repeats, "pairs": results,
    }
    text = json.dumps(doc, indent=2)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


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
