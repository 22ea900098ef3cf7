/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-rkspectrum
 * @title: rkspectrum
 *
 * Windowed FFT magnitude per channel of F32LE interleaved audio; the audio
 * passes through unchanged. Every `interval` it posts a `spectrum` element
 * message shaped like the stock `spectrum` element's, so applications can
 * switch: `endtime`, `timestamp`, `stream-time`, `running-time`,
 * `duration` (the interval) and `magnitude` in dB — a GST_TYPE_LIST of
 * floats, or with `multi-channel` a GST_TYPE_ARRAY holding one
 * GST_TYPE_ARRAY per channel — plus the HLC stamp (`hlc-physical`,
 * `hlc-logical`, `hlc-node`).
 *
 * The specification every backend follows (the stock element's framing):
 *
 * - nfft = 2 × bands - 2. Input frames enter a ring of nfft samples per
 *   output channel; without `multi-channel` the sample is the mean of the
 *   channels, summed in channel order in float then divided by the count.
 * - An interval lasts frames_todo frames: floor (interval × rate / 1 s),
 *   plus one whenever the accumulated remainder (interval × rate mod 1 s,
 *   added per interval) reaches 1 s.
 * - An FFT runs each time the interval's frame count reaches a multiple of
 *   nfft, and once at the end of an interval that had none. It takes the
 *   ring oldest first, multiplies by the Hamming window
 *   w[i] = 0.53836 - 0.46164 cos (2π i / nfft) (float, in the blob),
 *   computes X = DFT_nfft, and adds to each band i < bands
 *   max (threshold, 10 log10 ((re² + im²) / nfft²)) (in double, summed in
 *   float).
 * - At the end of an interval the message carries the sums divided by the
 *   number of FFTs; the sums restart, the ring does not.
 * - DFT: radix-2 when nfft is a power of two, otherwise Bluestein's
 *   algorithm through a power-of-two size m ≥ 2 nfft - 1 with the chirp
 *   c_n = e^{-iπ n² / nfft} and the spectrum of its conjugate from the
 *   blob: X_k = c_k IDFT_m (DFT_m (x c) · B)_k / m. The CPU backend
 *   computes the same DFT of the real window with half the work: the
 *   nfft/2 complex points x_2n + i x_2n+1 through Bluestein's m/2, split
 *   into the bands after (backends/cpu/kernels/gstrkcpuspectrum.c).
 *
 * Backends match one another within 0.01 dB per band (float FFT
 * rounding), the tolerance their tests use.
 *
 * `timestamp` is the PTS of the interval's first frame (the buffer's PTS
 * plus the frames before it in the buffer); `stream-time`, `running-time`
 * and `endtime` (= stream-time + duration) follow from the segment.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -m audiotestsrc ! audio/x-raw,format=F32LE ! rkspectrum bands=129 ! fakesink
 * ]|
 */

#include <math.h>
#include <string.h>

#include "gstrkaudio.h"
#include "gstrkbuiltinkernels.h"
#include "gstrkerror.h"
#include "gstrkkernellayouts.h"

#define MAX_BANDS 8193

static const GstRkParamInfo spectrum_params[] = {
  {"bands", "Bands", "Number of frequency bands (the FFT has 2 bands - 2 "
        "points); sizes the device state, so it changes in READY only",
      GST_RK_PARAM_INT, 2, MAX_BANDS, 128, -1, 0},
  {"interval", "Interval", "Time between messages, in ns; a change while "
        "playing applies from the next interval (the one in progress keeps "
        "its length)", GST_RK_PARAM_UINT64, 1, 3600.0 * GST_SECOND,
        100 * GST_MSECOND, -1, GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
  {"threshold", "Threshold", "dB floor: bands below it report it",
        GST_RK_PARAM_INT, -1000, 0, -60, -1,
      GST_RK_PARAM_FLAG_MUTABLE_PLAYING},
  {"multi-channel", "Multi channel",
        "One spectrum per channel; otherwise the spectrum of the channels' "
        "mean. Sizes the device state, so it changes in READY only",
      GST_RK_PARAM_BOOLEAN, 0, 1, 0, -1, 0},
};

/* In-place radix-2 FFT in double precision, for the blob only. */
static void
dft_pow2 (gdouble * re, gdouble * im, guint n)
{
  guint i, j = 0, len, k;

  for (i = 1; i < n; i++) {
    guint bit = n >> 1;
    for (; j & bit; bit >>= 1)
      j ^= bit;
    j ^= bit;
    if (i < j) {
      gdouble t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (len = 2; len <= n; len <<= 1) {
    for (i = 0; i < n; i += len) {
      for (k = 0; k < len / 2; k++) {
        gdouble a = -2.0 * G_PI * k / len, wr = cos (a), wi = sin (a);
        guint u = i + k, v = i + k + len / 2;
        gdouble xr = re[v] * wr - im[v] * wi, xi = re[v] * wi + im[v] * wr;

        re[v] = re[u] - xr;
        im[v] = im[u] - xi;
        re[u] += xr;
        im[u] += xi;
      }
    }
  }
}

static gboolean
spectrum_configure (const GstRkKernelInfo * info, GstRkConfig * config,
    const GstStructure * params, GError ** error)
{
  GstRkParams *p = &config->params;
  gint bands = 128, threshold = -60;
  guint64 interval = 100 * GST_MSECOND;
  gboolean multi = FALSE;
  guint nfft, m = 0, i, out_channels;
  GstRkSpectrumBlob *blob;
  gsize blob_size;
  gfloat *w;

  if (!gst_rk_params_set_audio (p, config->sink_caps, error))
    return FALSE;
  gst_structure_get_int (params, "bands", &bands);
  gst_structure_get_uint64 (params, "interval", &interval);
  gst_structure_get_int (params, "threshold", &threshold);
  gst_structure_get_boolean (params, "multi-channel", &multi);

  nfft = 2 * (guint) bands - 2;
  if (nfft & (nfft - 1))
    for (m = 1; m < 2 * nfft - 1; m <<= 1);
  out_channels = multi ? p->channels : 1;

  blob_size = sizeof (*blob) + (nfft + (m ? 2 * nfft + 2 * m : 0)) *
      sizeof (gfloat);
  blob = g_malloc0 (blob_size);
  blob->bands = bands;
  blob->nfft = nfft;
  blob->m = m;
  blob->out_channels = out_channels;
  blob->frames_per_interval = gst_util_uint64_scale (interval, p->rate,
      GST_SECOND);
  blob->error_per_interval = (interval * p->rate) % GST_SECOND;
  if (blob->frames_per_interval == 0)
    blob->frames_per_interval = 1;
  blob->interval = interval;
  blob->threshold = threshold;
  blob->multi_channel = multi;

  w = (gfloat *) (blob + 1);
  for (i = 0; i < nfft; i++)
    w[i] = (gfloat) (0.53836 - 0.46164 * cos (2.0 * G_PI * i / nfft));

  if (m) {
    gfloat *c_re = w + nfft, *c_im = c_re + nfft;
    gfloat *b_re = c_im + nfft, *b_im = b_re + m;
    gdouble *re = g_new0 (gdouble, m), *im = g_new0 (gdouble, m);

    for (i = 0; i < nfft; i++) {
      /* n² mod 2 nfft keeps the angle exact for large n */
      gdouble a = G_PI * (gdouble) ((guint64) i * i % (2 * nfft)) / nfft;

      c_re[i] = (gfloat) cos (a);
      c_im[i] = (gfloat) - sin (a);
      re[i] = cos (a);
      im[i] = sin (a);
      if (i > 0) {
        re[m - i] = cos (a);
        im[m - i] = sin (a);
      }
    }
    dft_pow2 (re, im, m);
    for (i = 0; i < m; i++) {
      b_re[i] = (gfloat) re[i];
      b_im[i] = (gfloat) im[i];
    }
    g_free (re);
    g_free (im);
  }
  config->blob = g_bytes_new_take (blob, blob_size);
  config->state_size = sizeof (GstRkSpectrumState) +
      (gsize) (nfft + bands) * out_channels * sizeof (gfloat);
  config->src_caps = gst_caps_ref (config->sink_caps);
  return TRUE;
}

static void
append_floats (GValue * container, const gfloat * v, guint n, gboolean list)
{
  GValue f = G_VALUE_INIT;
  guint i;

  g_value_init (&f, G_TYPE_FLOAT);
  for (i = 0; i < n; i++) {
    g_value_set_float (&f, v[i]);
    if (list)
      gst_value_list_append_value (container, &f);
    else
      gst_value_array_append_value (container, &f);
  }
  g_value_unset (&f);
}

static GstStructure *
spectrum_notify_to_structure (const GstRkKernelInfo * info,
    const GstRkEnvelope * env, const guint8 * data, gsize size)
{
  GstRkSpectrumEvent ev;
  const gfloat *mag;
  GstStructure *s;
  GValue v = G_VALUE_INIT;
  guint c;

  if (size < sizeof (ev))
    return NULL;
  memcpy (&ev, data, sizeof (ev));
  if (size < sizeof (ev) + (gsize) ev.out_channels * ev.bands * 4)
    return NULL;
  mag = (const gfloat *) (data + sizeof (ev));

  /* The stock element's field order; the element fills in stream-time,
   * running-time and endtime from the segment. */
  s = gst_structure_new ("spectrum",
      "endtime", GST_TYPE_CLOCK_TIME, ev.timestamp + ev.duration,
      "timestamp", G_TYPE_UINT64, ev.timestamp,
      "stream-time", G_TYPE_UINT64, ev.timestamp,
      "running-time", G_TYPE_UINT64, ev.timestamp,
      "duration", G_TYPE_UINT64, ev.duration, NULL);

  if (!ev.multi_channel) {
    g_value_init (&v, GST_TYPE_LIST);
    append_floats (&v, mag, ev.bands, TRUE);
  } else {
    g_value_init (&v, GST_TYPE_ARRAY);
    for (c = 0; c < ev.out_channels; c++) {
      GValue a = G_VALUE_INIT;

      g_value_init (&a, GST_TYPE_ARRAY);
      append_floats (&a, mag + (gsize) c * ev.bands, ev.bands, FALSE);
      gst_value_array_append_and_take_value (&v, &a);
    }
  }
  gst_structure_take_value (s, "magnitude", &v);
  return s;
}

const GstRkKernelInfo gst_rk_kernel_info_spectrum = {
  .name = "spectrum",
  .long_name = "Ring kernel spectrum analyser",
  .klass = "Filter/Analyzer/Audio",
  .description = "Windowed FFT magnitude per channel, posted as spectrum "
      "messages like the stock element's; audio passes through",
  .sink_caps = GST_RK_AUDIO_F32_CAPS,
  .src_caps = GST_RK_AUDIO_F32_CAPS,
  .kind = GST_RK_KERNEL_KIND_FRAME,
  .params = spectrum_params,
  .n_params = G_N_ELEMENTS (spectrum_params),
  .flags = GST_RK_KERNEL_FLAG_RESETTABLE,
  .configure = spectrum_configure,
  .notify_to_structure = spectrum_notify_to_structure,
};
