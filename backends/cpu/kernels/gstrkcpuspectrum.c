/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkspectrum on the CPU: the framing of runtime/kernels/gstrkspectrum.c
 * with every output channel in one pass: the input ring and the
 * magnitude sums are [frame][channel], and one FFT call transforms all
 * channels at once (vector code across channels). A single channel (the
 * channels' mean) has nothing to vectorise across: its windows of one
 * buffer are transformed eight at a time instead, and added to the sums in
 * their order, so the sums are those of one window at a time.
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

/* Windows of the mixed-down signal wait until this many are there, then
 * take one transform, vector code across the windows. */
#define BATCH 8

typedef struct
{
  const GstRkSpectrumBlob *blob;
  const gfloat *window;
  gfloat *ring;                 /* [nfft][C] */
  gfloat *mag;                  /* [bands][C] */
  gfloat *batch;                /* mixed down: windows waiting, [n][BATCH] */
  guint n_batched;
} Spectrum;

/* Transforms @nc columns of windowed samples, rows @stride floats apart
 * (re and im hold the transform's size, n = m or nfft, rows each), and adds
 * their magnitudes to the sums: column c to channel c's, or, with
 * @one_sum, every column to the one sum in column order (windows of the
 * mixed-down signal in time order: the sums of one window at a time). */
static GST_RK_CPU_HOT void
transform (const Spectrum * sp, gfloat * re, gfloat * im, guint stride,
    guint nc, gboolean one_sum)
{
  const GstRkSpectrumBlob *b = sp->blob;
  const guint nfft = b->nfft, bands = b->bands;
  const guint n = b->m ? b->m : nfft;
  const gdouble norm = (gdouble) nfft * nfft;
  guint i, c;

  if (b->m == 0) {
    memset (im, 0, (gsize) n * stride * sizeof (gfloat));
    gst_rk_cpu_fft (gst_rk_cpu_fft_plan_get (n), re, im, stride, nc, FALSE);
  } else {
    const gfloat *c_re = sp->window + nfft, *c_im = c_re + nfft;
    const gfloat *b_re = c_im + nfft, *b_im = b_re + b->m;
    const gfloat scale = 1.0f / b->m;
    const GstRkCpuFftPlan *plan = gst_rk_cpu_fft_plan_get (b->m);

    /* Bluestein: a = x c, zero-padded; A · B; back; times c / m. */
    for (i = 0; i < nfft; i++) {
      gfloat *r = re + (gsize) i * stride, *m = im + (gsize) i * stride;
      for (c = 0; c < nc; c++) {
        gfloat x = r[c];
        r[c] = x * c_re[i];
        m[c] = x * c_im[i];
      }
    }
    memset (re + (gsize) nfft * stride, 0,
        (gsize) (n - nfft) * stride * sizeof (gfloat));
    memset (im + (gsize) nfft * stride, 0,
        (gsize) (n - nfft) * stride * sizeof (gfloat));
    gst_rk_cpu_fft (plan, re, im, stride, nc, FALSE);
    for (i = 0; i < n; i++) {
      gfloat *r = re + (gsize) i * stride, *m = im + (gsize) i * stride;
      for (c = 0; c < nc; c++) {
        gfloat xr = r[c] * b_re[i] - m[c] * b_im[i];
        gfloat xi = r[c] * b_im[i] + m[c] * b_re[i];
        r[c] = xr;
        m[c] = xi;
      }
    }
    gst_rk_cpu_fft (plan, re, im, stride, nc, TRUE);
    for (i = 0; i < bands; i++) {
      gfloat *r = re + (gsize) i * stride, *m = im + (gsize) i * stride;
      for (c = 0; c < nc; c++) {
        gfloat yr = r[c] * scale, yi = m[c] * scale;
        r[c] = yr * c_re[i] - yi * c_im[i];
        m[c] = yr * c_im[i] + yi * c_re[i];
      }
    }
  }

  for (i = 0; i < bands; i++) {
    const gfloat *r = re + (gsize) i * stride, *m = im + (gsize) i * stride;
    gfloat *acc = sp->mag + (gsize) i * (one_sum ? 1 : nc);

    for (c = 0; c < nc; c++) {
      gdouble val = r[c] * r[c];

      val += m[c] * m[c];
      val /= norm;
      val = 10.0 * log10 (val);
      if (val < b->threshold)
        val = b->threshold;
      if (one_sum)
        acc[0] = (gfloat) (acc[0] + val);
      else
        acc[c] = (gfloat) (acc[c] + val);
    }
  }
}

static gsize
transform_size (const GstRkSpectrumBlob * b)
{
  return b->m ? b->m : b->nfft;
}

/* Every channel's window of the ring (oldest first) in one transform. */
static void
run_fft (const Spectrum * sp, guint input_pos)
{
  const guint nfft = sp->blob->nfft, C = sp->blob->out_channels;
  const gsize n = transform_size (sp->blob);
  gfloat *re = gst_rk_cpu_scratch (0, 2 * n * C * sizeof (gfloat));
  guint i, c;

  for (i = 0; i < nfft; i++) {
    const gfloat *src = sp->ring + (gsize) ((input_pos + i) % nfft) * C;
    const gfloat w = sp->window[i];
    gfloat *r = re + (gsize) i * C;

    for (c = 0; c < C; c++)
      r[c] = src[c] * w;
  }
  transform (sp, re, re + n * C, C, C, FALSE);
}

/* The windows waiting, in order: a full batch in one transform, fewer one
 * by one (a column alone has a faster transform of its own). */
static void
flush_windows (Spectrum * sp)
{
  const gsize n = transform_size (sp->blob);
  guint i, j;

  if (sp->n_batched == BATCH) {
    transform (sp, sp->batch, sp->batch + n * BATCH, BATCH, BATCH, TRUE);
  } else {
    gfloat *re = gst_rk_cpu_scratch (0, 2 * n * sizeof (gfloat));

    for (j = 0; j < sp->n_batched; j++) {
      for (i = 0; i < sp->blob->nfft; i++)
        re[i] = sp->batch[(gsize) i * BATCH + j];
      transform (sp, re, re + n, 1, 1, TRUE);
    }
  }
  sp->n_batched = 0;
}

/* The mixed-down signal's window of the ring (oldest first), queued. */
static void
add_window (Spectrum * sp, guint input_pos)
{
  const guint nfft = sp->blob->nfft;
  gfloat *col = sp->batch + sp->n_batched;
  guint i;

  for (i = 0; i < nfft; i++)
    col[(gsize) i * BATCH] = sp->ring[(input_pos + i) % nfft] * sp->window[i];
  if (++sp->n_batched == BATCH)
    flush_windows (sp);
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
  sp.batch = sp.blob->out_channels == 1 ? gst_rk_cpu_scratch (1,
      2 * transform_size (sp.blob) * BATCH * sizeof (gfloat)) : NULL;
  sp.n_batched = 0;
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
      if (sp.batch)
        add_window (&sp, st->input_pos);
      else
        run_fft (&sp, st->input_pos);
      st->num_fft++;
    }
    if (full) {
      if (sp.batch)
        flush_windows (&sp);
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
  /* the sums hold every window taken so far, as the state says */
  if (sp.batch)
    flush_windows (&sp);
  if (!ok)
    return FALSE;

  ctx->msg->payload = NULL;
  return gst_rk_cpu_context_emit (ctx, RK_MSG_DATA, in, error);
}

const GstRkCpuKernel gst_rk_cpu_kernel_spectrum = {
  .name = "spectrum",
  .process = spectrum_process,
};
