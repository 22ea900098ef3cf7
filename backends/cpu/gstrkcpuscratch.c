/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Per-thread scratch memory for the CPU kernels (row intermediates, FFT
 * buffers). Each pool thread keeps its buffers and only grows them, so a
 * stream allocates nothing per buffer once it runs.
 */

#include "gstrkcpuscratch.h"

typedef struct
{
  gpointer mem[GST_RK_CPU_SCRATCH_SLOTS];
  gsize size[GST_RK_CPU_SCRATCH_SLOTS];
} Scratch;

static void
scratch_free (gpointer data)
{
  Scratch *s = data;
  guint i;

  for (i = 0; i < GST_RK_CPU_SCRATCH_SLOTS; i++)
    g_aligned_free (s->mem[i]);
  g_free (s);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

/**
 * gst_rk_cpu_scratch:
 * @slot: 0 .. GST_RK_CPU_SCRATCH_SLOTS - 1
 * @size: bytes needed
 *
 * Returns: at least @size bytes, 64-byte aligned, owned by the calling
 * thread and valid until its next call with the same slot. Contents are
 * undefined.
 */
gpointer
gst_rk_cpu_scratch (guint slot, gsize size)
{
  Scratch *s = g_private_get (&scratch_key);

  g_return_val_if_fail (slot < GST_RK_CPU_SCRATCH_SLOTS, NULL);
  if (s == NULL) {
    s = g_new0 (Scratch, 1);
    g_private_set (&scratch_key, s);
  }
  if (s->size[slot] < size) {
    g_aligned_free (s->mem[slot]);
    s->size[slot] = MAX (size, 4096);
    s->mem[slot] = g_aligned_alloc (1, s->size[slot], 64);
  }
  return s->mem[slot];
}
