#version 460
/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * spectrum: the framing of runtime/kernels/gstrkspectrum.c. A buffer runs
 * as the CPU's blocks (frames up to the next FFT or the interval's end),
 * two passes each:
 *   even: one workgroup per output channel puts the block's frames into
 *         the ring, runs the FFT when due (radix 2 in the scratch, or
 *         Bluestein through it) and adds the bands to the sums; at the
 *         interval's end it writes the event record into aux and clears
 *         its sums;
 *   odd:  one invocation moves the framing on (state header, aux[0]
 *         frames done, aux[1] records written).
 * Both evaluate the block with control () from what the last odd pass
 * left. Float FFTs in another order than the CPU's: the bands match within
 * the descriptor's 0.01 dB.
 */
#extension GL_GOOGLE_include_directive : require
#extension GL_EXT_shader_explicit_arithmetic_types_int64 : require
#include "rkvulkan.glsl"
#include "rkbulk.glsl"

layout (local_size_x = 64) in;

/* GstRkSpectrumBlob, then w[nfft] (then c_re, c_im [nfft], b_re, b_im [m]) */
layout (std430, set = 0, binding = RKV_BINDING_BLOB) readonly buffer RkSpec
{
  uint bands;
  uint nfft;
  uint m;
  uint out_channels;
  uint64_t frames_per_interval;
  uint64_t error_per_interval;
  uint64_t interval;
  int threshold;
  uint multi_channel;
  float f[];
} blob;

/* GstRkSpectrumState, then ring[nfft][C], mag[bands][C] */
layout (std430, set = 0, binding = RKV_BINDING_STATE) buffer RkState
{
  uint64_t num_frames;
  uint64_t frames_todo;
  uint64_t accumulated_error;
  uint64_t message_ts;
  uint input_pos;
  uint num_fft;
  uint initialised;
  uint pad[5];
  float f[];
} st;

/* [0] frames of the buffer done, [1] records written; records from
 * word 4: GstRkSpectrumEvent (8 words) then magnitude[C][bands] */
layout (std430, set = 0, binding = RKV_BINDING_BULK_AUX) buffer RkAux
{
  uint words[];
} aux;

/* re[n], im[n] per output channel */
layout (std430, set = 0, binding = RKV_BINDING_SCRATCH) buffer RkScratch
{
  float f[];
} scratch;

#define SECOND 1000000000ul
#define NONE 0xFFFFFFFFFFFFFFFFul

struct Control
{
  uint64_t frames_todo;
  uint64_t accumulated_error;
  uint64_t message_ts;
  uint done;
  uint block;
  uint input_pos;               /* after the block */
  bool fft;
  bool full;
};

Control
control (uint frames)
{
  Control k;
  uint64_t num_frames = st.num_frames;

  k.frames_todo = st.initialised != 0u ? st.frames_todo :
      blob.frames_per_interval;
  k.accumulated_error = st.initialised != 0u ? st.accumulated_error : 0ul;
  k.done = aux.words[0];
  k.message_ts = st.message_ts;
  if (num_frames == 0ul) {
    uint64_t pts = packUint2x32 (rk_info.pts);

    k.message_ts = pts == NONE ? NONE :
        pts + uint64_t (k.done) * SECOND / uint64_t (rk_params.rate);
  }
  k.block = uint (min (min (k.frames_todo - num_frames,
              uint64_t (frames - k.done)),
          uint64_t (blob.nfft) - num_frames % uint64_t (blob.nfft)));
  k.input_pos = (st.input_pos + k.block) % blob.nfft;
  num_frames += uint64_t (k.block);
  k.full = num_frames == k.frames_todo;
  k.fft = num_frames % uint64_t (blob.nfft) == 0ul ||
      (k.full && st.num_fft == 0u);
  return k;
}

uint n_points;
uint base_re, base_im;

void
fft (float sign)
{
  uint j = gl_LocalInvocationID.x, n = n_points;
  uint bits = findMSB (n);

  for (uint i = j; i < n; i += 64u) {
    uint r = bitfieldReverse (i) >> (32u - bits);

    if (r > i) {
      float tr = scratch.f[base_re + i], ti = scratch.f[base_im + i];

      scratch.f[base_re + i] = scratch.f[base_re + r];
      scratch.f[base_im + i] = scratch.f[base_im + r];
      scratch.f[base_re + r] = tr;
      scratch.f[base_im + r] = ti;
    }
  }
  memoryBarrierBuffer ();
  barrier ();
  for (uint half_len = 1u; half_len < n; half_len *= 2u) {
    for (uint t = j; t < n / 2u; t += 64u) {
      uint m = t % half_len;
      uint a = (t / half_len) * 2u * half_len + m, b = a + half_len;
      float ang = sign * 6.283185307179586 * float (m) / float (2u * half_len);
      float wr = cos (ang), wi = sin (ang);
      float xr = scratch.f[base_re + b], xi = scratch.f[base_im + b];
      float br = xr * wr - xi * wi, bi = xr * wi + xi * wr;
      float ar = scratch.f[base_re + a], ai = scratch.f[base_im + a];

      scratch.f[base_re + a] = ar + br;
      scratch.f[base_im + a] = ai + bi;
      scratch.f[base_re + b] = ar - br;
      scratch.f[base_im + b] = ai - bi;
    }
    memoryBarrierBuffer ();
    barrier ();
  }
}

void
sync ()
{
  memoryBarrierBuffer ();
  barrier ();
}

void
work (uint frames, uint channels)
{
  uint C = blob.out_channels, c = gl_WorkGroupID.x, j = gl_LocalInvocationID.x;
  uint nfft = blob.nfft, bands = blob.bands;
  Control k = control (frames);
  uint ring = 0u, mag = nfft * C;

  for (uint i = j; i < k.block; i += 64u) {
    uint frame = k.done + i, pos = (st.input_pos + i) % nfft;
    float v;

    if (C == channels) {
      v = uintBitsToFloat (rk_in.words[frame * channels + c]);
    } else {
      v = 0.0;
      for (uint x = 0u; x < channels; x++)
        v += uintBitsToFloat (rk_in.words[frame * channels + x]);
      v /= float (channels);
    }
    st.f[ring + pos * C + c] = v;
  }
  sync ();

  uint num_fft = st.num_fft;
  if (k.fft) {
    n_points = blob.m != 0u ? blob.m : nfft;
    base_re = c * 2u * n_points;
    base_im = base_re + n_points;
    for (uint i = j; i < n_points; i += 64u) {
      float re = 0.0, im = 0.0;

      if (i < nfft) {
        float x = st.f[ring + ((k.input_pos + i) % nfft) * C + c] * blob.f[i];

        if (blob.m != 0u) {
          re = x * blob.f[nfft + i];
          im = x * blob.f[2u * nfft + i];
        } else {
          re = x;
        }
      }
      scratch.f[base_re + i] = re;
      scratch.f[base_im + i] = im;
    }
    sync ();
    fft (-1.0);
    if (blob.m != 0u) {
      uint b_re = 3u * nfft, b_im = b_re + blob.m;

      for (uint i = j; i < n_points; i += 64u) {
        float r = scratch.f[base_re + i], m = scratch.f[base_im + i];
        float br = blob.f[b_re + i], bi = blob.f[b_im + i];

        scratch.f[base_re + i] = r * br - m * bi;
        scratch.f[base_im + i] = r * bi + m * br;
      }
      sync ();
      fft (1.0);
      float scale = 1.0 / float (blob.m);
      for (uint i = j; i < bands; i += 64u) {
        float yr = scratch.f[base_re + i] * scale;
        float yi = scratch.f[base_im + i] * scale;
        float cr = blob.f[nfft + i], ci = blob.f[2u * nfft + i];

        scratch.f[base_re + i] = yr * cr - yi * ci;
        scratch.f[base_im + i] = yr * ci + yi * cr;
      }
      sync ();
    }
    double norm = double (nfft) * double (nfft);
    for (uint i = j; i < bands; i += 64u) {
      float r = scratch.f[base_re + i], m = scratch.f[base_im + i];
      double val = double (r * r);

      val += double (m * m);
      val /= norm;
      /* log10 in float: within 1e-6 dB */
      float db = 10.0 * log2 (float (val)) * 0.30102999566398120;
      double v = double (db);
      if (v < double (blob.threshold))
        v = double (blob.threshold);
      st.f[mag + i * C + c] = float (double (st.f[mag + i * C + c]) + v);
    }
    num_fft++;
  }
  if (!k.full)
    return;
  sync ();
  uint rec = 4u + aux.words[1] * (8u + C * bands);
  if (c == 0u && j == 0u) {
    aux.words[rec] = unpackUint2x32 (k.message_ts).x;
    aux.words[rec + 1u] = unpackUint2x32 (k.message_ts).y;
    aux.words[rec + 2u] = unpackUint2x32 (blob.interval).x;
    aux.words[rec + 3u] = unpackUint2x32 (blob.interval).y;
    aux.words[rec + 4u] = C;
    aux.words[rec + 5u] = bands;
    aux.words[rec + 6u] = blob.multi_channel;
    aux.words[rec + 7u] = 0u;
  }
  for (uint i = j; i < bands; i += 64u) {
    aux.words[rec + 8u + c * bands + i] =
        floatBitsToUint (st.f[mag + i * C + c] / float (num_fft));
    st.f[mag + i * C + c] = 0.0;
  }
}

void
advance (uint frames)
{
  Control k = control (frames);

  if (st.initialised == 0u) {
    st.initialised = 1u;
    st.frames_todo = k.frames_todo;
    st.accumulated_error = k.accumulated_error;
  }
  st.message_ts = k.message_ts;
  st.input_pos = k.input_pos;
  st.num_frames += uint64_t (k.block);
  aux.words[0] = k.done + k.block;
  if (k.fft)
    st.num_fft += 1u;
  if (k.full) {
    uint64_t todo = blob.frames_per_interval, err = st.accumulated_error;

    if (err >= SECOND) {
      err -= SECOND;
      todo++;
    }
    st.frames_todo = todo;
    st.accumulated_error = err + blob.error_per_interval;
    st.num_frames = 0ul;
    st.num_fft = 0u;
    aux.words[1] += 1u;
  }
}

void
main ()
{
  uint channels = rk_params.channels;
  uint frames = rk_info.in_size / (4u * channels);

  /* nothing left of the buffer: the remaining passes do nothing */
  if (aux.words[0] >= frames)
    return;
  if (RK_PASS % 2u == 0u)
    work (frames, channels);
  else if (gl_WorkGroupID.x == 0u && gl_LocalInvocationID.x == 0u)
    advance (frames);
}
