/* Reading fuzz input as a stream of typed values; past the end, zeros. */
#ifndef __RK_FUZZ_BYTES_H__
#define __RK_FUZZ_BYTES_H__

#include <stdlib.h>
#include <glib.h>

typedef struct {
  const guint8 *p;
  size_t left;
} RkFuzzBytes;

static inline guint8
rk_fuzz_take8 (RkFuzzBytes *b)
{
  if (b->left == 0)
    return 0;
  b->left--;
  return *b->p++;
}

static inline guint64
rk_fuzz_take (RkFuzzBytes *b, guint n_bytes)
{
  guint64 v = 0;

  for (guint i = 0; i < n_bytes; i++)
    v = (v << 8) | rk_fuzz_take8 (b);
  return v;
}

/* RK_FUZZ_SELFTEST=crash|hang|leak|critical makes every input a finding of
 * that kind, so that tests/fuzz/run.sh --selftest can show the runner
 * fails on each (a runner that passes on a finding proves nothing). */
static inline void
rk_fuzz_selftest (void)
{
  static const gchar *mode;
  static gsize once;

  if (g_once_init_enter (&once)) {
    mode = g_getenv ("RK_FUZZ_SELFTEST");
    g_once_init_leave (&once, 1);
  }
  if (mode == NULL)
    return;
  if (g_str_equal (mode, "crash"))
    abort ();
  if (g_str_equal (mode, "hang"))
    for (;;)
      g_usleep (G_USEC_PER_SEC);
  if (g_str_equal (mode, "leak")) {
    gpointer lost = g_malloc (64);

    /* kept from being optimised away, then lost */
    __asm__ volatile ("" : : "r" (lost) : "memory");
  }
  if (g_str_equal (mode, "critical"))
    g_critical ("fuzz selftest: a critical");
}

#endif /* __RK_FUZZ_BYTES_H__ */
