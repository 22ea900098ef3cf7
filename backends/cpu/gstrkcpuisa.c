/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Whether the CPU kernels take their hand-written AVX2 paths (see
 * gstrkcpuisa.h).
 */

#include "gstrkcpuisa.h"

static gint force_generic, force_avx2;

/**
 * gst_rk_cpu_use_avx2:
 *
 * Returns: %TRUE where the CPU has AVX2 and the generic paths are not
 * forced.
 */
gboolean
gst_rk_cpu_use_avx2 (void)
{
#if GST_RK_CPU_HAVE_AVX2
  return !g_atomic_int_get (&force_generic) &&
      __builtin_cpu_supports ("avx2");
#else
  return FALSE;
#endif
}

/**
 * gst_rk_cpu_use_avx512:
 *
 * Returns: %TRUE where the CPU has AVX-512 F and BW and neither the generic
 * nor the AVX2 paths are forced.
 */
gboolean
gst_rk_cpu_use_avx512 (void)
{
#if GST_RK_CPU_HAVE_AVX2
  return !g_atomic_int_get (&force_generic) &&
      !g_atomic_int_get (&force_avx2) &&
      __builtin_cpu_supports ("avx512f") &&
      __builtin_cpu_supports ("avx512bw");
#else
  return FALSE;
#endif
}

/**
 * gst_rk_cpu_force_avx2:
 * @avx2: %TRUE: take the AVX2 paths even where AVX-512 is there
 *
 * For tests, which compare every path with the reference.
 */
void
gst_rk_cpu_force_avx2 (gboolean avx2)
{
  g_atomic_int_set (&force_avx2, avx2);
}

/**
 * gst_rk_cpu_force_generic:
 * @generic: %TRUE: take the generic vector code even where AVX2 is there
 *
 * For tests, which compare both paths with the reference.
 */
void
gst_rk_cpu_force_generic (gboolean generic)
{
  g_atomic_int_set (&force_generic, generic);
}
