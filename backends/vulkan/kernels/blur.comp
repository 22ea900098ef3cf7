#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * blur: the fixed-point separable Gaussian of runtime/kernels/gstrkblur.c,
 * bit-exact with backends/cpu/kernels/gstrkcpublur.c (integer sums only,
 * so the order of summation does not matter).
 *
 * Two passes per frame:
 *   0: H[y][e] = (Σ W_t P[y][clamp (x + t - r)] + 8) >> 4 into the scratch,
 *      16-bit values two to a word (one invocation per word, so no two
 *      invocations write the same word);
 *   1: O[y][e] = (Σ W_t H[clamp (y + t - r)][e] + 2^19) >> 20, one
 *      invocation per output word (4 bytes; row padding written as 0).
 * e is a byte of the row (x × bpp + channel). gl_WorkGroupID.y is the row.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

/* GstRkBlurBlob */
layout (std430, set = 0, binding = RKV_BINDING_BLOB) readonly buffer RkBlur
{
  uint radius;
  int weights[];
} blob;

layout (std430, set = 0, binding = RKV_BINDING_SCRATCH) buffer RkScratch
{
  uint words[];
} scratch;

uint
in_byte (uint i)
{
  return (rk_in.words[i >> 2] >> (8u * (i & 3u))) & 0xFFu;
}

uint
bpp ()
{
  return rk_params.in_format == RK_FORMAT_GRAY8 ? 1u : 4u;
}

/* H for byte e of row y */
uint
horizontal (uint y, uint e)
{
  uint b = bpp (), x = e / b, c = e % b, r = blob.radius;
  uint row = rk_params.in_offset[0] + y * rk_params.in_stride[0];
  int w = int (rk_params.width);
  uint acc = 0u;

  for (uint t = 0u; t <= 2u * r; t++) {
    int sx = clamp (int (x) + int (t) - int (r), 0, w - 1);

    acc += uint (blob.weights[t]) * in_byte (row + uint (sx) * b + c);
  }
  return (acc + 8u) >> 4;
}

void
main ()
{
  uint i = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
  uint len = rk_params.width * bpp ();
  uint h_words = (len + 1u) / 2u;

  if (y >= rk_params.height)
    return;
  if (RK_PASS == 0u) {
    if (i >= h_words)
      return;
    uint lo = horizontal (y, 2u * i);
    uint hi = 2u * i + 1u < len ? horizontal (y, 2u * i + 1u) : 0u;

    scratch.words[y * h_words + i] = lo | (hi << 16);
    return;
  }

  uint out_words = rk_params.out_stride[0] / 4u, r = blob.radius;
  int h = int (rk_params.height);

  if (i == 0u && y == 0u) {
    rk_info.out_size = rk_params.out_size;
    rk_info.out_type = RK_MSG_DATA;
  }
  if (i >= out_words)
    return;
  uint acc[4] = { 0u, 0u, 0u, 0u };
  for (uint t = 0u; t <= 2u * r; t++) {
    uint sy = uint (clamp (int (y) + int (t) - int (r), 0, h - 1));
    uint wt = uint (blob.weights[t]);

    for (uint k = 0u; k < 4u; k++) {
      uint e = 4u * i + k;

      if (e < len) {
        uint hw = scratch.words[sy * h_words + e / 2u];
        acc[k] += wt * ((hw >> (16u * (e & 1u))) & 0xFFFFu);
      }
    }
  }
  uint word = 0u;
  for (uint k = 0u; k < 4u; k++)
    if (4u * i + k < len)
      word |= ((acc[k] + (1u << 19)) >> 20) << (8u * k);
  rk_out.words[(rk_params.out_offset[0] + y * rk_params.out_stride[0]) / 4u
      + i] = word;
}
