/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkfir
 * @title: rkfir
 *
 * FIR filter on F32LE interleaved audio (any channel count and rate), with
 * each channel's history in the kernel's device state.
 *
 *   y[n] = Σ_{k=0}^{K-1} h[k] x[n-k]        (x[n] = 0 before the stream)
 *
 * `taps` is h as a GstValueArray of doubles (used as floats); an empty
 * array is the identity. Output buffers have the size, timestamps and
 * flags of the input buffers.
 *
 * Evaluation, the order every backend follows so that output does not
 * depend on how the stream is cut into buffers (the tests check that one
 * buffer and buffers of one sample give identical bytes): samples are
 * grouped in blocks of P = 64 (GST_RK_FIR_BLOCK) counted from the start of
 * the stream or the last reset.
 *
 * - head: acc = 0; for k = 0 .. min(K, P) - 1: acc += h[k] x[n-k] (float,
 *   in this order); y[n] = acc + T[n mod P]
 * - tail (K > P only): T holds Σ_{k ≥ P} h[k] x[n-k] for the samples of
 *   the current block. When a block b completes, S_b = DFT_2P of its last
 *   two blocks of input (2P samples, oldest first) enters a delay line
 *   (channels 2l and 2l + 1 share one complex transform as its real and
 *   imaginary parts; the taps are real, so each keeps to its own part),
 *   Y = Σ_q S_{b-q} G_q over the Q partitions (the G_q come precomputed in
 *   the config blob, see GstRkFirBlob), and T[j] = IDFT_2P(Y)[P + j] / 2P
 *   for the next block. DFT_N(x)_k = Σ x_n e^{-2πikn/N}; the IDFT uses
 *   e^{+2πikn/N} without scaling.
 *
 * Other backends match the CPU reference within 1e-5 × Σ|h| × max|x|
 * (float rounding of the sums and the FFTs), the tolerance their tests use.
 * The element is resettable: `reset` and `reset-on-flush` clear the
 * history.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 audiotestsrc ! audio/x-raw,format=F32LE,channels=2 ! rkfir taps="<0.25, 0.5, 0.25>" ! audioconvert ! autoaudiosink
 * ]|
 */

#include <math.h>

#include "gstrkaudio.h"
#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

static const GstRkParamInfo fir_params[] = {
  {"taps", "Taps",
        "Filter coefficients h[0], h[1], ... (an empty array passes the "
        "audio through)", GST_RK_PARAM_DOUBLE_ARRAY, 0, GST_RK_FIR_MAX_TAPS,
      0, -1, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
};

/* The G_q of the blob: a direct DFT in double precision, once per
 * configuration. */
static void
tail_spectrum (const gfloat * h, guint n_taps, guint P, guint q, gfloat * re,
    gfloat * im)
{
  guint N = 2 * P, k, m;

  for (k = 0; k < N; k++) {
    gdouble sr = 0.0, si = 0.0;

    for (m = 0; m < P; m++) {
      guint idx = P + q * P + m;
      gdouble a;

      if (idx >= n_taps)
        break;
      a = -2.0 * G_PI * (gdouble) ((guint64) k * m % N) / N;
      sr += h[idx] * cos (a);
      si += h[idx] * sin (a);
    }
    re[k] = (gfloat) sr;
    im[k] = (gfloat) si;
  }
}

static gboolean
fir_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;
  const GValue *taps = gst_structure_get_value (params, "taps");
  guint n = taps ? gst_value_array_get_size (taps) : 0, i, q;
  guint P = GST_RK_FIR_BLOCK, K = MAX (n, 1), Q;
  GstRkFirBlob *blob;
  gfloat *h, *g;
  gsize blob_size;

  if (!gst_rk_params_set_audio (p, config->sink_caps, error))
    return FALSE;

  Q = K > P ? (K - P + P - 1) / P : 0;
  blob_size = sizeof (GstRkFirBlob) + (K + (gsize) Q * 4 * P) * sizeof (gfloat);
  blob = g_malloc0 (blob_size);
  blob->n_taps = K;
  blob->block = P;
  blob->n_parts = Q;
  h = (gfloat *) (blob + 1);
  if (n == 0)
    h[0] = 1.0f;
  for (i = 0; i < n; i++)
    h[i] = (gfloat) g_value_get_double (gst_value_array_get_value (taps, i));
  g = h + K;
  for (q = 0; q < Q; q++)
    tail_spectrum (h, K, P, q, g + q * 4 * P, g + q * 4 * P + 2 * P);
  config->blob = g_bytes_new_take (blob, blob_size);

  config->state_size = sizeof (GstRkFirState) + (gsize) ((p->channels +
          GST_RK_FIR_CHANNELS - 1) / GST_RK_FIR_CHANNELS) *
      gst_rk_fir_group_floats (P, Q) * sizeof (gfloat);
  config->src_caps = gst_caps_ref (config->sink_caps);
  return TRUE;
}

const GstRkKernelInfo gst_rk_kernel_info_fir = {
  .name = "fir",
  .long_name = "Ring kernel FIR filter",
  .klass = "Filter/Effect/Audio",
  .description = "FIR filter on F32LE interleaved sensor or audio streams, "
      "per-channel history in device state",
  .sink_caps = GST_RK_AUDIO_F32_CAPS,
  .src_caps = GST_RK_AUDIO_F32_CAPS,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = fir_params,
  .n_params = G_N_ELEMENTS (fir_params),
  .flags = GST_RK_KERNEL_FLAG_RESETTABLE,
  .configure = fir_configure,
};
