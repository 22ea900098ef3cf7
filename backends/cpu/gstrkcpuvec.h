/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_VEC_H__
#define __GST_RK_CPU_VEC_H__

/*
 * How the CPU kernels get vector code. Their inner loops run across
 * pixels of a row or channels of a frame, so they vectorise without
 * reordering any sum: results are the same bytes on every x86-64.
 *
 * GST_RK_CPU_VECTORIZE: GCC's -O2 cost model leaves loops of unknown length
 * scalar; this turns the full vectoriser on for the file that uses it.
 * GST_RK_CPU_HOT: also builds an AVX2 clone of a function, picked at load
 * time where the CPU has it (no FMA: a fused multiply-add rounds once and
 * would change float results between machines).
 */
#if defined(__GNUC__) && !defined(__clang__)
#define GST_RK_CPU_VECTORIZE _Pragma ("GCC optimize (\"O3\")")
#else
#define GST_RK_CPU_VECTORIZE
#endif

/* Not under ThreadSanitizer: clones are picked by IFUNC resolvers, which
 * run during relocation, before the TSan runtime is up. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__ELF__) && \
    !defined(__SANITIZE_THREAD__)
#define GST_RK_CPU_HOT __attribute__ ((target_clones ("avx2", "default")))
#else
#define GST_RK_CPU_HOT
#endif

/* Eight floats as one value (GCC and clang vector extensions): one AVX
 * register, or two SSE registers in the default clone. Element-wise
 * operations, so the rounding is the scalar code's. */
typedef float GstRkV8sf __attribute__ ((vector_size (32)));

/* Macros, not functions: a 32-byte vector argument or return value would
 * depend on whether the caller's clone has AVX. */
#define gst_rk_v8sf_load(p) __extension__ ({ GstRkV8sf _v; \
      __builtin_memcpy (&_v, (p), sizeof (_v)); _v; })
#define gst_rk_v8sf_store(p, v) __extension__ ({ GstRkV8sf _v = (v); \
      __builtin_memcpy ((p), &_v, sizeof (_v)); })

#endif /* __GST_RK_CPU_VEC_H__ */
