/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkspectrum's device code (C/CUDA subset: also compiled into the tests'
 * fake device). The framing of runtime/kernels/gstrkspectrum.c, step for
 * step as backends/cpu/kernels/gstrkcpuspectrum.c does it; the state
 * (GstRkSpectrumState, ring[nfft][C], mag[bands][C]) is the CPU's, zeros
 * after a reset (`initialised` 0: the next message starts the interval
 * count, as on the CPU).
 *
 * A buffer goes through in rounds, one step of the CPU's loop each (up to
 * the next multiple of nfft or the end of the interval): so a round emits
 * at most one interval (one NOTIFY record in the extras area), and a long
 * buffer's several intervals go out in order over several rounds.
 *   phase 0  one thread: the interval bookkeeping and the step's frames
 *            into the ring (at most nfft of them)
 *   phase 1  when the step ends an FFT: one thread per (band, channel),
 *            a direct DFT of the windowed ring, accumulated in double with
 *            the twiddle of (k n mod nfft) (so no Bluestein for nfft not a
 *            power of two), its dB added to the band's float sum. The
 *            CPU's FFT rounds differently: the descriptor allows 0.01 dB.
 *   phase 2  one thread: the interval's message, the next round or the
 *            audio passed on. */
#ifndef __GST_RK_CUDA_SPECTRUM_H__
#define __GST_RK_CUDA_SPECTRUM_H__

#include "gstrkcudajob.h"
#ifndef __CUDACC__
#include <math.h>               /* cos, sin, log10 on the host (fake device) */
#endif

/* GstRkSpectrumBlob, GstRkSpectrumState, GstRkSpectrumEvent
 * (runtime/kernels/gstrkkernellayouts.h); the window follows the blob */
typedef struct
{
  uint32_t bands;
  uint32_t nfft;
  uint32_t m;
  uint32_t out_channels;
  uint64_t frames_per_interval;
  uint64_t error_per_interval;
  uint64_t interval;
  int32_t threshold;
  uint32_t multi_channel;
} RkCudaSpectrumBlob;

typedef struct
{
  uint64_t num_frames;
  uint64_t frames_todo;
  uint64_t accumulated_error;
  uint64_t message_ts;
  uint32_t input_pos;
  uint32_t num_fft;
  uint32_t initialised;
  uint8_t _pad[20];
} RkCudaSpectrumState;

typedef struct
{
  uint64_t timestamp;
  uint64_t duration;
  uint32_t out_channels;
  uint32_t bands;
  uint32_t multi_channel;
  uint32_t _pad;
} RkCudaSpectrumEvent;

#define RK_CUDA_SECOND 1000000000ull

/* job->acc slots between the phases of a round */
#define RK_CUDA_SPECTRUM_FFT  0
#define RK_CUDA_SPECTRUM_FULL 1

RK_DEVFN void
rk_cuda_spectrum_process (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  const RkCudaSpectrumBlob *b = RK_CUDA_JOB_PTR (const RkCudaSpectrumBlob,
      job->blob_ptr);
  const float *window = (const float *) (b + 1);
  RkCudaSpectrumState *st = RK_CUDA_JOB_PTR (RkCudaSpectrumState,
      job->state_ptr);
  float *ring = (float *) (st + 1);
  const uint32_t nfft = b->nfft, C = b->out_channels, bands = b->bands;
  float *mag = ring + (uint64_t) nfft * C;
  const uint32_t channels = job->params.channels;
  const uint64_t frames = job->in_size / ((uint64_t) channels * 4);

  if (phase == 0) {
    const float *in = RK_CUDA_JOB_PTR (const float, job->in_ptr);
    uint64_t done = job->cursor, block;

    if (t.index != 0 || frames == 0)
      return;
    if (!st->initialised) {
      st->frames_todo = b->frames_per_interval;
      st->accumulated_error = 0;
      st->initialised = 1;
    }
    if (st->num_frames == 0)
      st->message_ts = rk_cuda_frame_time (job->pts, done, job->params.rate);
    block = st->frames_todo - st->num_frames;
    if (frames - done < block)
      block = frames - done;
    if (nfft - st->num_frames % nfft < block)
      block = nfft - st->num_frames % nfft;
    for (uint64_t i = 0; i < block; i++) {
      const float *src = in + (done + i) * channels;
      float *dst = ring + (uint64_t) st->input_pos * C;

      if (C == channels) {
        for (uint32_t c = 0; c < C; c++)
          dst[c] = src[c];
      } else {
        float v = 0.0f;

        for (uint32_t c = 0; c < channels; c++)
          v = rk_fadd (v, src[c]);
        dst[0] = v / (float) channels;
      }
      if (++st->input_pos == nfft)
        st->input_pos = 0;
    }
    st->num_frames += block;
    job->cursor = done + block;
    job->acc[RK_CUDA_SPECTRUM_FULL] = st->num_frames == st->frames_todo;
    job->acc[RK_CUDA_SPECTRUM_FFT] = st->num_frames % nfft == 0 ||
        (job->acc[RK_CUDA_SPECTRUM_FULL] && st->num_fft == 0);
    return;
  }

  if (phase == 1) {
    const double norm = (double) nfft * nfft;
    const double step = 6.283185307179586 / (double) nfft;

    if (!job->acc[RK_CUDA_SPECTRUM_FFT])
      return;
    for (uint64_t i = t.index; i < (uint64_t) bands * C; i += t.count) {
      const uint32_t k = (uint32_t) (i / C), c = (uint32_t) (i % C);
      double re = 0.0, im = 0.0, val;

      for (uint32_t n = 0; n < nfft; n++) {
        const float x = rk_fmul (ring[(uint64_t) ((st->input_pos + n) %
                    nfft) * C + c], window[n]);
        const double a = step * (double) (((uint64_t) k * n) % nfft);

        re += (double) x * cos (a);
        im -= (double) x * sin (a);
      }
      val = (re * re + im * im) / norm;
      val = 10.0 * log10 (val);
      if (val < b->threshold)
        val = b->threshold;
      mag[i] = (float) (mag[i] + val);
    }
    return;
  }

  if (t.index != 0)
    return;
  if (frames > 0 && job->acc[RK_CUDA_SPECTRUM_FFT])
    st->num_fft++;
  if (frames > 0 && job->acc[RK_CUDA_SPECTRUM_FULL]) {
    const uint32_t size = (uint32_t) (sizeof (RkCudaSpectrumEvent) +
        (uint64_t) C * bands * 4);
    RkCudaSpectrumEvent *ev = (RkCudaSpectrumEvent *)
        rk_cuda_job_extra_append (job, RK_MSG_NOTIFY, size);
    float *out = (float *) (ev + 1);

    /* the host sized the extras area for one interval */
    st->frames_todo = b->frames_per_interval;
    if (st->accumulated_error >= RK_CUDA_SECOND) {
      st->accumulated_error -= RK_CUDA_SECOND;
      st->frames_todo++;
    }
    st->accumulated_error += b->error_per_interval;
    ev->timestamp = st->message_ts;
    ev->duration = b->interval;
    ev->out_channels = C;
    ev->bands = bands;
    ev->multi_channel = b->multi_channel;
    ev->_pad = 0;
    for (uint32_t c = 0; c < C; c++)
      for (uint32_t i = 0; i < bands; i++)
        out[(uint64_t) c * bands + i] = mag[(uint64_t) i * C + c] /
            (float) st->num_fft;
    for (uint64_t i = 0; i < (uint64_t) bands * C; i++)
      mag[i] = 0.0f;
    st->num_frames = 0;
    st->num_fft = 0;
  }
  if (job->cursor < frames) {
    job->more = 1;
    return;
  }
  job->out_type = RK_MSG_DATA;
  job->out_size = job->in_size;
  job->out_flags = RK_CUDA_OUT_INPUT;
}

#endif /* __GST_RK_CUDA_SPECTRUM_H__ */
