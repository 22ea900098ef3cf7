/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_FFT_H__
#define __GST_RK_CPU_FFT_H__

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstRkCpuFftPlan:
 * @n: transform size, a power of two
 * @tw_re: cos (2π k / n) for k < n / 2
 * @tw_im: -sin (2π k / n) for k < n / 2
 * @bitrev: the bit-reversal permutation
 * @stage_re: the twiddles of each stage in the order its butterflies take
 *   them: for a stage of length len, tw_re[k n / len] for k < len / 2, at
 *   offset len / 2 - 1 (n - 1 floats)
 * @stage_im: the same of tw_im
 *
 * Tables of one FFT size, shared by every kernel and never freed.
 */
typedef struct
{
  guint n;
  gfloat *tw_re;
  gfloat *tw_im;
  guint32 *bitrev;
  gfloat *stage_re;
  gfloat *stage_im;
} GstRkCpuFftPlan;

const GstRkCpuFftPlan *gst_rk_cpu_fft_plan_get (guint n);

void gst_rk_cpu_fft (const GstRkCpuFftPlan * plan, gfloat * re, gfloat * im,
    gsize stride, guint nc, gboolean inverse);

void gst_rk_cpu_fft8_forward_dif (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im);
void gst_rk_cpu_fft8_inverse_dit (const GstRkCpuFftPlan * plan, gfloat * re,
    gfloat * im);

G_END_DECLS

#endif /* __GST_RK_CPU_FFT_H__ */
