#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * echo: the payload comes back unchanged; a REQUEST gets a REPLY.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"

#ifdef RK_RING
#include "rkring.glsl"

RkResult
rk_ring_process (uint in_at, uint type, uint size, bool has_payload,
    uint out_at)
{
  RK_COPY_INLINE (rk_out.slots, out_at, rk_in.slots, in_at,
      (size + 15u) / 16u);
  return RkResult (rk_reply_type (type), size, has_payload);
}
#endif

#ifdef RK_BULK
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

void
main ()
{
  uint i = gl_GlobalInvocationID.x;

  if (i == 0u) {
    rk_info.out_size = rk_info.in_size;
    rk_info.out_type = rk_reply_type (rk_info.type);
  }
  if (i < (rk_info.in_size + 15u) / 16u)
    rk_out4.v[i] = rk_in4.v[i];
}
#endif
