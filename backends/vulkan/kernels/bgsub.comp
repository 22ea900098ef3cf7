#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * bgsub: the integer running-average model of runtime/kernels/gstrkbgsub.c,
 * bit-exact with backends/cpu/kernels/gstrkcpubgsub.c. The state is
 * GstRkBgsubState then the 16-bit Q8 model (row stride = width).
 *
 * Two passes per frame:
 *   0: one invocation per output word (4 pixels of a row): luma, mask,
 *      model update, foreground count added to aux[0]. Two pixels share a
 *      model word, possibly across invocations (odd widths): each changes
 *      its own half with atomicXor, which leaves the other half alone;
 *   1: one invocation: motion crossing against the state, frame counter.
 *
 * Aux region (zeroed by the host; read by gstrkvulkanbgsub.c):
 *   [0] foreground pixels, [1] 1: a crossing, [2] active,
 *   [4], [5] the frame index (u64) of the crossing.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

/* GstRkBgsubBlob */
layout (std430, set = 0, binding = RKV_BINDING_BLOB) readonly buffer RkBgsub
{
  uint alpha_q15;
  uint threshold_q8;
  uint motion_limit;
  uint luma;
} blob;

/* GstRkBgsubState, then the model */
layout (std430, set = 0, binding = RKV_BINDING_STATE) buffer RkState
{
  uint initialised;
  uint in_motion;
  uint frames_lo;
  uint frames_hi;
  uint pad[12];
  uint model[];
} st;

layout (std430, set = 0, binding = RKV_BINDING_BULK_AUX) buffer RkAux
{
  uint words[];
} aux;

uint
in_byte (uint i)
{
  return (rk_in.words[i >> 2] >> (8u * (i & 3u))) & 0xFFu;
}

uint
luma_at (uint row, uint x)
{
  if (rk_params.in_format == RK_FORMAT_GRAY8)
    return in_byte (row + x);

  uint rgb = rk_in.words[(row >> 2) + x];
  bool bgr = rk_params.in_format == RK_FORMAT_BGRA ||
      rk_params.in_format == RK_FORMAT_BGRX;
  uint r = (rgb >> (bgr ? 16u : 0u)) & 0xFFu;
  uint g = (rgb >> 8u) & 0xFFu;
  uint b = (rgb >> (bgr ? 0u : 16u)) & 0xFFu;

  return ((66u * r + 129u * g + 25u * b + 128u) >> 8) + 16u;
}

void
pixels ()
{
  uint x4 = gl_GlobalInvocationID.x, y = gl_GlobalInvocationID.y;
  uint out_words = rk_params.out_stride[0] / 4u, w = rk_params.width;
  uint row = rk_params.in_offset[0] + y * rk_params.in_stride[0];
  bool first = st.initialised == 0u;
  int alpha = int (blob.alpha_q15), tau = int (blob.threshold_q8);
  uint word = 0u, count = 0u;

  if (x4 >= out_words || y >= rk_params.height)
    return;
  for (uint k = 0u; k < 4u; k++) {
    uint x = 4u * x4 + k;

    if (x >= w)
      break;
    uint i = y * w + x, shift = 16u * (i & 1u);
    uint old = (st.model[i >> 1] >> shift) & 0xFFFFu;
    int yl = int (luma_at (row, x));
    uint next;

    if (first) {
      next = uint (yl << 8);
    } else {
      int d = (yl << 8) - int (old);

      if (abs (d) > tau) {
        word |= 255u << (8u * k);
        count++;
      }
      next = uint (int (old) + ((d * alpha) >> 15)) & 0xFFFFu;
    }
    if (next != old)
      atomicXor (st.model[i >> 1], (old ^ next) << shift);
  }
  rk_out.words[(rk_params.out_offset[0] + y * rk_params.out_stride[0]) /
      4u + x4] = word;
  if (count > 0u)
    atomicAdd (aux.words[0], count);
}

void
motion ()
{
  uint fg = aux.words[0];
  uint on = fg > blob.motion_limit ? 1u : 0u;

  if (on != (st.in_motion != 0u ? 1u : 0u)) {
    st.in_motion = on;
    aux.words[1] = 1u;
    aux.words[2] = on;
    aux.words[4] = st.frames_lo;
    aux.words[5] = st.frames_hi;
  }
  st.initialised = 1u;
  st.frames_lo += 1u;
  if (st.frames_lo == 0u)
    st.frames_hi += 1u;
  rk_info.out_size = rk_params.out_size;
  rk_info.out_type = RK_MSG_DATA;
}

void
main ()
{
  if (RK_PASS == 0u)
    pixels ();
  else if (gl_GlobalInvocationID.x == 0u && gl_GlobalInvocationID.y == 0u)
    motion ();
}
