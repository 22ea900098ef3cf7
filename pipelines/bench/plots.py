"""Plots and the one-page report for run-bench.py's results.

Each plot has a title, labelled axes and units; the report embeds them with
the figures behind them and the machine they came from.
"""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MODE_STYLE = {"persistent": "-", "event-driven": "--"}


def _save(fig, path):
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def latency_cdf(results, base):
    rt = results.get("roundtrip") or []
    if not rt:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for r in rt:
        xs = [v / 1000.0 for v in r["percentiles_ns"]]
        ys = [q / 100.0 for q in range(len(xs))]
        ax.plot(xs, ys, MODE_STYLE.get(r["mode"], "-"),
                label=f"{r['backend']} {r['mode']} (p50 {r['p50_ns'] / 1000:.2f} µs)")
    ax.set_xscale("log")
    ax.set_xlabel("round-trip latency (µs, log scale)")
    ax.set_ylabel("fraction of messages")
    ax.set_title("Host → kernel → host, one 64-byte message (rkecho)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    return _save(fig, base + "-latency-cdf.png")


def throughput_bars(results, base):
    tp = results.get("throughput") or []
    if not tp:
        return None
    labels = [f"{t['backend']}\n{t['mode']}" for t in tp]
    values = [t["messages_per_s"] / 1e6 for t in tp]
    fig, ax = plt.subplots(figsize=(7, 4))
    bars = ax.bar(labels, values, color=["#3b7dd8" if t["mode"] == "persistent"
                                         else "#d8843b" for t in tp])
    ax.bar_label(bars, fmt="%.2f", fontsize=8)
    ax.set_ylabel("million messages / s")
    ax.set_title(f"Pipelined throughput, {tp[0]['in_flight']} messages in flight (rkecho)")
    ax.grid(True, axis="y", alpha=0.3)
    return _save(fig, base + "-throughput.png")


def overhead_bars(results, base):
    ov = results.get("overhead")
    if not ov:
        return None
    names = [c["name"] for c in ov["contenders"]]
    values = [c["median_ns_per_buffer"] for c in ov["contenders"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    bars = ax.bar(names, values, color="#5a9e6f")
    ax.bar_label(bars, fmt="%.0f", fontsize=8)
    ax.set_ylabel("ns per buffer (median)")
    ax.set_title("fakesrc ! X ! fakesink: per-buffer cost")
    ax.grid(True, axis="y", alpha=0.3)
    return _save(fig, base + "-overhead.png")


def stock_ratio_bars(results, base):
    stock = results.get("stock") or {}
    pairs = [p for p in stock.get("pairs") or [] if "ratio" in p]
    if not pairs:
        return None
    labels = [f"{p['ours']} / {p['stock']}\n{p.get('workload', '')}" for p in pairs]
    values = [p["ratio"] for p in pairs]
    fig, ax = plt.subplots(figsize=(max(7, 1.3 * len(pairs)), 4.5))
    bars = ax.bar(range(len(values)), values,
                  color=["#3b7dd8" if v >= 1.5 else "#c44e52" for v in values])
    ax.bar_label(bars, fmt="%.2f×", fontsize=8)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.axhline(1.5, color="gray", linestyle=":", linewidth=0.8, label="1.5× target")
    ax.set_xticks(range(len(values)), labels, fontsize=7)
    ax.set_ylabel("throughput, ours / stock")
    ax.set_title(f"Ring kernels vs stock elements ({stock.get('backend', 'cpu')} backend)")
    ax.legend(fontsize=8)
    ax.grid(True, axis="y", alpha=0.3)
    return _save(fig, base + "-stock-ratios.png")


def _peak_label(sp, fp_key, int_key):
    """A legend for the peak bars: the float peak, and the integer one the
    video kernels are set against where it was measured."""
    label = "of " + sp.get(fp_key, "the peak")
    if int_key in sp:
        label += f" (float) or {sp[int_key]} (integer)"
    return label


def _frac(v):
    """A fraction of a limit: two decimals, three below 0.1 (the audio
    kernels' share of a copy is a few thousandths)."""
    return f"{v:.2f}" if v >= 0.1 else f"{v:.3f}"


def _pair_label(p):
    """A kernel and, for the audio pairs (those with an operation count),
    the pair's name: rkfir's taps, rkspectrum's bands."""
    if "ops_per_buffer" in p:
        return f"{p['ours']}\n{p.get('pair', '')}"
    return p["ours"]


def opencv_limit_bars(results, base):
    """Ours against OpenCV doing the same work, bytes moved per second
    against a plain copy of the same frames, and operations per second
    against the CPU's SIMD peak."""
    stock = results.get("stock") or {}
    cv = [p for p in stock.get("pairs") or [] if "opencv_ratio" in p]
    lim = [p for p in stock.get("pairs") or [] if "limit_fraction" in p]
    peak = [p for p in stock.get("pairs") or [] if "peak_fraction" in p]
    if not cv and not lim and not peak:
        return None
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(17, 4.8))
    values = [p["opencv_ratio"] for p in cv]
    bars = a1.bar(range(len(cv)), values,
                  color=["#3b7dd8" if v >= 1.5 else "#c44e52" for v in values])
    a1.bar_label(bars, fmt="%.2f×", fontsize=8)
    a1.axhline(1.0, color="black", linewidth=0.8)
    a1.axhline(1.5, color="gray", linestyle=":", linewidth=0.8,
               label="1.5× target")
    a1.set_xticks(range(len(cv)), [f"{p['ours']}\n/ {p['opencv']}" for p in cv],
                  fontsize=7)
    a1.set_ylabel("throughput, ours / OpenCV")
    a1.set_title(f"Against OpenCV {stock.get('opencv', '')}, "
                 f"{stock.get('opencv_threads', '?')} threads")
    a1.legend(fontsize=8)
    a1.grid(True, axis="y", alpha=0.3)
    values = [p["limit_fraction"] for p in lim]
    bars = a2.bar(range(len(lim)), values, color="#5a9e6f")
    a2.bar_label(bars, labels=[_frac(v) for v in values], fontsize=8)
    a2.axhline(0.9, color="gray", linestyle=":", linewidth=0.8, label="0.9")
    a2.set_xticks(range(len(lim)), [_pair_label(p) for p in lim], fontsize=6)
    a2.set_ylabel("bytes/s (in + out) / a copy's (read + write)")
    a2.set_title("Against the memory limit (a plain copy, same run)")
    a2.legend(fontsize=8)
    a2.grid(True, axis="y", alpha=0.3)
    x = list(range(len(peak)))
    sp = stock.get("simd_peak") or {}
    b1 = a3.bar([i - 0.2 for i in x], [p["peak_fraction"] for p in peak],
                0.4, color="#8172b2",
                label=_peak_label(sp, "kernels_isa", "int_isa"))
    b2 = a3.bar([i + 0.2 for i in x],
                [p["widest_peak_fraction"] for p in peak], 0.4,
                color="#ccb974",
                label=_peak_label(sp, "widest_isa", "int-widest_isa"))
    a3.bar_label(b1, labels=[_frac(p["peak_fraction"]) for p in peak],
                 fontsize=7)
    a3.bar_label(b2, labels=[_frac(p["widest_peak_fraction"]) for p in peak],
                 fontsize=7)
    a3.set_xticks(x, [_pair_label(p) for p in peak], fontsize=6)
    a3.set_ylabel("operations/s / SIMD peak "
                  f"({sp.get('threads', 2)} threads)")
    a3.set_title("Against the compute limit (rkbench simd-peak, same run)")
    a3.legend(fontsize=8)
    a3.grid(True, axis="y", alpha=0.3)
    return _save(fig, base + "-opencv-limit.png")


def kernel_scaling(results, base):
    """Each video kernel's ms per frame against frame size, grid-size 1 and
    2, beside OpenCV with 1 and 2 threads."""
    rows = (results.get("stock") or {}).get("scaling") or []
    if not rows:
        return None
    kernels = sorted({r["kernel"] for r in rows})
    fig, axes = plt.subplots(1, len(kernels), figsize=(3.6 * len(kernels), 4),
                             squeeze=False)
    for ax, k in zip(axes[0], kernels):
        for g, style in ((1, "--"), (2, "-")):
            pts = sorted((r["width"] * r["height"] / 1e6, r["ms_per_buffer"],
                          1e3 / r["opencv_buffers_per_s"]
                          if r.get("opencv_buffers_per_s") else None)
                         for r in rows if r["kernel"] == k and
                         r["grid_size"] == g)
            ax.plot([p[0] for p in pts], [p[1] for p in pts], "o" + style,
                    color="#3b7dd8", label=f"ours, grid-size {g}")
            cvp = [p for p in pts if p[2] is not None]
            if cvp:
                ax.plot([p[0] for p in cvp], [p[2] for p in cvp], "s" + style,
                        color="#c44e52", label=f"OpenCV, {g} thread"
                        f"{'s' if g > 1 else ''}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("megapixels (480p, 1080p, 4K)")
        ax.set_ylabel("ms per frame")
        ax.set_title(k, fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=6)
    return _save(fig, base + "-kernel-scaling.png")


def scaling_curves(results, base):
    sc = results.get("scaling") or {}
    frame, chain = sc.get("frame_size") or [], sc.get("chain_length") or []
    if not frame and not chain:
        return None
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for backend in sorted({f["backend"] for f in frame}):
        pts = sorted((f["pixels"] / 1e6, f["ms_per_frame"], f["size"])
                     for f in frame if f["backend"] == backend)
        a1.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=backend)
        for x, y, label in pts:
            a1.annotate(label, (x, y), fontsize=7, textcoords="offset points", xytext=(3, 3))
    a1.set_xlabel("frame size (megapixels)")
    a1.set_ylabel("ms per frame")
    a1.set_title("rkgray cost vs frame size")
    a1.grid(True, alpha=0.3)
    a1.legend(fontsize=8)
    for backend in sorted({c["backend"] for c in chain}):
        pts = sorted((c["kernels"], c["us_per_buffer"]) for c in chain
                     if c["backend"] == backend)
        a2.plot([p[0] for p in pts], [p[1] for p in pts], "o-", label=backend)
    a2.set_xlabel("ring kernels chained (rkecho)")
    a2.set_ylabel("µs per buffer")
    a2.set_xticks([1, 2, 4, 8])
    a2.set_title("Cost vs chain length")
    a2.grid(True, alpha=0.3)
    a2.legend(fontsize=8)
    return _save(fig, base + "-scaling.png")


def render(results, base):
    makers = [latency_cdf, throughput_bars, overhead_bars, stock_ratio_bars,
              opencv_limit_bars, kernel_scaling, scaling_curves]
    return [p for p in (m(results, base) for m in makers) if p]


def report(results, base, images):
    m = results["machine"]
    lines = [f"# gst-ringkernel benchmarks: {m.get('hostname')}, {m.get('date', '')[:10]}",
             "",
             f"{m.get('cpu_model')} ({m.get('cpu_threads')} threads), "
             f"{m.get('gstreamer')}, kernel {m.get('kernel')}, GPU: {m.get('gpu') or 'none'}. "
             f"Mode: {results.get('mode')}, {results.get('elapsed_s')} s.",
             "",
             "Backends: " + ", ".join(
                 f"{b['backend']} ({', '.join(d['name'] for d in b['devices'])})"
                 if b["available"] else f"{b['backend']} (unavailable: {b['reason']})"
                 for b in m["backends"]),
             ""]
    rt = results.get("roundtrip") or []
    if rt:
        lines += ["## Round trip", "", "| backend | mode | p50 | p99 |", "|---|---|---|---|"]
        for r in rt:
            lines.append(f"| {r['backend']} | {r['mode']} | {r['p50_ns'] / 1000:.2f} µs | "
                         f"{r['p99_ns'] / 1000:.2f} µs |")
        for backend in sorted({r["backend"] for r in rt}):
            p = {r["mode"]: r["p50_ns"] for r in rt if r["backend"] == backend}
            if "persistent" in p and "event-driven" in p:
                lines.append(f"\n{backend}: persistent p50 is "
                             f"{p['event-driven'] / p['persistent']:.1f}× lower than event-driven.")
        lines.append("")
    ov = results.get("overhead")
    if ov:
        r = ov["ratios"]
        lines += ["## Per-buffer overhead", "",
                  f"rkecho / queue: {r['rkecho_over_queue']:.2f} per buffer, "
                  f"{r['rkecho_hop_over_queue_hop']:.2f} per thread hop.", ""]
    split = (results.get("roundtrip_split") or {}).get("roundtrip_split") or []
    if split:
        lines += ["## Round trip, host and device parts (p50)", "",
                  "| backend | mode | send | device | receive | total |",
                  "|---|---|---|---|---|---|"]
        for r in split:
            lines.append(f"| {r['backend']} | {r['mode']} | {r['send_p50_ns'] / 1000:.2f} µs | "
                         f"{r['device_p50_ns'] / 1000:.2f} µs | "
                         f"{r['receive_p50_ns'] / 1000:.2f} µs | "
                         f"{r['total_p50_ns'] / 1000:.2f} µs |")
        lines.append("")
    by_backend = results.get("stock_by_backend") or {"cpu": results.get("stock") or {}}
    for backend, doc in by_backend.items():
        pairs = doc.get("pairs") or []
        if not pairs:
            continue
        lines += [f"## Against the stock elements, ring kernels on {backend}", "",
                  f"OpenCV {doc.get('opencv') or '(not installed)'} with "
                  f"{doc.get('opencv_threads', '?')} threads; limit: "
                  f"{doc.get('limit', '')}; compute limit: "
                  f"{doc.get('compute_limit', '')}.", "",
                  "| ours | ran on | stock | workload | / stock | / OpenCV | "
                  "of the copy's bytes/s | of the SIMD peak (kernels' ISA; "
                  "widest) |", "|---|---|---|---|---|---|---|---|"]
        for p in pairs:
            ratio = f"{p['ratio']:.2f}×" if "ratio" in p else "—"
            cv = (f"{p['opencv_ratio']:.2f}× ({p['opencv']})"
                  if "opencv_ratio" in p else "—")
            lim = (f"{_frac(p['limit_fraction'])} (frames/s "
                   f"{_frac(p['frames_over_copy'])})" if "limit_fraction" in p else "—")
            pk = (f"{_frac(p['peak_fraction'])} ({p['peak_isa']}); "
                  f"{_frac(p['widest_peak_fraction'])} ({p['widest_isa']})"
                  if "peak_fraction" in p else "—")
            lines.append(f"| {p['ours']} | {'+'.join(p.get('ran_on', [backend]))} | "
                         f"{p.get('stock', '—')} | {p.get('workload', '')} | {ratio} | "
                         f"{cv} | {lim} | {pk} |")
        lines.append("")
        rows = doc.get("scaling") or []
        if rows:
            lines += [f"### Scaling, ring kernels on {backend}", "",
                      "| kernel | size | grid-size | ms/frame | / OpenCV, same threads | "
                      "of the copy's bytes/s |", "|---|---|---|---|---|---|"]
            for r in rows:
                cv = f"{r['opencv_ratio']:.2f}×" if "opencv_ratio" in r else "—"
                lim = (f"{r['limit_fraction']:.2f}" if r.get("limit_fraction")
                       is not None else "—")
                lines.append(f"| {r['kernel']} | {r['size']} | {r['grid_size']} | "
                             f"{r['ms_per_buffer']:.3f} | {cv} | {lim} |")
            lines.append("")
    if results.get("cuda"):
        lines += ["## CUDA driver-level contenders", "",
                  "rkbench-cuda's figures are in the JSON under \"cuda\".", ""]
    lines += ["## Plots", ""]
    for img in images:
        lines.append(f"![{os.path.basename(img)}]({os.path.basename(img)})")
        lines.append("")
    lines += ["Pipelines and raw figures: the JSON beside this report; "
              "commands and their output: the .log.", ""]
    path = base + ".md"
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path
