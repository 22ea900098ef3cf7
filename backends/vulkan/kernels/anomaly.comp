#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * anomaly: Welford statistics per channel as specified in
 * runtime/kernels/gstrkanomaly.c, in double precision (shaderFloat64),
 * one invocation per channel walking the frames in order. `precise`
 * keeps the statistics free of fma contraction, the arithmetic of the
 * CPU reference. A buffer runs as chunks of CHUNK frames, one pass each
 * (lavapipe ends loops after 65,535 iterations); the last pass advances
 * the frame count that every chunk pass reads.
 *
 * Anomalies go to the aux region: a count (atomic) at word 0, then from
 * byte 16 records of 40 bytes (below) in any order, as many as fit; the
 * host sorts them into the CPU's order and fails the buffer when the
 * count exceeds what fits (gstrkvulkananomaly.c).
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

#define CHUNK 4096u
/* records that fit: min (samples, MAX_EVENTS), as the host sized it */
#define MAX_EVENTS 16384u

layout (local_size_x = 64) in;

/* GstRkAnomalyState, then mean[C], m2[C] */
layout (std430, set = 0, binding = RKV_BINDING_STATE) buffer RkState
{
  uint samples_lo;
  uint samples_hi;
  uint pad[14];
  double stats[];
} st;

struct Record
{
  uint channel;
  uint frame;                   /* in the buffer */
  uint offset_lo;               /* frames since the last reset */
  uint offset_hi;
  double mean;                  /* before the sample */
  double m2;
  float value;
  uint pad;
};

layout (std430, set = 0, binding = RKV_BINDING_BULK_AUX) buffer RkAux
{
  uint count;
  uint pad[3];
  Record records[];
} aux;

void
main ()
{
  uint C = rk_params.channels, c = gl_GlobalInvocationID.x;
  uint F = rk_info.in_size / (4u * C), chunks = (F + CHUNK - 1u) / CHUNK;
  uint k = RK_PASS;

  if (k == chunks) {
    if (c == 0u) {
      uint lo = st.samples_lo + F;

      st.samples_hi += lo < F ? 1u : 0u;
      st.samples_lo = lo;
      rk_info.out_size = 0u;
      rk_info.out_type = RK_MSG_DATA;
    }
    return;
  }
  if (c >= C)
    return;

  precise double mean = st.stats[c], m2 = st.stats[C + c];
  double base = double (st.samples_lo) + double (st.samples_hi) *
      4294967296.0;
  double z2 = double (rk_params.param[0]) * double (rk_params.param[0]);
  double min_samples = floor (double (rk_params.param[1]));
  uint end = min (F, (k + 1u) * CHUNK);

  for (uint i = k * CHUNK; i < end; i++) {
    float xf = uintBitsToFloat (rk_in.words[i * C + c]);
    double x = double (xf), n = base + double (i);
    precise double d = x - mean;

    if (n >= min_samples && m2 > 0.0 && d * d * n > z2 * m2) {
      uint slot = atomicAdd (aux.count, 1u);

      if (slot < min (rk_info.in_size / 4u, MAX_EVENTS)) {
        uint seen_lo = st.samples_lo + i;

        aux.records[slot].channel = c;
        aux.records[slot].frame = i;
        aux.records[slot].offset_lo = seen_lo;
        aux.records[slot].offset_hi = st.samples_hi +
            (seen_lo < i ? 1u : 0u);
        aux.records[slot].mean = mean;
        aux.records[slot].m2 = m2;
        aux.records[slot].value = xf;
      }
    }
    precise double r = 1.0 / (n + 1.0);
    mean += d * r;
    m2 += d * (x - mean);
  }
  st.stats[c] = mean;
  st.stats[C + c] = m2;
}
