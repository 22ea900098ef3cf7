#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The tests' stateful kernel "counter" on Vulkan (the CPU reference is in
 * rktest.c): its device state is a 64-bit count, to which each message
 * adds the parameter "step" (param[0]); each message yields the count
 * after it, 8 bytes little-endian.
 */
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#include "rkvulkan.glsl"

layout (std430, set = 0, binding = RKV_BINDING_STATE) buffer CounterState
{
  uint64_t count;
} st;

#ifdef RK_RING
#include "rkring.glsl"

RkResult
rk_ring_process (uint in_at, uint type, uint size, bool has_payload,
    uint out_at)
{
  uint64_t count = st.count + uint64_t (rk_params.param[0]);

  st.count = count;
  rk_out.slots[out_at] = uvec4 (unpackUint2x32 (count), 0u, 0u);
  return RkResult (rk_reply_type (type), 8u, true);
}
#endif

#ifdef RK_BULK
#include "rkbulk.glsl"

layout (local_size_x = 1) in;

void
main ()
{
  uint64_t count = st.count + uint64_t (rk_params.param[0]);

  st.count = count;
  rk_out.words[0] = uint (count);
  rk_out.words[1] = uint (count >> 32);
  rk_info.out_size = 8u;
  rk_info.out_type = rk_reply_type (rk_info.type);
}
#endif
