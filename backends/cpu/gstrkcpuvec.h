/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CPU_VEC_H__
#define __GST_RK_CPU_VEC_H__

#include <glib.h>

#include "gstrkcpuisa.h"

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

/* Integer vectors of 32 bytes (pixels), and 8 doubles, for the kernels
 * that work on 8- and 16-bit samples or double statistics. Integer
 * arithmetic is exact, so lanes may be regrouped freely. */
typedef guint8 GstRkV32qu __attribute__ ((vector_size (32)));
typedef gint16 GstRkV16hi __attribute__ ((vector_size (32)));
typedef guint16 GstRkV16hu __attribute__ ((vector_size (32)));
typedef gint32 GstRkV8si __attribute__ ((vector_size (32)));
typedef guint32 GstRkV8su __attribute__ ((vector_size (32)));
typedef gdouble GstRkV4df __attribute__ ((vector_size (32)));
typedef gint64 GstRkV4di __attribute__ ((vector_size (32)));
typedef float GstRkV4sf __attribute__ ((vector_size (16)));

/* Unaligned load of a vector of type T from p, and the store. */
#define gst_rk_vec_load(T, p) __extension__ ({ T _v; \
      __builtin_memcpy (&_v, (p), sizeof (_v)); _v; })
#define gst_rk_vec_store(p, v) __extension__ ({ __typeof__ (v) _v = (v); \
      __builtin_memcpy ((p), &_v, sizeof (_v)); })

/* The low byte of each 32-bit lane of four 8-lane vectors a, b, c, d, in
 * order: 32 bytes (a GstRkV32qu), e.g. 32 pixels computed in 32-bit
 * lanes. */
#define gst_rk_vec_pack_u8(a, b, c, d) __extension__ ({ \
      GstRkV16hu _h0 = __builtin_shufflevector ((GstRkV16hu) (a), \
          (GstRkV16hu) (b), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, \
          26, 28, 30); \
      GstRkV16hu _h1 = __builtin_shufflevector ((GstRkV16hu) (c), \
          (GstRkV16hu) (d), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, \
          26, 28, 30); \
      __builtin_shufflevector ((GstRkV32qu) _h0, (GstRkV32qu) _h1, 0, 2, 4, \
          6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, \
          40, 42, 44, 46, 48, 50, 52, 54, 56, 58, 60, 62); })

/* Correctly rounded square roots of 8 floats (IEEE sqrt, as sqrtf). GCC
 * leaves sqrtf scalar where errno may be set, so on x86 this uses the SSE
 * instruction (baseline on x86-64; VEX-encoded in the AVX2 clones). */
#if defined(__SSE__)
#include <xmmintrin.h>
#define gst_rk_v8sf_sqrt(v) __extension__ ({ GstRkV8sf _s = (v); \
      __m128 _lo = _mm_sqrt_ps (__builtin_shufflevector (_s, _s, 0, 1, 2, 3)); \
      __m128 _hi = _mm_sqrt_ps (__builtin_shufflevector (_s, _s, 4, 5, 6, 7)); \
      (GstRkV8sf) __builtin_shufflevector (_lo, _hi, 0, 1, 2, 3, 4, 5, 6, 7); })
#else
#define gst_rk_v8sf_sqrt(v) __extension__ ({ GstRkV8sf _s = (v); \
      for (int _i = 0; _i < 8; _i++) _s[_i] = __builtin_sqrtf (_s[_i]); _s; })
#endif

/* floor (sqrt (n)) of 8 lanes holding integers 0 ≤ n < 2^22, exactly: a
 * float root, truncated, then a ±1 correction, so the result does not
 * depend on the rounding of the root. f² and (f + 1)² are integers below
 * 2^24, exact in float. Returns a GstRkV8si; true comparisons are -1. */
#define gst_rk_v8sf_isqrt(n) __extension__ ({ GstRkV8sf _n = (n); \
      GstRkV8si _r = __builtin_convertvector (gst_rk_v8sf_sqrt (_n), \
          GstRkV8si); \
      GstRkV8sf _f = __builtin_convertvector (_r, GstRkV8sf); \
      _r += _f * _f > _n; \
      _r -= (_f + 1.0f) * (_f + 1.0f) <= _n; \
      _r; })

#if GST_RK_CPU_HAVE_AVX2
#include <immintrin.h>

/* floor (sqrt (n)) of 16 unsigned 16-bit lanes (AVX2), in the same lanes:
 * the correctly rounded float root of an integer below 2^22 never reaches
 * the next integer, so truncating it gives the floor. */
static inline GST_RK_CPU_AVX2 __m256i
gst_rk_avx2_isqrt_u16 (__m256i n)
{
  const __m256i zero = _mm256_setzero_si256 ();
  __m256 lo = _mm256_cvtepi32_ps (_mm256_unpacklo_epi16 (n, zero));
  __m256 hi = _mm256_cvtepi32_ps (_mm256_unpackhi_epi16 (n, zero));

  /* unpack and pack both work per 128-bit half: the order is kept */
  return _mm256_packus_epi32 (_mm256_cvttps_epi32 (_mm256_sqrt_ps (lo)),
      _mm256_cvttps_epi32 (_mm256_sqrt_ps (hi)));
}
#endif

#endif /* __GST_RK_CPU_VEC_H__ */
