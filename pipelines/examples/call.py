#!/usr/bin/python3
"""The runtime from Python (PyGObject), checking every answer.

    python3 pipelines/examples/call.py [COUNTER-KERNEL-FILE]

- makes a runtime and hands it to a pipeline (GstContext), then finds the
  kernel of the pipeline's rkecho element in it and reads its stats;
- launches a built-in kernel (echo) on the same runtime: send, receive
  and call with bytes, and a call that times out;
- loads a user kernel (the counter example, build/pipelines/examples/
  counter.so by default) and calls it: the replies count 1, 2, 3...;
- reads the runtime's metrics.

Exits 0 when every answer is the expected one.
"""

import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rkbuildtree  # noqa: E402

BUILD = rkbuildtree.setup()

from gi.repository import GLib, Gst, GstRk  # noqa: E402

SECOND_US = 1000000
N_BUFFERS = 16


def check(cond, what):
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    print(f"ok: {what}")


def run_pipeline(runtime):
    """A pipeline whose elements use our runtime: the kernel of `echo` is
    then ours to look up."""
    pipeline = Gst.parse_launch(
        f"fakesrc num-buffers={N_BUFFERS} sizetype=fixed sizemax=32 "
        "! rkecho name=echo backend=cpu ! fakesink name=sink")
    pipeline.set_context(GstRk.context_new(runtime))
    check(pipeline.set_state(Gst.State.PLAYING) !=
          Gst.StateChangeReturn.FAILURE, "pipeline starts")
    msg = pipeline.get_bus().timed_pop_filtered(
        30 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
    check(msg is not None and msg.type == Gst.MessageType.EOS,
          "pipeline reaches EOS")

    # The runtime the pipeline's elements share, as any application can
    # get it: from the context the pipeline holds.
    ok, shared = GstRk.context_get_runtime(
        pipeline.get_context(GstRk.RUNTIME_CONTEXT_TYPE))
    check(ok and shared == runtime, "the pipeline shares our runtime")

    kernel = runtime.get_kernel("echo")
    check(kernel is not None, "the element's kernel is found by its name")
    stats = kernel.get_stats()
    check(stats.get_uint64("received")[1] == N_BUFFERS and
          stats.get_uint64("emitted")[1] == N_BUFFERS,
          f"its stats count {N_BUFFERS} buffers in and out")
    pipeline.set_state(Gst.State.NULL)


def talk_to_echo(runtime):
    echo = runtime.launch("echo", "my-echo", GstRk.BackendKind.CPU, -1,
                          None, None)
    check(echo.get_state() == GstRk.KernelState.ACTIVE, "echo launched")

    reply = echo.call_bytes(GLib.Bytes.new(b"hello, ring"), SECOND_US)
    check(reply.get_data() == b"hello, ring", "call: the reply echoes")

    ids = []
    for word in (b"one", b"two", b"three"):
        ok, message_id = echo.send_bytes(GLib.Bytes.new(word),
                                         GstRk.MESSAGE_DATA, 0, SECOND_US)
        ids.append(message_id)
    check(ids == sorted(ids) and len(set(ids)) == 3,
          f"send: message ids increase {ids}")
    got = [echo.receive_bytes(SECOND_US) for _ in range(3)]
    check([(b.get_data(), t) for b, t, _ in got] ==
          [(b"one", GstRk.MESSAGE_DATA), (b"two", GstRk.MESSAGE_DATA),
           (b"three", GstRk.MESSAGE_DATA)], "receive: in order, as sent")
    try:
        echo.receive_bytes(0)
        check(False, "receive without an output fails")
    except GLib.Error as e:
        check(e.matches(GstRk.error_quark(), GstRk.Error.WOULD_BLOCK),
              "receive without waiting: would block")

    # A deactivated kernel keeps its queue but answers nothing.
    echo.deactivate()
    try:
        echo.call_bytes(GLib.Bytes.new(b"late"), SECOND_US // 10)
        check(False, "a call to a deactivated kernel times out")
    except GLib.Error as e:
        check(e.matches(GstRk.error_quark(), GstRk.Error.TIMEOUT),
              f"a call to a deactivated kernel times out: {e.message}")
    echo.activate()
    stats = echo.get_stats()
    check(stats.get_uint64("received")[1] == 5,
          "stats: echo received 5 messages")
    return echo


def call_counter(runtime, path):
    info, backend = GstRk.user_kernel_load(path, None, 0, None)
    check(backend == GstRk.BackendKind.CPU,
          f"user kernel {info.name} loaded from {path}")
    counter = runtime.launch(info.name, "my-counter", backend, -1, None,
                             None)
    counts = [struct.unpack("<Q", counter.call_bytes(None, SECOND_US)
                            .get_data())[0] for _ in range(5)]
    check(counts == [1, 2, 3, 4, 5], f"the counter counts {counts}")
    return counter


def main():
    Gst.init(None)
    counter_file = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        BUILD, "pipelines", "examples", "counter.so")

    runtime = GstRk.Runtime.new(GstRk.BackendKind.CPU, -1)
    run_pipeline(runtime)
    # Kernels must be terminated before their last reference goes:
    # runtime.shutdown() below does it.
    kernels = [talk_to_echo(runtime), call_counter(runtime, counter_file)]

    metrics = runtime.get_metrics()
    check(metrics.total_launched == 3 and metrics.active_kernels == 2,
          f"metrics: 3 kernels launched, 2 live "
          f"({metrics.messages_sent} messages sent)")
    check(runtime.shutdown(), "runtime shut down")
    check(all(k.get_state() == GstRk.KernelState.TERMINATED
              for k in kernels), "every kernel terminated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
