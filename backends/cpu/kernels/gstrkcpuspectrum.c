/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkspectrum on the CPU: the framing of runtime/kernels/gstrkspectrum.c
 * with every output channel in one pass: the input ring and the
 * magnitude sums are [frame][channel], and one FFT call transforms all
 * channels at once (vector code across channels).
 */

#include <math.h>
#include <string.h>

#include "gstrkcpufft.h"
#include "gstrkcpuframe.h"
#include "gstrkcpukernel.h"
#include "gstrkcpuscratch.h"
#include "gstrkcpuvec.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

GST_RK_CPU_VECTORIZE

typedef struct
{
  const GstRkSpectrumBlob *blob;
  const gfloat *window;
  gfloat *ring;                 /* [nfft][C] */
  gfloat *mag;                  /* [bands][C] */
} Spectrum;

/* One windowed FFT of the ring (oldest first), added to the sums. */
static GST_RK_CPU_HOT void
run_fft (const Spectrum * sp, guint input_pos)
{
  const GstRkSpectrumBlob *b = sp->blob;
  const guint nfft = b->nfft, C = b->out_channels, bands = b->bands;
  const guint n = b->m ? b->m : nfft;
  gfloat *re = gst_rk_cpu_scratch (0, (gsize) 2 * n * C * sizeof (gfloat));
  gfloat *im = re + (gsize) n * C;
  const gdouble norm = (gdouble) nfft * nfft;
  guint i, c;

  for (i = 0; i < nfft; i++) {
    const gfloat *src = sp->ring + (gsize) ((input_pos + i) % nfft) * C;
    const gfloat w = sp->window[i];
    gfloat *r = re + (gsize) i * C;

    for (c = 0; c < C; c++)
      r[c] = src[c] * w;
  }

  if (b->m == 0) {
    memset (im, 0, (gsize) n * C * sizeof (gfloat));
    gst_rk_cpu_fft (gst_rk_cpu_fft_plan_get (n), re, im, C, C, FALSE);
  } else {
    const gfloat *c_re = sp->window + nfft, *c_im = c_re + nfft;
    const gfloat *b_re = c_im + nfft, *b_im = b_re + b->m;
    const gfloat scale = 1.0f / b->m;
    const GstRkCpuFftPlan *plan = gst_rk_cpu_fft_plan_get (b->m);

    /* Bluestein: a = x c, zero-padded; A · B; back; times c / m. */
    for (i = 0; i < nfft; i++) {
      gfloat *r = re + (gsize) i * C, *m = im + (gsize) i * C;
      for (c = 0; c < C; c++) {
        gfloat x = r[c];
        r[c] = x * c_re[i];
        m[c] = x * c_im[i];
      }
    }
    memset (re + (gsize) nfft * C, 0, (gsize) (n - nfft) * C * sizeof (gfloat));
    memset (im + (gsize) nfft * C, 0, (gsize) (n - nfft) * C * sizeof (gfloat));
    gst_rk_cpu_fft (plan, re, im, C, C, FALSE);
    for (i = 0; i < n; i++) {
      gfloat *r = re + (gsize) i * C, *m = im + (gsize) i * C;
      for (c = 0; c < C; c++) {
        gfloat xr = r[c] * b_re[i] - m[c] * b_im[i];
        gfloat xi = r[c] * b_im[i] + m[c] * b_re[i];
        r[c] = xr;
        m[c] = xi;
      }
    }
    gst_rk_cpu_fft (plan, re, im, C, C, TRUE);
    for (i = 0; i < bands; i++) {
      gfloat *r = re + (gsize) i * C, *m = im + (gsize) i * C;
      for (c = 0; c < C; c++) {
        gfloat yr = r[c] * scale, yi = m[c] * scale;
        r[c] = yr * c_re[i] - yi * c_im[i];
        m[c] = yr * c_im[i] + yi * c_re[i];
      }
    }
  }

  for (i = 0; i < bands; i++) {
    const gfloat *r = re + (gsize) i * C, *m = im + (gsize) i * C;
    gfloat *acc = sp->mag + (gsize) i * C;

    for (c = 0; c < C; c++) {
      gdouble val = r[c] * r[c];

      val += m[c] * m[c];
      val /= norm;
      val = 10.0 * log10 (val);
      if (val < b->threshold)
        val = b->threshold;
      acc[c] = (gfloat) (acc[c] + val);
    }
  }
}

#define MIX_LANES 8

/* The mean of each of @n frames, its channels summed in order (the
 * specification's arithmetic), into consecutive floats. One frame's sum
 * is a chain of dependent additions, so eight frames go side by side:
 * eight independent chains keep the adder busy instead of waiting on
 * each result, and reading the input stays the only cost. */
static inline void
mix_down (const gfloat * in, guint channels, guint n, gfloat * dst)
{
  guint i = 0, c, k;

  for (; i + MIX_LANES <= n; i += MIX_LANES, in += MIX_LANES * channels) {
    gfloat v[MIX_LANES] = { 0.0f, };

    for (c = 0; c < channels; c++)
      for (k = 0; k < MIX_LANES; k++)
        v[k] += in[(gsize) k * channels + c];
    for (k = 0; k < MIX_LANES; k++)
      dst[i + k] = v[k] / channels;
  }
  for (; i < n; i++, in += channels) {
    gfloat v = 0.0f;

    for (c = 0; c < channels; c++)
      v += in[c];
    dst[i] = v / channels;
  }
}

/* Frames into the ring: copied, or mixed down to their mean. */
static GST_RK_CPU_HOT void
input_frames (const Spectrum * sp, const gfloat * in, guint channels,
    guint n, guint pos)
{
  const guint nfft = sp->blob->nfft, C = sp->blob->out_channels;

  /* up to the ring's end, then from its start */
  while (n > 0) {
    guint run = MIN (n, nfft - pos);

    if (C == channels)
      memcpy (sp->ring + (gsize) pos * C, in,
          (gsize) run * C * sizeof (gfloat));
    else
      mix_down (in, channels, run, sp->ring + pos);
    in += (gsize) run * channels;
    n -= run;
    pos = 0;
  }
}

static gboolean
post_interval (GstRkCpuContext * ctx, const Spectrum * sp,
    GstRkSpectrumState * st, GError ** error)
{
  const GstRkSpectrumBlob *b = sp->blob;
  const guint C = b->out_channels, bands = b->bands;
  gsize size = sizeof (GstRkSpectrumEvent) + (gsize) C * bands * 4;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstRkSpectrumEvent *ev;
  GstMapInfo map;
  gfloat *out;
  guint i, c;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  ev = (GstRkSpectrumEvent *) map.data;
  memset (ev, 0, sizeof (*ev));
  ev->timestamp = st->message_ts;
  ev->duration = b->interval;
  ev->out_channels = C;
  ev->bands = bands;
  ev->multi_channel = b->multi_channel;
  out = (gfloat *) (ev + 1);
  for (c = 0; c < C; c++)
    for (i = 0; i < bands; i++)
      out[(gsize) c * bands + i] = sp->mag[(gsize) i * C + c] / st->num_fft;
  gst_buffer_unmap (buf, &map);
  memset (sp->mag, 0, (gsize) bands * C * sizeof (gfloat));
  return gst_rk_cpu_context_emit (ctx, RK_MSG_NOTIFY, buf, error);
}

static gboolean
spectrum_process (GstRkCpuContext * ctx, GError ** error)
{
  const GstRkParams *p = ctx->params;
  GstBuffer *in = ctx->msg->payload;
  GstRkSpectrumState *st = ctx->state;
  GstClockTime pts;
  GstMapInfo map;
  Spectrum sp;
  gsize size, bpf;
  guint frames, done = 0, nfft;
  gboolean ok = TRUE;

  if (ctx->config->blob == NULL || p->in_format != RK_FORMAT_F32LE) {
    gst_rk_error_not_negotiated (error, "spectrum");
    return FALSE;
  }
  if (!gst_rk_cpu_audio_input (ctx, &size, error))
    return FALSE;
  bpf = (gsize) p->channels * sizeof (gfloat);

  sp.blob = g_bytes_get_data (ctx->config->blob, NULL);
  sp.window = (const gfloat *) (sp.blob + 1);
  sp.ring = (gfloat *) (st + 1);
  sp.mag = sp.ring + (gsize) sp.blob->nfft * sp.blob->out_channels;
  nfft = sp.blob->nfft;
  if (!st->initialised) {
    st->frames_todo = sp.blob->frames_per_interval;
    st->accumulated_error = 0;
    st->initialised = 1;
  }

  frames = (guint) (size / bpf);
  pts = GST_BUFFER_PTS (in);
  gst_buffer_map (in, &map, GST_MAP_READ);
  while (ok && done < frames) {
    guint64 block;
    gboolean full;

    if (st->num_frames == 0)
      st->message_ts = GST_CLOCK_TIME_IS_VALID (pts) ?
          pts + gst_util_uint64_scale_int (done, GST_SECOND, p->rate) :
          GST_CLOCK_TIME_NONE;

    block = MIN (st->frames_todo - st->num_frames, frames - done);
    block = MIN (block, nfft - st->num_frames % nfft);
    input_frames (&sp, (const gfloat *) map.data + (gsize) done * p->channels,
        p->channels, (guint) block, st->input_pos);
    st->input_pos = (guint32) ((st->input_pos + block) % nfft);
    st->num_frames += block;
    done += (guint) block;

    full = st->num_frames == st->frames_todo;
    if (st->num_frames % nfft == 0 || (full && st->num_fft == 0)) {
      run_fft (&sp, st->input_pos);
      st->num_fft++;
    }
    if (full) {
      st->frames_todo = sp.blob->frames_per_interval;
      if (st->accumulated_error >= GST_SECOND) {
        st->accumulated_error -= GST_SECOND;
        st->frames_todo++;
      }
      st->accumulated_error += sp.blob->error_per_interval;
      ok = post_interval (ctx, &sp, st, error);
      st->num_frames = 0;
      st->num_fft = 0;
    }
  }
  gst_buffer_unmap (in, &map);
  if (!ok)
    return FALSE;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, in, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_spectrum = {
  .name = "spectrum",
  .process = spectrum_process,
};
