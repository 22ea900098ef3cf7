#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * fir: the partitioned convolution of runtime/kernels/gstrkfir.c. The
 * state has the CPU's layout (GstRkFirState, then per group of 16
 * channels X[2P][16], T[P][16] and the delay line of spectra, kept here
 * in natural bin order).
 *
 * One workgroup of P = 64 invocations per channel pair (2l, 2l + 1: the
 * real and imaginary parts of one complex FFT of 2P points, in shared
 * memory, radix 2). A buffer runs as segments, one pass each: the frames
 * up to the end of the current block, then whole blocks. Pass k does
 * segment k: its inputs go into X, invocation j computes the head sum of
 * the segment's frame j (h[k] x[n-k], k ascending, plus T), and when the
 * segment completes a block the workgroup computes the next block's tail
 * and shifts X. The last pass (GstRkFirState.pos and .head are read by
 * every segment pass) advances the positions. Each output is computed by
 * the same code whatever the buffers: 1-sample buffers and one buffer
 * give identical bytes. Floats are summed in the specified order but may
 * be contracted to fma: the CPU reference is matched within the
 * descriptor's tolerance, not bit for bit.
 */
#extension GL_GOOGLE_include_directive : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

#define P 64u
#define N 128u
#define GROUP 16u
#define LANES 8u

layout (local_size_x = 64) in;

/* GstRkFirBlob, then h[n_taps], then Q × (G_re[2P], G_im[2P]) */
layout (std430, set = 0, binding = RKV_BINDING_BLOB) readonly buffer RkFir
{
  uint n_taps;
  uint block;
  uint n_parts;
  uint pad;
  float f[];
} blob;

/* GstRkFirState, then the groups' float regions */
layout (std430, set = 0, binding = RKV_BINDING_STATE) buffer RkState
{
  uint pos;
  uint head;
  uint pad[14];
  float f[];
} st;

shared float fre[N];
shared float fim[N];

uint group_floats;

uint
x_at (uint k, uint c)
{
  return (c / GROUP) * group_floats + k * GROUP + c % GROUP;
}

uint
t_at (uint j, uint c)
{
  return (c / GROUP) * group_floats + 2u * P * GROUP + j * GROUP + c % GROUP;
}

/* The real part of bin k of slot s for channel pair l; the imaginary part
 * is N × LANES floats further. */
uint
s_at (uint s, uint k, uint l)
{
  return (2u * l / GROUP) * group_floats + 3u * P * GROUP +
      s * 2u * N * LANES + k * LANES + l % LANES;
}

uint
bitrev7 (uint k)
{
  return bitfieldReverse (k) >> 25;
}

/* In-place radix-2 DIT FFT of fre/fim (input bit-reversed, output in
 * natural order), sign -1 forward, +1 inverse (unscaled). */
void
fft (float sign)
{
  uint j = gl_LocalInvocationID.x;

  for (uint half_len = 1u; half_len < N; half_len *= 2u) {
    uint grp = j / half_len, m = j % half_len;
    uint a = grp * 2u * half_len + m, b = a + half_len;
    float ang = sign * 6.283185307179586 * float (m) / float (2u * half_len);
    float wr = cos (ang), wi = sin (ang);
    float br = fre[b] * wr - fim[b] * wi;
    float bi = fre[b] * wi + fim[b] * wr;
    float ar = fre[a], ai = fim[a];

    barrier ();
    fre[a] = ar + br;
    fim[a] = ai + bi;
    fre[b] = ar - br;
    fim[b] = ai - bi;
    barrier ();
  }
}

float
in_sample (uint i, uint c, uint C)
{
  return c < C ? uintBitsToFloat (rk_in.words[i * C + c]) : 0.0;
}

void
main ()
{
  uint C = rk_params.channels, j = gl_LocalInvocationID.x;
  uint l = gl_WorkGroupID.x, c0 = 2u * l, c1 = c0 + 1u;
  uint K = blob.n_taps, Q = blob.n_parts;
  uint F = rk_info.in_size / (4u * C), nseg = F / P + 2u;
  uint pos0 = st.pos, head0 = st.head;

  group_floats = 3u * P * GROUP + Q * 4u * P * LANES;
  if (RK_PASS == nseg) {
    if (l == 0u && j == 0u) {
      if (Q > 0u)
        st.head = (head0 + (pos0 + F) / P) % Q;
      st.pos = (pos0 + F) % P;
      rk_info.out_size = rk_info.in_size;
      rk_info.out_type = RK_MSG_DATA;
    }
    return;
  }
  /* the segment: frames start .. start + len - 1 at block positions
   * bpos .. bpos + len - 1 (uniform in the workgroup) */
  uint k = RK_PASS, start, bpos;
  if (k == 0u) {
    start = 0u;
    bpos = pos0;
  } else {
    start = P - pos0 + (k - 1u) * P;
    bpos = 0u;
  }
  if (start >= F)
    return;
  uint len = min (F - start, P - bpos);

  if (j < len) {
    uint p = P + bpos + j;

    st.f[x_at (p, c0)] = in_sample (start + j, c0, C);
    st.f[x_at (p, c1)] = in_sample (start + j, c1, C);
  }
  memoryBarrierBuffer ();
  barrier ();
  if (j < len) {
    uint p = P + bpos + j, kd = min (K, P), i = start + j;
    float a = 0.0, b = 0.0;

    for (uint t = 0u; t < kd; t++) {
      float h = blob.f[t];

      a += h * st.f[x_at (p - t, c0)];
      b += h * st.f[x_at (p - t, c1)];
    }
    rk_out.words[i * C + c0] = floatBitsToUint (a + st.f[t_at (bpos + j,
                c0)]);
    if (c1 < C)
      rk_out.words[i * C + c1] = floatBitsToUint (b + st.f[t_at (bpos + j,
                  c1)]);
  }
  if (bpos + len < P)
    return;

  /* The block is complete: the next block's tail, then shift X */
  memoryBarrierBuffer ();
  barrier ();
  if (Q > 0u) {
    uint head = (head0 + k + 1u) % Q;

    for (uint h = 0u; h < 2u; h++) {
      uint n = j + h * P, r = bitrev7 (n);

      fre[r] = st.f[x_at (n, c0)];
      fim[r] = st.f[x_at (n, c1)];
    }
    barrier ();
    fft (-1.0);
    for (uint h = 0u; h < 2u; h++) {
      uint n = j + h * P;

      st.f[s_at (head, n, l)] = fre[n];
      st.f[s_at (head, n, l) + N * LANES] = fim[n];
    }
    memoryBarrierBuffer ();
    barrier ();
    float yr[2], yi[2];
    for (uint h = 0u; h < 2u; h++) {
      uint n = j + h * P;
      float ar = 0.0, ai = 0.0;

      for (uint q = 0u; q < Q; q++) {
        uint s = (head + Q - q) % Q, g = K + q * 2u * N;
        float xr = st.f[s_at (s, n, l)], xi = st.f[s_at (s, n, l) + N * LANES];
        float gr = blob.f[g + n], gi = blob.f[g + N + n];

        ar += xr * gr - xi * gi;
        ai += xr * gi + xi * gr;
      }
      yr[h] = ar;
      yi[h] = ai;
    }
    barrier ();
    for (uint h = 0u; h < 2u; h++) {
      uint r = bitrev7 (j + h * P);

      fre[r] = yr[h];
      fim[r] = yi[h];
    }
    barrier ();
    fft (1.0);
    st.f[t_at (j, c0)] = fre[P + j] * (1.0 / float (N));
    st.f[t_at (j, c1)] = fim[P + j] * (1.0 / float (N));
  }
  st.f[x_at (j, c0)] = st.f[x_at (P + j, c0)];
  st.f[x_at (j, c1)] = st.f[x_at (P + j, c1)];
}
