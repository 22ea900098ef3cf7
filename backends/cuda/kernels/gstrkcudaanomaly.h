/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkanomaly's device code (C/CUDA subset: also compiled into the tests'
 * fake device). Welford statistics per channel in double precision, as
 * runtime/kernels/gstrkanomaly.c specifies; the CPU reference is
 * backends/cpu/kernels/gstrkcpuanomaly.c. The state (GstRkAnomalyState,
 * then mean[C], m2[C]) is zeros after a reset, as on the CPU.
 *
 * Decomposition: one thread per channel (Welford is sequential in time),
 * frames in chunks of RK_CUDA_ANOMALY_CHUNK, one chunk per round:
 *   phase 0  each channel runs the chunk's frames, updating its mean and
 *            m2 in the state, and marks each anomaly in its scratch slot
 *            (frame-in-chunk × C + channel)
 *   phase 1  one thread copies the marked slots to the extras area in
 *            (frame, channel) order, the CPU's order, and asks for another
 *            round while frames remain; the last round passes the audio on
 *            and counts the frames.
 * So the extras area holds at most CHUNK × C events (every sample an
 * anomaly) and a burst of any size goes out over several rounds, none
 * lost. Arithmetic: the specified operations one by one, rounded to
 * nearest, never fused (rk_dmul, rk_dadd ...), a correctly rounded
 * division and square root: the same doubles as the CPU's scalar path. */
#ifndef __GST_RK_CUDA_ANOMALY_H__
#define __GST_RK_CUDA_ANOMALY_H__

#include "gstrkcudajob.h"
#ifndef __CUDACC__
#include <math.h>             /* sqrt on the host (the fake device) */
#endif

#define RK_CUDA_ANOMALY_CHUNK 64u

/* GstRkAnomalyState, GstRkAnomalyEvent
 * (runtime/kernels/gstrkkernellayouts.h) */
typedef struct
{
  uint64_t samples;
  uint8_t _pad[56];
} RkCudaAnomalyState;

typedef struct
{
  uint64_t offset;
  uint64_t timestamp;
  double value;
  double z;
  double mean;
  double stddev;
  uint32_t channel;
  uint32_t _pad;                /* in scratch: 1 when the slot holds one */
} RkCudaAnomalyEvent;

RK_DEVFN void
rk_cuda_anomaly_process (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  RkCudaAnomalyState *st = RK_CUDA_JOB_PTR (RkCudaAnomalyState,
      job->state_ptr);
  RkCudaAnomalyEvent *slots = RK_CUDA_JOB_PTR (RkCudaAnomalyEvent,
      job->scratch_ptr);
  const uint32_t C = job->params.channels;
  const uint64_t frames = job->in_size / ((uint64_t) C * 4);
  const uint64_t first = job->cursor;
  const uint64_t last = first + RK_CUDA_ANOMALY_CHUNK < frames ?
      first + RK_CUDA_ANOMALY_CHUNK : frames;

  if (phase == 0) {
    const float *in = RK_CUDA_JOB_PTR (const float, job->in_ptr);
    double *mean = (double *) (st + 1), *m2 = mean + C;
    const double tz = (double) job->params.param[0];
    const double z2 = rk_dmul (tz, tz);
    const uint64_t min_samples = (uint64_t) job->params.param[1];

    for (uint64_t c = t.index; c < C; c += t.count) {
      double mu = mean[c], q = m2[c];

      for (uint64_t i = first; i < last; i++) {
        const uint64_t seen = st->samples + i;
        const double n = (double) seen, r = 1.0 / (double) (seen + 1);
        const double x = (double) in[i * C + c];
        const double d = rk_dsub (x, mu);
        RkCudaAnomalyEvent *ev = &slots[(i - first) * C + c];

        ev->_pad = 0;
        if (seen >= min_samples && q > 0.0 &&
            rk_dmul (rk_dmul (d, d), n) > rk_dmul (z2, q)) {
          ev->_pad = 1;
          ev->channel = (uint32_t) c;
          ev->offset = seen;
          ev->value = x;
          ev->mean = mu;
          ev->stddev = sqrt (q / n);
          ev->z = rk_dsub (x, mu) / ev->stddev;
        }
        mu = rk_dadd (mu, rk_dmul (d, r));
        q = rk_dadd (q, rk_dmul (d, rk_dsub (x, mu)));
      }
      mean[c] = mu;
      m2[c] = q;
    }
    return;
  }

  if (t.index == 0) {
    const uint64_t n_slots = (last - first) * C;

    for (uint64_t k = 0; k < n_slots; k++) {
      RkCudaAnomalyEvent *ev;

      if (!slots[k]._pad)
        continue;
      /* the host sized the area for a whole chunk of anomalies */
      ev = (RkCudaAnomalyEvent *) rk_cuda_job_extra_append (job,
          RK_MSG_NOTIFY, sizeof (RkCudaAnomalyEvent));
      *ev = slots[k];
      ev->_pad = 0;
      ev->timestamp = rk_cuda_frame_time (job->pts, ev->offset -
          st->samples, job->params.rate);
    }
    if (last < frames) {
      job->more = 1;
      job->cursor = last;
      return;
    }
    st->samples += frames;
    job->out_type = RK_MSG_DATA;
    job->out_size = job->in_size;
    job->out_flags = RK_CUDA_OUT_INPUT;
  }
}

#endif /* __GST_RK_CUDA_ANOMALY_H__ */
