/* Reading fuzz input as a stream of typed values; past the end, zeros. */
#ifndef __RK_FUZZ_BYTES_H__
#define __RK_FUZZ_BYTES_H__

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

#endif /* __RK_FUZZ_BYTES_H__ */
