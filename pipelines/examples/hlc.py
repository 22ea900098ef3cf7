#!/usr/bin/python3
"""A buffer's HLC stamp and ids from Python (PyGObject).

    python3 pipelines/examples/hlc.py

Runs three rkecho elements in a chain with a pad probe after each, reads
every buffer's GstRkHlcMeta, and checks: each element's buffers carry its
kernel's id (looked up in the runtime the pipeline made) and consecutive
message ids, and each buffer's stamp strictly increases along the chain
and along the stream. Exits 0 when they do.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbuildtree  # noqa: E402

rkbuildtree.setup()

from gi.repository import Gst, GstRk  # noqa: E402

N_BUFFERS = 10
CHAIN = ["first", "second", "third"]


def check(cond, what):
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def main():
    Gst.init(None)
    pipeline = Gst.parse_launch(
        f"fakesrc num-buffers={N_BUFFERS} sizetype=fixed sizemax=16 ! " +
        " ! ".join(f"rkecho name={n} backend=cpu" for n in CHAIN) +
        " ! fakesink")
    seen = {n: [] for n in CHAIN}

    def probe(pad, info, name):
        meta = GstRk.buffer_get_rk_hlc_meta(info.get_buffer())
        s = meta.stamp
        seen[name].append((meta.kernel_id, meta.message_id,
                           (s.physical, s.logical, s.node)))
        return Gst.PadProbeReturn.OK

    for n in CHAIN:
        pipeline.get_by_name(n).get_static_pad("src").add_probe(
            Gst.PadProbeType.BUFFER, probe, n)

    pipeline.set_state(Gst.State.PLAYING)
    msg = pipeline.get_bus().timed_pop_filtered(
        30 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    check(msg is not None and msg.type == Gst.MessageType.EOS,
          "pipeline reaches EOS")

    # The runtime the elements made and share, from the pipeline.
    ok, runtime = GstRk.context_get_runtime(
        pipeline.get_context(GstRk.RUNTIME_CONTEXT_TYPE))
    check(ok, "the pipeline holds the runtime's context")
    for n in CHAIN:
        kernel_id = runtime.get_kernel(n).get_id()
        ids = [m[0] for m in seen[n]]
        check(ids == [kernel_id] * N_BUFFERS,
              f"{n}: {N_BUFFERS} buffers from kernel {kernel_id}")
        first = seen[n][0][1]
        check([m[1] for m in seen[n]] ==
              list(range(first, first + N_BUFFERS)),
              f"{n}: message ids {first}..{first + N_BUFFERS - 1}")
    for i in range(N_BUFFERS):
        stamps = [seen[n][i][2] for n in CHAIN]
        check(stamps == sorted(stamps) and len(set(stamps)) == len(CHAIN),
              f"buffer {i}: stamps increase along the chain {stamps}")
    for n in CHAIN:
        stamps = [m[2] for m in seen[n]]
        check(stamps == sorted(stamps) and len(set(stamps)) == N_BUFFERS,
              f"{n}: stamps increase along the stream")
    pipeline.set_state(Gst.State.NULL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
