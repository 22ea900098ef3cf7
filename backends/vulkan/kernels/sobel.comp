#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * sobel: the integer Sobel magnitude of runtime/kernels/gstrksobel.c,
 * bit-exact with backends/cpu/kernels/gstrkcpusobel.c. GLSL's sqrt is not
 * correctly rounded (Vulkan allows a few ulp), so the truncated float root
 * of n = min (gx² + gy², 65025) gets the exact ±1 integer correction the
 * descriptor asks for: a few ulp at ≤ 255 cannot be off by more than 1.
 *
 * One invocation writes one 32-bit word (4 pixels) of an output row,
 * padding bytes 0. gl_WorkGroupID.y is the row.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

uint
pixel (int x, int y)
{
  uint i = rk_params.in_offset[0] + uint (clamp (y, 0,
          int (rk_params.height) - 1)) * rk_params.in_stride[0] +
      uint (clamp (x, 0, int (rk_params.width) - 1));

  return (rk_in.words[i >> 2] >> (8u * (i & 3u))) & 0xFFu;
}

uint
magnitude (int x, int y, uint threshold)
{
  int gx = int (pixel (x + 1, y - 1) + 2u * pixel (x + 1, y) +
      pixel (x + 1, y + 1)) - int (pixel (x - 1, y - 1) +
      2u * pixel (x - 1, y) + pixel (x - 1, y + 1));
  int gy = int (pixel (x - 1, y + 1) + 2u * pixel (x, y + 1) +
      pixel (x + 1, y + 1)) - int (pixel (x - 1, y - 1) +
      2u * pixel (x, y - 1) + pixel (x + 1, y - 1));
  uint n = min (uint (gx * gx + gy * gy), 65025u);
  uint m = uint (sqrt (float (n)));

  m -= m * m > n ? 1u : 0u;
  m += (m + 1u) * (m + 1u) <= n ? 1u : 0u;
  if (threshold > 0u)
    m = m >= threshold ? 255u : 0u;
  return m;
}

void
main ()
{
  uint x4 = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
  uint out_words = rk_params.out_stride[0] / 4u;
  uint threshold = uint (rk_params.param[0]);

  if (x4 == 0u && y == 0u) {
    rk_info.out_size = rk_params.out_size;
    rk_info.out_type = RK_MSG_DATA;
  }
  if (x4 >= out_words || y >= rk_params.height)
    return;

  uint word = 0u;
  for (uint k = 0u; k < 4u; k++) {
    uint x = 4u * x4 + k;

    if (x < rk_params.width)
      word |= magnitude (int (x), int (y), threshold) << (8u * k);
  }
  rk_out.words[(rk_params.out_offset[0] + y * rk_params.out_stride[0]) / 4u
      + x4] = word;
}
