/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_ISA_H__
#define __GST_RK_CPU_ISA_H__

#include <glib.h>

G_BEGIN_DECLS

/*
 * Hand-written AVX2 paths. Most CPU kernels get their AVX2 code from
 * GST_RK_CPU_HOT clones of generic vector code, picked by the loader. A
 * few inner loops have an AVX2 version written with intrinsics, where
 * GCC's generic vector code is much slower (saturating and widening
 * 16-bit arithmetic, pairwise multiply-adds (vpmaddwd, vpmaddubsw),
 * 8-lane square roots); those pick it at run time with
 * gst_rk_cpu_use_avx2 (). Both versions give the same bytes, and the tests
 * run both. rkblur also has an AVX-512 (F + BW) version of its AVX2 one,
 * the same code on 16 lanes (gst_rk_cpu_use_avx512 ()); the tests run it
 * where the CPU has it, and the AVX2 one there too.
 */
#if defined(__x86_64__) && defined(__GNUC__)
#define GST_RK_CPU_HAVE_AVX2 1
#define GST_RK_CPU_AVX2 __attribute__ ((target ("avx2")))
#define GST_RK_CPU_AVX512 __attribute__ ((target ("avx512f,avx512bw")))
#else
#define GST_RK_CPU_HAVE_AVX2 0
#endif

gboolean gst_rk_cpu_use_avx2 (void);
gboolean gst_rk_cpu_use_avx512 (void);
void gst_rk_cpu_force_generic (gboolean generic);
void gst_rk_cpu_force_avx2 (gboolean avx2);

G_END_DECLS

#endif /* __GST_RK_CPU_ISA_H__ */
