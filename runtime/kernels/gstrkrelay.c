/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkrelay
 * @title: rkrelay
 *
 * The local end of a kernel in another process or on another host: a
 * gst_rk_kernel_call() on it sends the REQUEST downstream as an
 * `application/x-ringkernel` message (to `rtpgstpay ! udpsink`,
 * `tcpserversink`, ...), and the REPLY that comes back upstream (through
 * `rkenvelopeparse`) is handed to the waiting caller by its correlation id.
 * Timeouts and late replies (`orphan-replies`) work as for a local kernel.
 * DATA passes through unchanged.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 udpsrc port=5006 caps="application/x-rtp,media=application,clock-rate=90000,encoding-name=X-GST" ! \
 *   rtpgstdepay ! rkenvelopeparse ! rkrelay name=remote ! \
 *   rtpgstpay config-interval=1 ! udpsink host=127.0.0.1 port=5004
 * ]|
 */

#include "gstrkbuiltinkernels.h"

const GstRkKernelInfo gst_rk_kernel_info_relay = {
  .name = "relay",
  .long_name = "Ring kernel relay",
  .klass = "Generic/Network",
  .description = "Forwards calls to a ring kernel elsewhere and takes its "
      "replies back",
  .sink_caps = "application/x-ringkernel",
  .src_caps = "application/x-ringkernel",
  .kind = GST_RK_KERNEL_KIND_MESSAGE,
  .flags = GST_RK_KERNEL_FLAG_RELAY,
};
