/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_KERNEL_LAYOUTS_H__
#define __GST_RK_KERNEL_LAYOUTS_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * Byte layouts the built-in kernels share between their descriptor (which
 * fills config blobs and reads NOTIFY payloads) and their implementations
 * on every backend: config blobs, device state and event payloads. All
 * little-endian, fields naturally aligned, no pointers. The formulas live
 * in each descriptor's documentation (runtime/kernels/gstrk<name>.c).
 */

/* ---- blur ---- */

#define GST_RK_BLUR_MAX_SIGMA 16.0
#define GST_RK_BLUR_MAX_RADIUS 48
/* Below this sigma the blur copies (as at 0). */
#define GST_RK_BLUR_MIN_SIGMA 0.001

/* Config blob: the Q12 weights W_-r..W_r in weights[0..2r]. */
typedef struct
{
  guint32 radius;
  gint32 weights[2 * GST_RK_BLUR_MAX_RADIUS + 1];
} GstRkBlurBlob;

guint gst_rk_blur_weights (gdouble sigma, gint32 * weights);

/* ---- bgsub ---- */

/* Config blob: the integer parameters of the model. */
typedef struct
{
  guint32 alpha_q15;            /* learning rate × 32768, rounded */
  guint32 threshold_q8;         /* threshold × 256 */
  guint32 motion_limit;         /* motion when foreground pixels > this */
  guint32 luma;                 /* 1: 4-byte RGB in, take BT.601 luma */
} GstRkBgsubBlob;

/* Device state: this header, then width × height guint16 background
 * values (Q8 luma, row stride = width). */
typedef struct
{
  guint32 initialised;          /* 0 until the first frame after a reset */
  guint32 in_motion;            /* 1 while the last crossing was upward */
  guint64 frames;               /* frames since the last reset */
  guint8 _pad[48];
} GstRkBgsubState;

G_STATIC_ASSERT (sizeof (GstRkBgsubState) == 64);

/* NOTIFY payload of a motion crossing. */
typedef struct
{
  guint64 frame;                /* frame index since the last reset */
  guint64 foreground;           /* foreground pixels of that frame */
  guint64 pixels;               /* pixels in the frame */
  guint64 timestamp;            /* the frame's PTS */
  guint32 active;               /* 1: rose above motion-threshold, 0: fell */
  guint32 _pad;
} GstRkMotionEvent;

/* ---- fir ---- */

#define GST_RK_FIR_MAX_TAPS 8192
/* Block of the partitioned convolution: taps 0..P-1 run directly, taps
 * from P on through FFTs of 2P points (uniformly partitioned overlap-save). */
#define GST_RK_FIR_BLOCK 64

/* Config blob: this header, then n_taps float taps, then for each of the
 * n_parts tail partitions q its spectrum G_q (2P floats re, 2P floats im):
 * G_q = DFT_2P of (h[P + qP + m] for m < P, then P zeros). */
typedef struct
{
  guint32 n_taps;
  guint32 block;                /* P */
  guint32 n_parts;              /* Q = ceil ((n_taps - P) / P), 0 if n_taps ≤ P */
  guint32 _pad;
} GstRkFirBlob;

/* Channels of one group in the device state. */
#define GST_RK_FIR_CHANNELS 16

/* Device state: this header, then for each group of 16 channels (the last
 * one padded with channels that stay 0) its own region of float arrays,
 * channels innermost: X[2P][16] (last two blocks of input), T[P][16] (tail
 * of the current block), then Q spectra S_re[2P][8], S_im[2P][8] (the
 * delay line; lane l holds the group's channel 2l in re and 2l + 1 in im;
 * a backend may keep the bins in any fixed order, the CPU's is
 * bit-reversed).
 * A group's region is a multiple of 64 bytes, so the groups can run on
 * different cores without sharing a cache line. */
typedef struct
{
  guint32 pos;                  /* position in the current block, 0..P-1 */
  guint32 head;                 /* delay-line slot of the newest spectrum */
  guint8 _pad[56];
} GstRkFirState;

G_STATIC_ASSERT (sizeof (GstRkFirState) == 64);

/* Floats of one group's region for block P and Q partitions. */
static inline gsize
gst_rk_fir_group_floats (guint P, guint Q)
{
  return (gsize) 3 * P * GST_RK_FIR_CHANNELS +
      (gsize) Q * 4 * P * (GST_RK_FIR_CHANNELS / 2);
}

/* ---- spectrum ---- */

/* Config blob: this header, then the Hamming window w[nfft]; when nfft is
 * not a power of two (Bluestein), the chirp c_re[nfft], c_im[nfft] and the
 * spectrum of the convolution kernel b_re[m], b_im[m]. */
typedef struct
{
  guint32 bands;
  guint32 nfft;                 /* 2 bands - 2 */
  guint32 m;                    /* Bluestein FFT size, 0 when nfft is 2^k */
  guint32 out_channels;         /* channels, or 1 when mixed down */
  guint64 frames_per_interval;
  guint64 error_per_interval;   /* ns × rate, modulo 1 s */
  guint64 interval;             /* ns */
  gint32 threshold;             /* dB floor */
  guint32 multi_channel;        /* 1: one spectrum per channel */
} GstRkSpectrumBlob;

/* Device state: this header, then float input[nfft][out_channels] (a ring)
 * and float magnitude[bands][out_channels] (sums of dB over the
 * interval). */
typedef struct
{
  guint64 num_frames;           /* frames in the current interval */
  guint64 frames_todo;          /* frames the current interval needs */
  guint64 accumulated_error;
  guint64 message_ts;           /* start time of the current interval */
  guint32 input_pos;
  guint32 num_fft;
  guint32 initialised;
  guint8 _pad[20];
} GstRkSpectrumState;

G_STATIC_ASSERT (sizeof (GstRkSpectrumState) == 64);

/* NOTIFY payload: this header, then float magnitude[out_channels][bands]. */
typedef struct
{
  guint64 timestamp;
  guint64 duration;
  guint32 out_channels;
  guint32 bands;
  guint32 multi_channel;
  guint32 _pad;
} GstRkSpectrumEvent;

/* ---- anomaly ---- */

/* Device state: this header, then two arrays of C doubles, so that a
 * frame's channels are contiguous: mean, m2. Every channel has seen the
 * same number of samples, `samples`. */
typedef struct
{
  guint64 samples;              /* frames seen since the last reset */
  guint8 _pad[56];
} GstRkAnomalyState;

G_STATIC_ASSERT (sizeof (GstRkAnomalyState) == 64);

/* NOTIFY payload, one per anomaly. */
typedef struct
{
  guint64 offset;               /* frame index since the last reset */
  guint64 timestamp;            /* PTS of that frame */
  gdouble value;
  gdouble z;
  gdouble mean;
  gdouble stddev;
  guint32 channel;
  guint32 _pad;
} GstRkAnomalyEvent;

G_END_DECLS

#endif /* __GST_RK_KERNEL_LAYOUTS_H__ */
