#!/usr/bin/python3
# gst-ringkernel
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Summarises the JSON that bench-vulkan.sh wrote: ratios, and a plot of the
round-trip distributions (when matplotlib is installed)."""
import json
import os
import sys

out = sys.argv[1]


def load(name):
    with open(os.path.join(out, name)) as f:
        return json.load(f)


def pick(runs, backend, mode):
    return next(r for r in runs if r["backend"] == backend and r["mode"] == mode)


rt = load("vulkan-roundtrip.json")
split = load("vulkan-roundtrip-split.json")
tp = load("vulkan-throughput.json")
fr = load("vulkan-frames.json")

pers = pick(rt["roundtrip"], "vulkan", "persistent")
event = pick(rt["roundtrip"], "vulkan", "event-driven")
spers = pick(split["roundtrip_split"], "vulkan", "persistent")
sevent = pick(split["roundtrip_split"], "vulkan", "event-driven")
cpu_pers = pick(split["roundtrip_split"], "cpu", "persistent")
frames = {r["backend"]: r for r in fr["frames"]["runs"]}

summary = {
    "machine": rt["machine"],
    "device": pers["device"],
    "roundtrip_p50_ns": {"persistent": pers["p50_ns"], "event_driven": event["p50_ns"]},
    "roundtrip_p99_ns": {"persistent": pers["p99_ns"], "event_driven": event["p99_ns"]},
    "roundtrip_p50_ratio_event_over_persistent": event["p50_ns"] / pers["p50_ns"],
    "device_part_p50_ns": {"persistent": spers["device_p50_ns"],
                           "event_driven": sevent["device_p50_ns"]},
    "device_part_p50_ratio_event_over_persistent":
        sevent["device_p50_ns"] / spers["device_p50_ns"],
    "host_part_p50_ns": spers["send_p50_ns"] + spers["receive_p50_ns"],
    "cpu_backend_persistent_roundtrip_p50_ns": cpu_pers["total_p50_ns"],
    "throughput_msgs_per_s": {r["mode"]: r["messages_per_s"] for r in tp["throughput"]},
    "gray_1080p_fps": {b: r["fps"] for b, r in frames.items()},
}
if "cpu" in frames and "vulkan" in frames:
    summary["gray_1080p_vulkan_over_cpu"] = frames["vulkan"]["fps"] / frames["cpu"]["fps"]

with open(os.path.join(out, "vulkan-summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
    f.write("\n")

print("device: %s" % summary["device"])
print("round trip p50/p99: persistent %.2f/%.2f us, event-driven %.2f/%.2f us: "
      "%.1fx" % (pers["p50_ns"] / 1e3, pers["p99_ns"] / 1e3, event["p50_ns"] / 1e3,
                 event["p99_ns"] / 1e3, summary["roundtrip_p50_ratio_event_over_persistent"]))
print("  of which on the device (p50): persistent %.2f us, event-driven %.2f us: %.1fx; "
      "host send+receive %.2f us (CPU backend's whole round trip %.2f us)"
      % (spers["device_p50_ns"] / 1e3, sevent["device_p50_ns"] / 1e3,
         summary["device_part_p50_ratio_event_over_persistent"],
         summary["host_part_p50_ns"] / 1e3, cpu_pers["total_p50_ns"] / 1e3))
for mode, v in summary["throughput_msgs_per_s"].items():
    print("throughput, 256 in flight, %s: %.0f msg/s" % (mode, v))
for b, v in summary["gray_1080p_fps"].items():
    print("rkgray 1080p RGBA on %s: %.1f frames/s" % (b, v))

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit(0)
fig, ax = plt.subplots(figsize=(7, 4))
for r in (pers, event):
    pct = r["percentiles_ns"]
    ax.plot([p / 1e3 for p in pct], range(len(pct)), label=r["mode"])
ax.set_xscale("log")
ax.set_xlabel("round trip (us, log)")
ax.set_ylabel("percentile")
ax.set_title("rkecho round trip on %s" % pers["device"])
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(out, "vulkan-roundtrip.png"), dpi=100)
