#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * gray: RGBA/BGRA/RGBx/BGRx to GRAY8 with the integer BT.601 formula
 * Y = ((66 R + 129 G + 25 B + 128) >> 8) + 16; NV12/I420 give their Y
 * plane. Bit-exact with backends/cpu/kernels/gstrkcpugray.c, padding
 * bytes of output rows included (0).
 *
 * One invocation writes one 32-bit word (4 pixels) of an output row:
 * GRAY8 rows are padded to 4 bytes, and RGB pixels and Y rows are word
 * aligned, so no two invocations touch the same word. gl_WorkGroupID.y is
 * the row.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

uint
luma (uint rgb, uint ri, uint bi)
{
  uint r = (rgb >> (8u * ri)) & 0xFFu;
  uint g = (rgb >> 8u) & 0xFFu;
  uint b = (rgb >> (8u * bi)) & 0xFFu;

  return ((66u * r + 129u * g + 25u * b + 128u) >> 8) + 16u;
}

void
main ()
{
  uint x4 = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
  uint out_words = rk_params.out_stride[0] / 4u;
  uint width = rk_params.width;

  if (x4 == 0u && y == 0u) {
    rk_info.out_size = rk_params.out_size;
    rk_info.out_type = RK_MSG_DATA;
  }
  if (x4 >= out_words || y >= rk_params.height)
    return;

  uint row = (rk_params.in_offset[0] + y * rk_params.in_stride[0]) / 4u;
  uint first = 4u * x4, word = 0u;

  if (rk_params.in_format == RK_FORMAT_NV12 ||
      rk_params.in_format == RK_FORMAT_I420) {
    uint valid = min (width - min (first, width), 4u);

    word = valid == 0u ? 0u : rk_in.words[row + x4];
    if (valid < 4u)
      word &= (1u << (8u * valid)) - 1u;
  } else {
    bool bgr = rk_params.in_format == RK_FORMAT_BGRA ||
        rk_params.in_format == RK_FORMAT_BGRX;
    uint ri = bgr ? 2u : 0u, bi = bgr ? 0u : 2u;

    for (uint i = 0u; i < 4u; i++)
      if (first + i < width)
        word |= luma (rk_in.words[row + first + i], ri, bi) << (8u * i);
  }
  rk_out.words[y * out_words + x4] = word;
}
