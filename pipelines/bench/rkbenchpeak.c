/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * rkbench simd-peak: this CPU's vector peaks, the limits bench-kernels.py
 * sets the compute-bound CPU kernels against. Each
 * measurement runs independent chains of vector operations, enough of
 * them to hide each operation's latency on the CPUs of today (a chain
 * waits 3 to 4 cycles per step, two to four vector units take one step
 * each per cycle), on one thread and on two at once, for:
 *
 *   kernels  the code the CPU kernels are built as (gstrkcpuvec.h): AVX2
 *            where the CPU has it, else SSE2, a multiply and an add as two
 *            instructions: the kernels never fuse them (a fused
 *            multiply-add rounds once, and results must be the same bytes
 *            on every backend)
 *   widest   the widest the CPU has: AVX-512 FMA, else AVX2 FMA, else the
 *            kernels' code
 *
 * and this CPU's integer peak, which the video kernels (integer
 * arithmetic: rkblur's Q12 sums, rksobel's gradients) are set against:
 *
 *   int      16-bit pairwise multiply-adds into 32-bit lanes and 32-bit
 *            adds (vpmaddwd, vpaddd), the instructions rkblur's AVX2 path
 *            is built on; SSE2 where there is no AVX2
 *   int-widest  the same on AVX-512 (BW) where the CPU has it: rkblur
 *            runs that version there
 *
 * Operations are counted per lane: a multiply or an add is one, an FMA
 * two, a pairwise multiply-add three (two multiplies and their sum in a
 * 32-bit lane). The multiply chains scale by a constant just below 1 and the add
 * chains add a small one; the constants come from volatile memory and
 * every chain reaches the result, so the compiler can neither fold a loop
 * nor drop a chain (objdump -d rkbench: the loops are the vector
 * instructions named in the JSON, nothing else but the loop counter).
 */

#include <string.h>

#include "rkbenchclock.h"
#include "rkbenchpeak.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define RK_PEAK_X86 1
#else
#define RK_PEAK_X86 0
#endif

/* Constants the compiler cannot see */
static volatile gfloat peak_mul = 0.99999994f, peak_add = 1e-7f;
/* Results nothing reads, so that every chain is computed */
static volatile gfloat peak_sink;

typedef gfloat (*PeakLoop) (guint64 iters, gfloat m, gfloat a);

typedef struct
{
  const gchar *isa;
  const gchar *instructions;
  guint lanes;
  guint ops_per_instruction;
  guint chains;                 /* instructions per iteration */
  PeakLoop loop;
} PeakKind;

#define EACH7(M) M (0) M (1) M (2) M (3) M (4) M (5) M (6)
#define EACH10(M) EACH7 (M) M (7) M (8) M (9)
#define EACH16(M) EACH10 (M) M (10) M (11) M (12) M (13) M (14) M (15)

#if RK_PEAK_X86

/* AVX2: seven multiply and seven add chains and the two constants: all 16
 * registers (fewer chains measured less here; more spill) */
#define AVX_DECLARE(i) __m256 p##i = _mm256_set1_ps (1.0f + (i)), \
    s##i = _mm256_set1_ps ((gfloat) (i));
#define AVX_STEP(i) p##i = _mm256_mul_ps (p##i, vm); \
    s##i = _mm256_add_ps (s##i, va);
#define AVX_SUM(i) t = _mm256_add_ps (t, _mm256_add_ps (p##i, s##i));

static __attribute__ ((target ("avx2"), noinline)) gfloat
peak_avx2_mul_add (guint64 iters, gfloat m, gfloat a)
{
  const __m256 vm = _mm256_set1_ps (m), va = _mm256_set1_ps (a);
  __m256 t = _mm256_setzero_ps ();
  gfloat out[8];
  EACH7 (AVX_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH7 (AVX_STEP);
  }
  EACH7 (AVX_SUM);
  _mm256_storeu_ps (out, t);
  return out[0] + out[7];
}

/* The same with SSE2 (x86-64's baseline, the kernels' default clone) */
#define SSE_DECLARE(i) __m128 p##i = _mm_set1_ps (1.0f + (i)), \
    s##i = _mm_set1_ps ((gfloat) (i));
#define SSE_STEP(i) p##i = _mm_mul_ps (p##i, vm); s##i = _mm_add_ps (s##i, va);
#define SSE_SUM(i) t = _mm_add_ps (t, _mm_add_ps (p##i, s##i));

static __attribute__ ((noinline)) gfloat
peak_sse2_mul_add (guint64 iters, gfloat m, gfloat a)
{
  const __m128 vm = _mm_set1_ps (m), va = _mm_set1_ps (a);
  __m128 t = _mm_setzero_ps ();
  gfloat out[4];
  EACH7 (SSE_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH7 (SSE_STEP);
  }
  EACH7 (SSE_SUM);
  _mm_storeu_ps (out, t);
  return out[0] + out[3];
}

/* AVX2 FMA: ten chains x = x m + a (12 of 16 registers) */
#define FMA_DECLARE(i) __m256 f##i = _mm256_set1_ps (1.0f + (i));
#define FMA_STEP(i) f##i = _mm256_fmadd_ps (f##i, vm, va);
#define FMA_SUM(i) t = _mm256_add_ps (t, f##i);

static __attribute__ ((target ("avx2,fma"), noinline)) gfloat
peak_avx2_fma (guint64 iters, gfloat m, gfloat a)
{
  const __m256 vm = _mm256_set1_ps (m), va = _mm256_set1_ps (a);
  __m256 t = _mm256_setzero_ps ();
  gfloat out[8];
  EACH10 (FMA_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH10 (FMA_STEP);
  }
  EACH10 (FMA_SUM);
  _mm256_storeu_ps (out, t);
  return out[0] + out[7];
}

/* AVX-512 FMA: sixteen chains (of 32 registers) */
#define F512_DECLARE(i) __m512 f##i = _mm512_set1_ps (1.0f + (i));
#define F512_STEP(i) f##i = _mm512_fmadd_ps (f##i, vm, va);
#define F512_SUM(i) t = _mm512_add_ps (t, f##i);

static __attribute__ ((target ("avx512f"), noinline)) gfloat
peak_avx512_fma (guint64 iters, gfloat m, gfloat a)
{
  const __m512 vm = _mm512_set1_ps (m), va = _mm512_set1_ps (a);
  __m512 t = _mm512_setzero_ps ();
  gfloat out[16];
  EACH16 (F512_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH16 (F512_STEP);
  }
  EACH16 (F512_SUM);
  _mm512_storeu_ps (out, t);
  return out[0] + out[15];
}

/* Integer: seven chains of pairwise multiply-adds and seven of adds; the
 * constants come from volatile memory too. The steps are written as the
 * instructions: through the intrinsics GCC copies every chain to another
 * register or to the stack each step. */
static volatile gint peak_int_mul = 0x00010001, peak_int_add = 1;

#define IAVX_DECLARE(i) __m256i p##i = _mm256_set1_epi32 (1 + (i)), \
    s##i = _mm256_set1_epi32 (i);
#define IAVX_STEP(i) __asm__ ("vpmaddwd %1, %0, %0" : "+x" (p##i) : "x" (vm)); \
    __asm__ ("vpaddd %1, %0, %0" : "+x" (s##i) : "x" (va));
#define IAVX_SUM(i) t = _mm256_add_epi32 (t, _mm256_add_epi32 (p##i, s##i));

static __attribute__ ((target ("avx2"), noinline)) gfloat
peak_avx2_madd_add (guint64 iters, gfloat m, gfloat a)
{
  const __m256i vm = _mm256_set1_epi32 (peak_int_mul),
      va = _mm256_set1_epi32 (peak_int_add);
  __m256i t = _mm256_setzero_si256 ();
  gint32 out[8];
  EACH7 (IAVX_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH7 (IAVX_STEP);
  }
  EACH7 (IAVX_SUM);
  _mm256_storeu_si256 ((__m256i *) out, t);
  return (gfloat) (out[0] + out[7]);
}

#define ISSE_DECLARE(i) __m128i p##i = _mm_set1_epi32 (1 + (i)), \
    s##i = _mm_set1_epi32 (i);
#define ISSE_STEP(i) __asm__ ("pmaddwd %1, %0" : "+x" (p##i) : "x" (vm)); \
    __asm__ ("paddd %1, %0" : "+x" (s##i) : "x" (va));
#define ISSE_SUM(i) t = _mm_add_epi32 (t, _mm_add_epi32 (p##i, s##i));

static __attribute__ ((noinline)) gfloat
peak_sse2_madd_add (guint64 iters, gfloat m, gfloat a)
{
  const __m128i vm = _mm_set1_epi32 (peak_int_mul),
      va = _mm_set1_epi32 (peak_int_add);
  __m128i t = _mm_setzero_si128 ();
  gint32 out[4];
  EACH7 (ISSE_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH7 (ISSE_STEP);
  }
  EACH7 (ISSE_SUM);
  _mm_storeu_si128 ((__m128i *) out, t);
  return (gfloat) (out[0] + out[3]);
}

/* AVX-512: eight chains of each (of 32 registers) */
#define I512_DECLARE(i) __m512i p##i = _mm512_set1_epi32 (1 + (i)), \
    s##i = _mm512_set1_epi32 (i);
#define I512_STEP(i) __asm__ ("vpmaddwd %1, %0, %0" : "+v" (p##i) : "v" (vm)); \
    __asm__ ("vpaddd %1, %0, %0" : "+v" (s##i) : "v" (va));
#define I512_SUM(i) t = _mm512_add_epi32 (t, _mm512_add_epi32 (p##i, s##i));
#define EACH8(M) EACH7 (M) M (7)

static __attribute__ ((target ("avx512f,avx512bw"), noinline)) gfloat
peak_avx512_madd_add (guint64 iters, gfloat m, gfloat a)
{
  const __m512i vm = _mm512_set1_epi32 (peak_int_mul),
      va = _mm512_set1_epi32 (peak_int_add);
  __m512i t = _mm512_setzero_si512 ();
  gint32 out[16];
  EACH8 (I512_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH8 (I512_STEP);
  }
  EACH8 (I512_SUM);
  _mm512_storeu_si512 (out, t);
  return (gfloat) (out[0] + out[15]);
}

static const PeakKind peak_avx2 =
    { "avx2 mul+add", "vmulps ymm, vaddps ymm", 8, 1, 14, peak_avx2_mul_add };
static const PeakKind peak_sse2 =
    { "sse2 mul+add", "mulps xmm, addps xmm", 4, 1, 14, peak_sse2_mul_add };
static const PeakKind peak_fma =
    { "avx2 fma", "vfmadd ymm", 8, 2, 10, peak_avx2_fma };
static const PeakKind peak_512 =
    { "avx512 fma", "vfmadd zmm", 16, 2, 16, peak_avx512_fma };
/* a multiply-add counts 3 in a 32-bit lane, an add 1: 2 an instruction */
static const PeakKind peak_int_avx2 = { "avx2 int16 madd+add",
  "vpmaddwd ymm, vpaddd ymm", 8, 2, 14, peak_avx2_madd_add
};
static const PeakKind peak_int_sse2 = { "sse2 int16 madd+add",
  "pmaddwd xmm, paddd xmm", 4, 2, 14, peak_sse2_madd_add
};
static const PeakKind peak_int_512 = { "avx512 int16 madd+add",
  "vpmaddwd zmm, vpaddd zmm", 16, 2, 16, peak_avx512_madd_add
};

#else /* !RK_PEAK_X86 */

/* Elsewhere: GCC's generic vectors, as the kernels are written */
typedef gfloat PeakV8 __attribute__ ((vector_size (32)));
#define GEN_DECLARE(i) PeakV8 p##i = vm * (1.0f + (i)), s##i = va * (i);
#define GEN_STEP(i) p##i = p##i * vm; s##i = s##i + va;
#define GEN_SUM(i) t += p##i + s##i;

static __attribute__ ((noinline)) gfloat
peak_generic_mul_add (guint64 iters, gfloat m, gfloat a)
{
  const PeakV8 vm = { m, m, m, m, m, m, m, m }, va = { a, a, a, a, a, a, a,
    a
  };
  PeakV8 t = { 0.0f, };
  EACH7 (GEN_DECLARE);

  for (guint64 i = 0; i < iters; i++) {
    EACH7 (GEN_STEP);
  }
  EACH7 (GEN_SUM);
  return t[0] + t[7];
}

static const PeakKind peak_generic = { "generic vector mul+add",
  "8-float vector multiply, add", 8, 1, 14, peak_generic_mul_add
};

#endif

/* What the kernels run, and the widest this CPU has; the same for integer
 * arithmetic (none without x86: the generic vectors have no pairwise
 * multiply-add) */
static void
peak_kinds (const PeakKind ** kernels, const PeakKind ** widest,
    const PeakKind ** integer, const PeakKind ** integer_widest)
{
#if RK_PEAK_X86
  __builtin_cpu_init ();
  *kernels = __builtin_cpu_supports ("avx2") ? &peak_avx2 : &peak_sse2;
  *integer = __builtin_cpu_supports ("avx2") ? &peak_int_avx2 :
      &peak_int_sse2;
  *integer_widest = *integer;
  if (__builtin_cpu_supports ("avx512f"))
    *widest = &peak_512;
  else if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    *widest = &peak_fma;
  else
    *widest = *kernels;
  if (__builtin_cpu_supports ("avx512f") &&
      __builtin_cpu_supports ("avx512bw"))
    *integer_widest = &peak_int_512;
#else
  *kernels = *widest = &peak_generic;
  *integer = *integer_widest = NULL;
#endif
}

/* A thread runs chunks of the loop until @seconds have passed since the
 * start signal: a run takes its time whatever else the machine does,
 * where a count of iterations fixed in advance could take far less (a
 * calibration slowed by another process) */
typedef struct
{
  const PeakKind *kind;
  guint64 chunk;                /* iterations of a chunk, ~1 ms */
  gdouble seconds;
  gint *go;
  gint *ready;
  guint64 *t0;
  guint64 chunks, t_end;
  gfloat result;
} PeakThread;

static gpointer
peak_thread (gpointer data)
{
  PeakThread *t = data;
  const gfloat m = peak_mul, a = peak_add;
  guint64 end;

  g_atomic_int_inc (t->ready);
  while (!g_atomic_int_get (t->go));
  end = *t->t0 + (guint64) (t->seconds * 1e9);
  do {
    t->result += t->kind->loop (t->chunk, m, a);
    t->chunks++;
  } while ((t->t_end = rk_bench_now_ns ()) < end);
  return NULL;
}

/* Operations per second of @threads threads started together: their
 * operations over the time from the start signal to the last one's end */
static gdouble
peak_run (const PeakKind * kind, guint64 chunk, gdouble seconds,
    guint threads)
{
  const gdouble ops_per_iter = (gdouble) kind->chains * kind->lanes *
      kind->ops_per_instruction;
  GThread *th[2];
  PeakThread args[2];
  gint go = 0, ready = 0;
  guint64 t0 = 0, t1 = 0, chunks = 0;

  g_assert (threads <= G_N_ELEMENTS (th));
  memset (args, 0, sizeof (args));
  for (guint i = 0; i < threads; i++) {
    args[i].kind = kind;
    args[i].chunk = chunk;
    args[i].seconds = seconds;
    args[i].go = &go;
    args[i].ready = &ready;
    args[i].t0 = &t0;
    th[i] = g_thread_new ("rkbench-peak", peak_thread, &args[i]);
  }
  while (g_atomic_int_get (&ready) < (gint) threads);
  t0 = rk_bench_now_ns ();
  g_atomic_int_set (&go, 1);
  for (guint i = 0; i < threads; i++) {
    g_thread_join (th[i]);
    t1 = MAX (t1, args[i].t_end);
    chunks += args[i].chunks;
    peak_sink = args[i].result;
  }
  return ops_per_iter * chunk * chunks / ((t1 - t0) / 1e9);
}

/* Iterations for about a millisecond: the fastest of a few tries */
static guint64
peak_chunk (const PeakKind * kind)
{
  guint64 iters = 1 << 10, best = G_MAXUINT64;

  for (;;) {
    for (guint r = 0; r < 5; r++) {
      guint64 t0 = rk_bench_now_ns ();

      peak_sink = kind->loop (iters, peak_mul, peak_add);
      best = MIN (best, rk_bench_now_ns () - t0);
    }
    if (best >= 250000 || iters >= (1u << 30))
      break;
    iters *= 2;
    best = G_MAXUINT64;
  }
  return MAX (iters * 1000000 / MAX (best, 1), 1);
}

static void
peak_measure (RkJson * j, const gchar * role, const PeakKind * kind,
    gdouble seconds, guint repeats)
{
  const guint64 chunk = peak_chunk (kind);

  for (guint threads = 1; threads <= 2; threads++) {
    gdouble *ops = g_new (gdouble, repeats), best = 0;

    for (guint r = 0; r < repeats; r++) {
      ops[r] = peak_run (kind, chunk, seconds, threads);
      best = MAX (best, ops[r]);
      g_printerr ("simd-peak %u/%u %-8s %-14s %u thread%s %8.1f Gop/s\n",
          r + 1, repeats, role, kind->isa, threads, threads > 1 ? "s" : "",
          ops[r] / 1e9);
    }
    rk_json_begin_object (j);
    rk_json_string (j, "role", role);
    rk_json_string (j, "isa", kind->isa);
    rk_json_string (j, "instructions", kind->instructions);
    rk_json_int (j, "lanes", kind->lanes);
    rk_json_int (j, "ops_per_instruction", kind->ops_per_instruction);
    rk_json_int (j, "chains", kind->chains);
    rk_json_int (j, "threads", threads);
    rk_json_int (j, "iterations_per_chunk", (gint64) chunk);
    rk_json_double_array (j, "ops_per_s", ops, repeats);
    rk_json_double (j, "best_ops_per_s", best);
    rk_json_end_object (j);
    g_free (ops);
  }
}

void
rk_bench_simd_peak (RkJson * j, gdouble seconds, guint repeats)
{
  const PeakKind *kernels, *widest, *integer, *integer_widest;

  peak_kinds (&kernels, &widest, &integer, &integer_widest);
  rk_json_key (j, "simd_peak");
  rk_json_begin_object (j);
  rk_json_string (j, "counting", "operations per lane: a multiply or an add "
      "1, an FMA 2 (single precision), a 16-bit pairwise multiply-add 3 in "
      "its 32-bit lane (integer); independent chains; each thread runs ~1 "
      "ms chunks for seconds_per_measurement, threads started together; "
      "best of the repeats");
  rk_json_double (j, "seconds_per_measurement", seconds);
  rk_json_int (j, "repeats", repeats);
  rk_json_string (j, "kernels_isa", kernels->isa);
  rk_json_string (j, "widest_isa", widest->isa);
  if (integer) {
    rk_json_string (j, "int_isa", integer->isa);
    rk_json_string (j, "int-widest_isa", integer_widest->isa);
  }
  /* A busy machine measures a lower peak: the reader can tell */
  rk_json_loadavg (j, "loadavg_before");
  rk_json_key (j, "measurements");
  rk_json_begin_array (j);
  peak_measure (j, "kernels", kernels, seconds, repeats);
  peak_measure (j, "widest", widest, seconds, repeats);
  if (integer) {
    peak_measure (j, "int", integer, seconds, repeats);
    peak_measure (j, "int-widest", integer_widest, seconds, repeats);
  }
  rk_json_end_array (j);
  rk_json_loadavg (j, "loadavg_after");
  rk_json_end_object (j);
}
