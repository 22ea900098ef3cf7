#!/usr/bin/python3
"""gst-ringkernel demo: real processing chains through ring kernels.

Video: a moving test scene runs through rkgray -> rkblur -> rksobel (edges)
and, in a parallel branch of the same tee, rkbgsub (motion mask). The three
views are composited side by side into a video file, and a few frames
become a PNG contact sheet (input | edges | motion mask).

Sensors: a multichannel test signal with spikes injected at known sample
offsets runs through rkfir -> rkanomaly; the demo prints the anomalies the
kernel reports, with their HLC stamps, and checks them against the
injected ones.

Everything runs on the backend backend=auto picks; the demo says which.
Run it through pipelines/demo.sh (installs, builds, sets the plugin path).
"""

import argparse
import os
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import Gst  # noqa: E402

WIDTH, HEIGHT, FPS = 480, 270, 30
SHEET_ROWS = 4

RATE, CHANNELS, BLOCK = 48000, 8, 1024
FIR_TAPS = [0.1, 0.2, 0.4, 0.2, 0.1]          # a gentle low-pass
SPIKES = [(20000, 3, 12.0), (41000, 6, -12.0), (63500, 0, 12.0), (82000, 5, 12.0)]
Z_THRESHOLD = 6.0


def log(msg):
    print(msg, flush=True)


def video_pipeline(frames, out):
    w, h = WIDTH, HEIGHT
    return (
        f"videotestsrc pattern=ball num-buffers={frames} background-color=0xff203050 "
        f"foreground-color=0xffe8c040 "
        f"! video/x-raw,format=RGBA,width={w},height={h},framerate={FPS}/1 ! tee name=t "
        f"t. ! queue ! videoconvert ! comp.sink_0 "
        f"t. ! queue ! rkgray name=gray ! rkblur name=blur sigma=1.2 "
        f"! rksobel name=sobel ! videoconvert ! comp.sink_1 "
        f"t. ! queue ! rkbgsub name=bgsub learning-rate=0.05 threshold=25 "
        f"motion-threshold=0.002 ! videoconvert ! comp.sink_2 "
        f"compositor name=comp sink_1::xpos={w} sink_2::xpos={2 * w} "
        f"! video/x-raw,format=RGBA,width={3 * w},height={h} ! tee name=out "
        f"out. ! queue ! videoconvert ! vp8enc deadline=1 cpu-used=8 "
        f"! webmmux ! filesink location={out}/demo.webm "
        f"out. ! queue ! appsink name=frames emit-signals=true sync=false"
    )


def sensor_pipeline():
    taps = ", ".join(repr(t) for t in FIR_TAPS)
    return (
        f"appsrc name=src format=time caps=audio/x-raw,format=F32LE,"
        f"layout=interleaved,rate={RATE},channels={CHANNELS} "
        f'! rkfir name=fir taps="<{taps}>" '
        f"! rkanomaly name=anomaly z-threshold={Z_THRESHOLD} min-samples=4800 "
        f"! fakesink sync=false"
    )


def sensor_signal(n_samples, spikes):
    """Per-channel sines of different frequencies, plus the spikes."""
    import numpy as np
    t = np.arange(n_samples) / RATE
    freqs = 40.0 + 15.0 * np.arange(CHANNELS)
    x = 0.5 * np.sin(2 * np.pi * t[:, None] * freqs[None, :])
    for offset, channel, amplitude in spikes:
        x[offset, channel] += amplitude
    return x.astype("<f4")


def stats_of(element):
    s = element.get_property("stats")
    out = {"name": element.get_name(), "backend": s.get_string("backend"),
           "device": s.get_string("device"), "mode": s.get_string("mode")}
    for f in ("received", "processed", "emitted", "flushed", "dropped",
              "latency-p50", "latency-p99"):
        ok, v = s.get_uint64(f)
        out[f] = v if ok else 0
    return out


def stats_line(st):
    return (f"{st['name']:8s} {st['backend']:6s} {st['mode']:12s} "
            f"received {st['received']:5d} processed {st['processed']:5d} "
            f"emitted {st['emitted']:5d} dropped {st['dropped']} "
            f"latency p50 {st['latency-p50'] / 1000:8.1f} us p99 {st['latency-p99'] / 1000:8.1f} us")


def run_pipeline(pipeline, on_message=None, progress=None):
    """Runs to EOS; prints INFO/WARNING messages; returns an error or None."""
    bus = pipeline.get_bus()
    pipeline.set_state(Gst.State.PLAYING)
    error = None
    last = 0.0
    while True:
        msg = bus.timed_pop(100 * Gst.MSECOND)
        if msg is not None:
            t = msg.type
            if t == Gst.MessageType.INFO:
                err, _ = msg.parse_info()
                log(f"\r[{msg.src.get_name()}] {err.message}\033[K")
            elif t == Gst.MessageType.WARNING:
                err, _ = msg.parse_warning()
                log(f"\rwarning from {msg.src.get_name()}: {err.message}\033[K")
            elif t == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                error = f"{err.message}\n{dbg}"
                break
            elif t == Gst.MessageType.EOS:
                break
            elif t == Gst.MessageType.ELEMENT and on_message:
                on_message(msg)
        now = time.monotonic()
        if progress and now - last >= 0.25:
            progress()
            last = now
    return error


# ---- video ----------------------------------------------------------------

def write_contact_sheet(path, rows):
    """A grid: one row per picked frame, columns input | edges | motion mask."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    titles = ("input", "edges: rkgray → rkblur → rksobel", "motion mask: rkbgsub")
    fig, axes = plt.subplots(len(rows), 3, figsize=(12, 2.4 * len(rows)), squeeze=False)
    for r, n in enumerate(sorted(rows)):
        for c in range(3):
            ax = axes[r][c]
            ax.imshow(rows[n][:, c * WIDTH:(c + 1) * WIDTH, :3])
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(titles[c], fontsize=10)
            if c == 0:
                ax.set_ylabel(f"frame {n}", fontsize=9)
    fig.suptitle("gst-ringkernel demo: one tee, two ring-kernel branches", fontsize=12)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def run_video(args, out):
    import numpy as np

    pipeline = Gst.parse_launch(video_pipeline(args.frames, out))
    names = ("gray", "blur", "sobel", "bgsub")
    kernels = [pipeline.get_by_name(n) for n in names]
    frames = pipeline.get_by_name("frames")
    picks = {round(i * (args.frames - 1) / max(SHEET_ROWS - 1, 1)) for i in range(SHEET_ROWS)}
    rows, count, motion = {}, [0], []
    start = time.monotonic()

    def on_sample(sink):
        sample = sink.emit("pull-sample")
        n = count[0]
        count[0] += 1
        if n in picks:
            buf = sample.get_buffer()
            ok, info = buf.map(Gst.MapFlags.READ)
            rows[n] = np.frombuffer(info.data, dtype=np.uint8).reshape(
                HEIGHT, 3 * WIDTH, 4).copy()
            buf.unmap(info)
        return Gst.FlowReturn.OK

    def on_message(msg):
        s = msg.get_structure()
        if s.get_name() == "ringkernel-motion":
            ok, fraction = s.get_double("fraction")
            ok2, moving = s.get_boolean("motion")
            motion.append((fraction, moving if ok2 else None))

    def progress():
        elapsed = max(time.monotonic() - start, 1e-6)
        print(f"\rvideo: frames {count[0]:4d}/{args.frames}  {count[0] / elapsed:6.1f} fps\033[K",
              end="", flush=True)

    frames.connect("new-sample", on_sample)
    log(f"video: {args.frames} frames of {WIDTH}x{HEIGHT} through "
        "rkgray -> rkblur -> rksobel and rkbgsub (tee)")
    error = run_pipeline(pipeline, on_message, progress)
    progress()
    print()
    stats = [stats_of(k) for k in kernels]
    pipeline.set_state(Gst.State.NULL)
    if error:
        raise RuntimeError(error)

    video = os.path.join(out, "demo.webm")
    sheet = None
    if rows:
        sheet = os.path.join(out, "contact-sheet.png")
        write_contact_sheet(sheet, rows)
    log(f"video: wrote {video} ({os.path.getsize(video)} bytes) and {sheet} "
        f"({len(rows)} frames: input | edges | motion mask); "
        f"{len(motion)} ringkernel-motion messages")
    return stats, count[0] == args.frames


# ---- sensors --------------------------------------------------------------

def run_sensors(args):
    buffers = args.sensor_buffers
    total = buffers * BLOCK
    spikes = [s for s in SPIKES if s[0] < total - len(FIR_TAPS)]
    signal = sensor_signal(total, spikes)
    pipeline = Gst.parse_launch(sensor_pipeline())
    src = pipeline.get_by_name("src")
    kernels = [pipeline.get_by_name("fir"), pipeline.get_by_name("anomaly")]
    found = []

    def feed():
        for b in range(buffers):
            block = signal[b * BLOCK:(b + 1) * BLOCK]
            buf = Gst.Buffer.new_wrapped(block.tobytes())
            buf.pts = Gst.util_uint64_scale(b * BLOCK, Gst.SECOND, RATE)
            buf.duration = Gst.util_uint64_scale(BLOCK, Gst.SECOND, RATE)
            buf.offset = b * BLOCK
            src.emit("push-buffer", buf)
        src.emit("end-of-stream")

    def on_message(msg):
        s = msg.get_structure()
        if s.get_name() == "ringkernel-anomaly":
            found.append({f: s.get_value(f) for f in
                          ("channel", "offset", "value", "z", "hlc-physical",
                           "hlc-logical", "hlc-node")})

    log(f"sensors: {CHANNELS} channels x {total} samples at {RATE} Hz through "
        f"rkfir ({len(FIR_TAPS)} taps) -> rkanomaly (z > {Z_THRESHOLD}); "
        f"{len(spikes)} spikes injected")
    pipeline.set_state(Gst.State.PAUSED)
    feed()
    error = run_pipeline(pipeline, on_message)
    stats = [stats_of(k) for k in kernels]
    pipeline.set_state(Gst.State.NULL)
    if error:
        raise RuntimeError(error)

    for a in found:
        log(f"  anomaly: channel {a['channel']} offset {a['offset']:6d} "
            f"value {a['value']:+8.3f} z {a['z']:+7.1f}  "
            f"HLC ({a['hlc-physical']} us, {a['hlc-logical']}, node {a['hlc-node']:08x})")
    # Each spike must be found on its channel within the FIR's reach of its
    # offset, and nothing else may be reported.
    def near(a, offset, channel):
        return a["channel"] == channel and offset <= a["offset"] < offset + len(FIR_TAPS)

    ok = True
    for offset, channel, _ in spikes:
        hit = any(near(a, offset, channel) for a in found)
        log(f"  injected: channel {channel} offset {offset:6d} -> {'found' if hit else 'MISSED'}")
        ok &= hit
    stray = [a for a in found if not any(near(a, o, c) for o, c, _ in spikes)]
    ok &= not stray
    log(f"sensors: {'all' if ok else 'NOT all'} {len(spikes)} injected anomalies "
        f"detected, {len(stray)} reported where none was injected")
    return stats, ok


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=300, help="video frames to process")
    parser.add_argument("--sensor-buffers", type=int, default=100,
                        help="audio buffers of 1024 samples for the sensor chain")
    parser.add_argument("--output", default="pipelines/demo-output", help="output directory")
    args = parser.parse_args()
    Gst.init(None)
    for element in ("rkgray", "rkblur", "rksobel", "rkbgsub", "rkfir", "rkanomaly"):
        if Gst.ElementFactory.find(element) is None:
            print(f"{element} not found: set GST_PLUGIN_PATH_1_0 to the build's plugin/ "
                  "directory (pipelines/demo.sh does)", file=sys.stderr)
            return 1
    out = os.path.abspath(args.output)
    os.makedirs(out, exist_ok=True)

    try:
        video_stats, video_ok = run_video(args, out)
        sensor_stats, sensor_ok = run_sensors(args)
    except RuntimeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1

    backends = sorted({f"{s['backend']} ({s['device']})" for s in video_stats + sensor_stats})
    print()
    print(f"backend: {', '.join(backends)}")
    print("per-kernel stats:")
    for st in video_stats + sensor_stats:
        print("  " + stats_line(st))
    dropped = sum(s["dropped"] for s in video_stats + sensor_stats)
    print(f"dropped = {dropped}")
    return 0 if video_ok and sensor_ok and dropped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
