/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* rkfir's device code (C/CUDA subset: also compiled into the tests' fake
 * device): y[n] = Σ_{k<K} h[k] x[n-k] of runtime/kernels/gstrkfir.c, by
 * direct convolution.
 *
 * Decomposition: one thread per (channel, output sample), each summing its
 * K products in k order (float, unfused: rk_fmul, rk_fadd). A GPU has the
 * arithmetic for 512 taps per sample many times over at audio rates, the
 * threads read the same taps in step (broadcast) and neighbouring samples
 * (coalesced), and there is no FFT state to carry: the sum of an output
 * depends on x and h only, so the output is the same bytes however the
 * stream is cut into buffers. It differs from the CPU's partitioned FFT
 * (taps beyond 64) by float rounding only, within the descriptor's
 * 1e-5 × Σ|h| × max|x|.
 *
 * State (this port's layout): a 64-byte header, then per channel its last
 * K - 1 input samples, oldest first; zeros after a reset, which is "x = 0
 * before the stream" as specified.
 *   phase 0  the outputs, reading the history for n - k < 0
 *   phase 1  the new history (the last K - 1 samples of history + buffer)
 *            into scratch
 *   phase 2  scratch back into the state */
#ifndef __GST_RK_CUDA_FIR_H__
#define __GST_RK_CUDA_FIR_H__

#include "gstrkcudajob.h"

/* GstRkFirBlob's header; the taps follow (the partition spectra the CPU
 * uses are not uploaded) */
typedef struct
{
  uint32_t n_taps;
  uint32_t block;
  uint32_t n_parts;
  uint32_t _pad;
} RkCudaFirBlob;

#define RK_CUDA_FIR_STATE_HEADER 64u

RK_DEVFN void
rk_cuda_fir_process (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  const RkCudaFirBlob *blob = RK_CUDA_JOB_PTR (const RkCudaFirBlob,
      job->blob_ptr);
  const float *h = (const float *) (blob + 1);
  const uint32_t K = blob->n_taps, C = job->params.channels;
  const uint32_t H = K > 0 ? K - 1 : 0;        /* history per channel */
  const uint64_t frames = job->in_size / ((uint64_t) C * 4);
  const float *x = RK_CUDA_JOB_PTR (const float, job->in_ptr);
  float *hist = RK_CUDA_JOB_PTR (float, job->state_ptr +
      RK_CUDA_FIR_STATE_HEADER);
  float *next = RK_CUDA_JOB_PTR (float, job->scratch_ptr);

  if (phase == 0) {
    float *y = RK_CUDA_JOB_PTR (float, job->out_ptr);
    const uint64_t n_out = frames * C;

    for (uint64_t i = t.index; i < n_out; i += t.count) {
      const uint64_t n = i / C, c = i % C;
      float acc = 0.0f;

      if (K == 0) {
        y[i] = x[i];            /* no taps: the identity */
        continue;
      }
      for (uint32_t k = 0; k < K; k++) {
        int64_t src = (int64_t) n - k;
        float v = src >= 0 ? x[(uint64_t) src * C + c] :
            hist[c * H + (uint64_t) ((int64_t) H + src)];

        acc = rk_fadd (acc, rk_fmul (h[k], v));
      }
      y[i] = acc;
    }
    if (t.index == 0) {
      job->out_type = RK_MSG_DATA;
      job->out_size = job->in_size;
    }
    return;
  }

  if (phase == 1) {
    /* sample j of a channel's new history is sample frames + j of its
     * history followed by the buffer */
    for (uint64_t i = t.index; i < (uint64_t) H * C; i += t.count) {
      const uint64_t c = i / H, j = i % H, src = frames + j;

      next[i] = src < H ? hist[c * H + src] : x[(src - H) * C + c];
    }
    return;
  }

  for (uint64_t i = t.index; i < (uint64_t) H * C; i += t.count)
    hist[i] = next[i];
}

#endif /* __GST_RK_CUDA_FIR_H__ */
