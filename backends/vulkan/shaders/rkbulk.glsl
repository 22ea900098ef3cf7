/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Bulk shaders: one dispatch per message, as many workgroups as the
 * payload needs. The host stages the payload (rk_in), gives room for the
 * output (rk_out) and fills rk_info; the kernel sets rk_info.out_size and
 * rk_info.out_type (0: no output). Payload regions are padded to 16 bytes.
 *
 * A kernel may also declare, at their bindings, the configuration's blob
 * (RKV_BINDING_BLOB, read-only), an auxiliary region for extra outputs
 * (RKV_BINDING_BULK_AUX, zeroed by the host, read back after the
 * submission) and device scratch (RKV_BINDING_SCRATCH), and run as
 * several passes: RK_PASS, one dispatch after the other.
 */
#ifndef RK_BULK_GLSL
#define RK_BULK_GLSL

layout (std430, set = 0, binding = RKV_BINDING_BULK_IN) readonly buffer
    RkBulkIn { uint words[]; } rk_in;
layout (std430, set = 0, binding = RKV_BINDING_BULK_IN) readonly buffer
    RkBulkIn4 { uvec4 v[]; } rk_in4;
layout (std430, set = 0, binding = RKV_BINDING_BULK_OUT) writeonly buffer
    RkBulkOut { uint words[]; } rk_out;
layout (std430, set = 0, binding = RKV_BINDING_BULK_OUT) writeonly buffer
    RkBulkOut4 { uvec4 v[]; } rk_out4;

layout (std430, set = 0, binding = RKV_BINDING_BULK_INFO) buffer RkBulkInfo
{
  layout (offset = RKV_INFO_OFF_IN_SIZE) uint in_size;
  layout (offset = RKV_INFO_OFF_TYPE) uint type;
  layout (offset = RKV_INFO_OFF_OUT_CAPACITY) uint out_capacity;
  layout (offset = RKV_INFO_OFF_OUT_SIZE) uint out_size;
  layout (offset = RKV_INFO_OFF_OUT_TYPE) uint out_type;
  layout (offset = RKV_INFO_OFF_ERROR) uint error;
  layout (offset = RKV_INFO_OFF_PTS) uvec2 pts;     /* u64, ~0: none */
} rk_info;

/* The pass of a multi-pass kernel (its grid is one workgroup deep) */
#define RK_PASS (gl_WorkGroupID.z)

#endif
