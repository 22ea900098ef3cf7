#!/usr/bin/python3
# gst-ringkernel demo: a real processing chain through ring kernels.
#
# Runs a moving test scene through ring-kernel elements on whatever backend
# backend=auto picks, shows progress, writes a video file and PNG frames,
# and ends with each kernel's stats.
#
# Run it through pipelines/demo.sh, which installs, builds and sets
# GST_PLUGIN_PATH; or by hand with GST_PLUGIN_PATH_1_0=build/plugin.

import argparse
import os
import sys
import time

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402

WIDTH, HEIGHT, FPS = 640, 360, 30


def video_pipeline(args, out):
    """The video chain: colour scene -> rkgray -> tee -> (video file, frames)."""
    return (
        f"videotestsrc pattern=ball num-buffers={args.frames} "
        f"! video/x-raw,format=RGBA,width={WIDTH},height={HEIGHT},framerate={FPS}/1 "
        f"! rkgray name=gray ! tee name=t "
        f"t. ! queue ! videoconvert ! vp8enc deadline=1 cpu-used=8 "
        f"! webmmux ! filesink location={out}/gray.webm "
        f"t. ! queue ! rkecho name=echo ! videoconvert ! video/x-raw,format=GRAY8 "
        f"! appsink name=frames emit-signals=true sync=false max-buffers=4"
    )


def save_png(path, data, width, height, stride):
    """Writes a GRAY8 frame as PNG with GStreamer's own encoder."""
    desc = (
        f"appsrc name=src caps=video/x-raw,format=GRAY8,width={width},"
        f"height={height},framerate=0/1 num-buffers=1 ! pngenc ! "
        f"filesink location={path}"
    )
    p = Gst.parse_launch(desc)
    src = p.get_by_name("src")
    p.set_state(Gst.State.PLAYING)
    src.emit("push-buffer", Gst.Buffer.new_wrapped(bytes(data)))
    src.emit("end-of-stream")
    p.get_bus().timed_pop_filtered(10 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)


def stats_line(element):
    s = element.get_property("stats")
    def g(field):
        ok, v = s.get_uint64(field)
        return v if ok else 0
    return (
        f"{element.get_name():6s} {s.get_string('backend'):7s} "
        f"{s.get_string('mode'):13s} received {g('received'):5d} "
        f"processed {g('processed'):5d} emitted {g('emitted'):5d} "
        f"dropped {g('dropped')} flushed {g('flushed')} "
        f"latency p50 {g('latency-p50') / 1000:8.1f} us "
        f"p99 {g('latency-p99') / 1000:8.1f} us"
    )


def run(args):
    out = os.path.abspath(args.output)
    os.makedirs(out, exist_ok=True)
    pipeline = Gst.parse_launch(video_pipeline(args, out))
    gray = pipeline.get_by_name("gray")
    echo = pipeline.get_by_name("echo")
    frames = pipeline.get_by_name("frames")
    saved = []
    count = [0]
    every = max(args.frames // 4, 1)

    def on_sample(sink):
        sample = sink.emit("pull-sample")
        n = count[0]
        count[0] += 1
        if n % every == 0 and len(saved) < 4:
            buf = sample.get_buffer()
            caps = sample.get_caps().get_structure(0)
            w, h = caps.get_value("width"), caps.get_value("height")
            ok, info = buf.map(Gst.MapFlags.READ)
            stride = (w + 3) & ~3
            rows = b"".join(info.data[y * stride:y * stride + w] for y in range(h))
            buf.unmap(info)
            path = os.path.join(out, f"frame-{n:04d}.png")
            saved.append((path, rows, w, h))
        return Gst.FlowReturn.OK

    frames.connect("new-sample", on_sample)
    bus = pipeline.get_bus()
    start = time.monotonic()
    pipeline.set_state(Gst.State.PLAYING)

    chosen = None
    last = 0.0
    error = None
    while True:
        msg = bus.timed_pop(100 * Gst.MSECOND)
        now = time.monotonic()
        if msg is not None:
            t = msg.type
            if t == Gst.MessageType.INFO and chosen is None:
                err, _ = msg.parse_info()
                chosen = err.message
                print(f"\r[{msg.src.get_name()}] {chosen}")
            elif t == Gst.MessageType.WARNING:
                err, _ = msg.parse_warning()
                print(f"warning: {err.message}")
            elif t == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                error = f"{err.message}\n{dbg}"
                break
            elif t == Gst.MessageType.EOS:
                break
        if now - last >= 0.5 or msg is None:
            done = count[0]
            fps = done / max(now - start, 1e-6)
            print(f"\rframes {done:4d}/{args.frames}  {fps:6.1f} fps\033[K", end="", flush=True)
            last = now
    elapsed = time.monotonic() - start
    print(f"\rframes {count[0]:4d}/{args.frames}  {count[0] / elapsed:6.1f} fps")

    summary = [stats_line(gray), stats_line(echo)]
    s = gray.get_property("stats")
    backend = f"{s.get_string('backend')} ({s.get_string('device')})"
    pipeline.set_state(Gst.State.NULL)
    if error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    for path, rows, w, h in saved:
        save_png(path, rows, w, h, w)

    print()
    print(f"backend: {backend}")
    print("per-kernel stats:")
    for line in summary:
        print("  " + line)
    print(f"wrote {out}/gray.webm and {len(saved)} PNG frames")
    return 0 if count[0] == args.frames else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--frames", type=int, default=300, help="frames to process")
    parser.add_argument("--output", default="pipelines/demo-output", help="output directory")
    args = parser.parse_args()
    Gst.init(None)
    if Gst.ElementFactory.find("rkgray") is None:
        print("rkgray not found: set GST_PLUGIN_PATH_1_0 to the build's plugin/ "
              "directory (pipelines/demo.sh does)", file=sys.stderr)
        return 1
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
