/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkecho
 * @title: rkecho
 *
 * Passes every buffer through a ring kernel unchanged: any bytes in, the
 * same bytes out. It is the kernel of the round-trip and per-buffer
 * overhead benchmarks, and a thread boundary like `queue`.
 *
 * A REQUEST message gets a REPLY with the same correlation id, so
 * applications can use it to test the call pattern.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 fakesrc num-buffers=100000 ! rkecho ! fakesink
 * ]|
 */

#include "gstrkbuiltinkernels.h"

const GstRkKernelInfo gst_rk_kernel_info_echo = {
  .name = "echo",
  .long_name = "Ring kernel echo",
  .klass = "Generic",
  .description = "Passes buffers through a persistent ring kernel unchanged",
  .sink_caps = "ANY",
  .src_caps = "ANY",
  .kind = GST_RK_KERNEL_KIND_MESSAGE,
};
