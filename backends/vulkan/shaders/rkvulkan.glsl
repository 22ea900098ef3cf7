/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Included by every Vulkan kernel: the ABI and the dispatch parameters.
 * A kernel file is built as a ring shader (RK_RING: rkring.glsl) and/or a
 * bulk shader (RK_BULK: rkbulk.glsl).
 */
#ifndef RK_VULKAN_GLSL
#define RK_VULKAN_GLSL

#include "gstrkabi.h"
#include "gstrkvulkanabi.h"

/* GstRkParams (RK_PARAMS_*): 128 bytes of push constants */
layout (push_constant, std430) uniform RkParams
{
  layout (offset = RK_PARAMS_OFF_WIDTH) uint width;
  layout (offset = RK_PARAMS_OFF_HEIGHT) uint height;
  layout (offset = RK_PARAMS_OFF_IN_FORMAT) uint in_format;
  layout (offset = RK_PARAMS_OFF_OUT_FORMAT) uint out_format;
  layout (offset = RK_PARAMS_OFF_IN_OFFSET) uint in_offset[3];
  layout (offset = RK_PARAMS_OFF_IN_STRIDE) uint in_stride[3];
  layout (offset = RK_PARAMS_OFF_OUT_OFFSET) uint out_offset[3];
  layout (offset = RK_PARAMS_OFF_OUT_STRIDE) uint out_stride[3];
  layout (offset = RK_PARAMS_OFF_IN_SIZE) uint in_size;
  layout (offset = RK_PARAMS_OFF_OUT_SIZE) uint out_size;
  layout (offset = RK_PARAMS_OFF_CHANNELS) uint channels;
  layout (offset = RK_PARAMS_OFF_RATE) uint rate;
  layout (offset = RK_PARAMS_OFF_PARAM) float param[RK_PARAMS_N_PARAM];
  layout (offset = RK_PARAMS_OFF_FLAGS) uint flags;
  layout (offset = RK_PARAMS_OFF_SEQUENCE) uint sequence;
} rk_params;

uint
rk_reply_type (uint type)
{
  return type == RK_MSG_REQUEST ? RK_MSG_REPLY : RK_MSG_DATA;
}

#endif
