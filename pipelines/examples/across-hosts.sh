#!/bin/sh
# Across hosts, on loopback: a sender (rkbgsub motion events, the mask over
# RTP with the HLC header extension) and a receiver (a ring-kernel chain),
# two gst-launch-1.0 processes. The sender's clock is skewed ahead
# (RK_HLC_SKEW_NS, default +500 ms), as on a host whose clock runs fast.
# Then the causal-order check: every motion event of the receiver is
# stamped later than the sender's event for the same or an earlier frame
# (without the extension the receiver's stamps would be ~500 ms earlier).
#
#   pipelines/examples/across-hosts.sh          # builds into build/ if needed
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${GST_PLUGIN_PATH_1_0:-}" ]; then
  BUILD_DIR=${BUILD_DIR:-build}
  [ -f "$BUILD_DIR/plugin/libgstringkernel.so" ] || BUILD_DIR=$BUILD_DIR pipelines/build.sh >/dev/null
  export GST_PLUGIN_PATH_1_0="$PWD/$BUILD_DIR/plugin"
fi
SKEW=${RK_HLC_SKEW_NS:-500000000}
FRAMES=${FRAMES:-90}
URI=urn:gst-ringkernel:rtp-hdrext:hlc:1
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
tmp=$(mktemp -d)
trap 'kill $recv_pid 2>/dev/null || true; rm -rf "$tmp"' EXIT

# Receiver: its clock is the machine's.
env -u RK_HLC_SKEW_NS gst-launch-1.0 -m \
  udpsrc address=127.0.0.1 port=$PORT caps="application/x-rtp,media=application,clock-rate=90000,encoding-name=X-GST,extmap-1=(string)$URI" ! \
  rtpgstdepay ! rkblur sigma=1 ! rkbgsub motion-threshold=0.002 ! fakesink \
  > "$tmp/receiver.txt" 2>&1 &
recv_pid=$!
i=0
until grep -q "Setting pipeline to PLAYING" "$tmp/receiver.txt"; do
  i=$((i + 1)); [ $i -lt 200 ] || { cat "$tmp/receiver.txt"; exit 1; }
  sleep 0.05
done

# Sender: motion events on its bus, the mask over RTP.
RK_HLC_SKEW_NS=$SKEW gst-launch-1.0 -m \
  videotestsrc pattern=ball num-buffers=$FRAMES ! \
  video/x-raw,format=GRAY8,width=160,height=120,framerate=30/1 ! \
  rkbgsub motion-threshold=0.002 ! rtpgstpay config-interval=1 ! \
  "application/x-rtp,extmap-1=(string)$URI" ! \
  udpsink host=127.0.0.1 port=$PORT > "$tmp/sender.txt" 2>&1

# UDP has no end of stream: give the last packets a moment, then stop.
sleep 1
kill -INT $recv_pid 2>/dev/null || true
wait $recv_pid 2>/dev/null || true

python3 - "$tmp/sender.txt" "$tmp/receiver.txt" "$SKEW" <<'EOF'
import re, sys

def events(path):
    out = []
    for line in open(path):
        if "ringkernel-motion" not in line:
            continue
        f = dict(re.findall(r"(frame|hlc-physical|hlc-logical|hlc-node)=\(\w+\)(\d+)", line))
        out.append((int(f["frame"]), (int(f["hlc-physical"]), int(f["hlc-logical"]), int(f["hlc-node"]))))
    return out

sent, received = events(sys.argv[1]), events(sys.argv[2])
print("sender (clock skewed %+d ms): %d motion events" % (int(sys.argv[3]) // 1000000, len(sent)))
print("receiver: %d motion events" % len(received))
if not sent or not received:
    print("causal-order check: FAILED (no motion events)")
    sys.exit(1)
bad = 0
for frame, stamp in received:
    causes = [s for f, s in sent if f <= frame]
    if causes and not stamp > max(causes):
        bad += 1
        print("  frame %d: receiver stamp %s is not after the sender's %s" % (frame, stamp, max(causes)))
stamps = [s for f, s in received]
ordered = all(a < b for a, b in zip(stamps, stamps[1:]))
if bad or not ordered:
    print("causal-order check: FAILED")
    sys.exit(1)
print("causal-order check: passed (every receiver event later than its causes; receiver stamps increasing)")
EOF
