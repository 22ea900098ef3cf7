/* A stateful counter actor for the Vulkan backend, as
 * pipelines/examples/cpu/counter.c: every message increments a 64-bit
 * count in the kernel's device state and answers with the new count
 * (8 bytes, little-endian); a REQUEST gets it as its REPLY.
 *
 *   glslc -I<gst-ringkernel>/runtime -o counter.spv counter.comp
 *   gst-launch-1.0 fakesrc num-buffers=5 sizetype=fixed sizemax=8 \
 *       ! ringkernel kernel-file=./counter.spv ! fakesink dump=true
 *
 * Vulkan user kernels run event-driven (one dispatch per message).
 */
#version 450
#include "rkuser.glsl"

RK_USER_KERNEL (8, 0);          /* state: the count, two 32-bit words */

void
rk_process ()
{
  uint lo, hi;

  if (rk_invocation () != 0u)   /* one count per message */
    return;
  if (rk_out_capacity () < 8u) {
    rk_fail ();
    return;
  }
  lo = rk_state[0] + 1u;
  hi = rk_state[1] + (lo == 0u ? 1u : 0u);
  rk_state[0] = lo;
  rk_state[1] = hi;
  rk_out[0] = lo;
  rk_out[1] = hi;
  /* A DATA output answering a REQUEST goes back as its REPLY. */
  rk_emit (RK_USER_MSG_DATA, 8u);
}
