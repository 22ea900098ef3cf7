/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "gstrkcudadevice.h"
#include "gstrkerror.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_cuda_debug);
#define GST_CAT_DEFAULT gst_rk_cuda_debug

/* Slot sizes and pool allocations grow in steps of this many bytes. */
#define SLOT_GRANULE 4096u

/* ---- The pool of mapped host memory ---- */

typedef struct
{
  gsize offset;
  gsize size;
} Range;

typedef struct
{
  gpointer host;
  guint64 device;
  gsize size;
  GArray *free;                 /* Range, sorted by offset, coalesced */
} Chunk;

static gboolean
add_chunk (GstRkCudaDevice * dev, gsize size, GError ** error)
{
  Chunk *c = g_new0 (Chunk, 1);
  Range all = { 0, size };

  if (!dev->ops->host_alloc (dev->ctx, size, &c->host, &c->device, error)) {
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "mapped host memory on %s: ", size, dev->parent.name);
    g_free (c);
    return FALSE;
  }
  c->size = size;
  c->free = g_array_new (FALSE, FALSE, sizeof (Range));
  g_array_append_val (c->free, all);
  g_ptr_array_add (dev->host_chunks, c);
  return TRUE;
}

static void
chunk_free (gpointer data)
{
  g_array_unref (((Chunk *) data)->free);
  g_free (data);
}

/**
 * gst_rk_cuda_device_open_pool:
 *
 * Allocates the first chunk of mapped memory, before any kernel runs.
 */
gboolean
gst_rk_cuda_device_open_pool (GstRkCudaDevice * dev, GError ** error)
{
  dev->host_chunks = g_ptr_array_new_with_free_func (chunk_free);
  return add_chunk (dev, GST_RK_CUDA_HOST_CHUNK_SIZE, error);
}

/* Frees the chunks, unless a kernel that would not stop may still use
 * them: then closing the context frees them. */
void
gst_rk_cuda_device_close_pool (GstRkCudaDevice * dev)
{
  if (dev->host_chunks == NULL)
    return;
  for (guint i = 0; dev->abandoned == 0 && i < dev->host_chunks->len; i++)
    dev->ops->host_free (dev->ctx,
        ((Chunk *) g_ptr_array_index (dev->host_chunks, i))->host);
  g_clear_pointer (&dev->host_chunks, g_ptr_array_unref);
}

static gboolean
take_range (Chunk * c, gsize size, gsize * offset)
{
  for (guint i = 0; i < c->free->len; i++) {
    Range *r = &g_array_index (c->free, Range, i);

    if (r->size < size)
      continue;
    *offset = r->offset;
    r->offset += size;
    r->size -= size;
    if (r->size == 0)
      g_array_remove_index (c->free, i);
    return TRUE;
  }
  return FALSE;
}

static void
give_range (Chunk * c, gsize offset, gsize size)
{
  Range r = { offset, size };
  guint i = 0;

  while (i < c->free->len && g_array_index (c->free, Range, i).offset < offset)
    i++;
  g_array_insert_val (c->free, i, r);
  /* Merge with the next, then with the previous */
  if (i + 1 < c->free->len) {
    Range *a = &g_array_index (c->free, Range, i);
    Range *b = &g_array_index (c->free, Range, i + 1);
    if (a->offset + a->size == b->offset) {
      a->size += b->size;
      g_array_remove_index (c->free, i + 1);
    }
  }
  if (i > 0) {
    Range *a = &g_array_index (c->free, Range, i - 1);
    Range *b = &g_array_index (c->free, Range, i);
    if (a->offset + a->size == b->offset) {
      a->size += b->size;
      g_array_remove_index (c->free, i);
    }
  }
}

/**
 * gst_rk_cuda_device_host_alloc:
 *
 * Mapped pinned host memory, zeroed, 4096-byte aligned, from the pool.
 */
gboolean
gst_rk_cuda_device_host_alloc (GstRkCudaDevice * dev, gsize size,
    GstRkCudaHostMem * mem, GError ** error)
{
  gsize want = (MAX (size, 1) + SLOT_GRANULE - 1) / SLOT_GRANULE *
      SLOT_GRANULE, offset = 0;
  Chunk *c = NULL;
  gboolean ok = FALSE;

  g_mutex_lock (&dev->lock);
  for (guint i = 0; !ok && i < dev->host_chunks->len; i++) {
    c = g_ptr_array_index (dev->host_chunks, i);
    ok = take_range (c, want, &offset);
  }
  if (!ok) {
    if (dev->resident_blocks > 0)
      GST_WARNING ("allocating more mapped memory on %s while persistent "
          "kernels run: the driver may stall until they end",
          dev->parent.name);
    ok = add_chunk (dev, MAX (want, GST_RK_CUDA_HOST_CHUNK_SIZE), error);
    if (ok) {
      c = g_ptr_array_index (dev->host_chunks, dev->host_chunks->len - 1);
      ok = take_range (c, want, &offset);
    }
  }
  g_mutex_unlock (&dev->lock);
  if (!ok) {
    mem->host = NULL;
    mem->size = 0;
    return FALSE;
  }

  mem->host = (guint8 *) c->host + offset;
  mem->device = c->device + offset;
  mem->size = want;
  mem->chunk = c;
  memset (mem->host, 0, want);
  gst_rk_device_add_memory (&dev->parent, 0, (gint64) want);
  return TRUE;
}

void
gst_rk_cuda_device_host_free (GstRkCudaDevice * dev, GstRkCudaHostMem * mem)
{
  Chunk *c = mem->chunk;

  if (mem->host == NULL)
    return;
  g_mutex_lock (&dev->lock);
  give_range (c, (gsize) ((guint8 *) mem->host - (guint8 *) c->host),
      mem->size);
  g_mutex_unlock (&dev->lock);
  gst_rk_device_add_memory (&dev->parent, 0, -(gint64) mem->size);
  mem->host = NULL;
  mem->device = 0;
  mem->size = 0;
}

gboolean
gst_rk_cuda_device_mem_alloc (GstRkCudaDevice * dev, gsize size,
    GstRkCudaMem * mem, GError ** error)
{
  if (!dev->ops->mem_alloc (dev->ctx, size, &mem->ptr, error)) {
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "device memory on %s: ", size, dev->parent.name);
    mem->ptr = 0;
    mem->size = 0;
    return FALSE;
  }
  mem->size = size;
  gst_rk_device_add_memory (&dev->parent, (gint64) size, 0);
  return TRUE;
}

void
gst_rk_cuda_device_mem_free (GstRkCudaDevice * dev, GstRkCudaMem * mem)
{
  if (mem->ptr == 0)
    return;
  dev->ops->mem_free (dev->ctx, mem->ptr);
  gst_rk_device_add_memory (&dev->parent, -(gint64) mem->size, 0);
  mem->ptr = 0;
  mem->size = 0;
}

/**
 * gst_rk_cuda_device_mem_ensure:
 *
 * Makes @mem at least @size bytes (in steps of SLOT_GRANULE): growing
 * frees the old memory, which the caller knows nothing uses.
 */
gboolean
gst_rk_cuda_device_mem_ensure (GstRkCudaDevice * dev, gsize size,
    GstRkCudaMem * mem, GError ** error)
{
  if (size <= mem->size && (size == 0 || mem->ptr))
    return TRUE;
  gst_rk_cuda_device_mem_free (dev, mem);
  return gst_rk_cuda_device_mem_alloc (dev, (size + SLOT_GRANULE - 1) /
      SLOT_GRANULE * SLOT_GRANULE, mem, error);
}

/**
 * gst_rk_cuda_device_upload:
 * @bytes: (nullable): what to copy
 *
 * Copies @bytes into @mem (grown if need be) and waits for the copy.
 */
gboolean
gst_rk_cuda_device_upload (GstRkCudaDevice * dev, GstRkCudaStream * stream,
    GBytes * bytes, GstRkCudaMem * mem, GError ** error)
{
  gsize size = bytes ? g_bytes_get_size (bytes) : 0;

  if (size == 0)
    return TRUE;
  return gst_rk_cuda_device_mem_ensure (dev, size, mem, error) &&
      dev->ops->copy_to_device (stream, mem->ptr, g_bytes_get_data (bytes,
          NULL), size, error) && dev->ops->sync (stream, error);
}

/**
 * gst_rk_cuda_device_free_blocks:
 * @capacity: blocks that fit on the device at once (occupancy × SMs)
 *
 * Returns: how many of them no persistent kernel holds.
 */
guint
gst_rk_cuda_device_free_blocks (GstRkCudaDevice * dev, guint capacity)
{
  guint used;

  g_mutex_lock (&dev->lock);
  used = dev->resident_blocks;
  g_mutex_unlock (&dev->lock);
  return capacity > used ? capacity - used : 0;
}

/**
 * gst_rk_cuda_device_reserve_blocks:
 * @blocks: the grid of a persistent kernel
 * @capacity: blocks of its size that fit on the device at once
 *
 * A persistent kernel keeps every block resident until it terminates, and
 * its grid barrier needs all of them running: a grid that cannot be
 * resident next to the persistent kernels already running would hang, so
 * it is refused here with the numbers.
 */
gboolean
gst_rk_cuda_device_reserve_blocks (GstRkCudaDevice * dev, guint blocks,
    guint capacity, guint block_size, GError ** error)
{
  gboolean ok;

  g_mutex_lock (&dev->lock);
  ok = dev->resident_blocks + blocks <= capacity;
  if (ok)
    dev->resident_blocks += blocks;
  else
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "grid-size %u is too large for a persistent kernel on %s: %u blocks "
        "of %u threads fit at once (%u SMs) and running persistent kernels "
        "hold %u of them; every block must stay resident (use a smaller "
        "grid-size or mode=event-driven)", blocks, dev->parent.name,
        capacity, block_size, dev->props.sm_count, dev->resident_blocks);
  g_mutex_unlock (&dev->lock);
  return ok;
}

void
gst_rk_cuda_device_release_blocks (GstRkCudaDevice * dev, guint blocks)
{
  g_mutex_lock (&dev->lock);
  dev->resident_blocks -= MIN (blocks, dev->resident_blocks);
  g_mutex_unlock (&dev->lock);
}

/* ---- Slots ---- */

void
gst_rk_cuda_slots_init (GstRkCudaSlots * slots, GstRkCudaDevice * dev,
    guint n, gboolean with_device, gboolean with_staging)
{
  slots->dev = dev;
  slots->n = n;
  slots->size = 0;
  slots->with_device = with_device;
  slots->with_staging = with_staging;
  slots->device.ptr = 0;
  slots->device.size = 0;
  slots->staging.host = NULL;
  slots->staging.size = 0;
}

void
gst_rk_cuda_slots_clear (GstRkCudaSlots * slots)
{
  gst_rk_cuda_device_mem_free (slots->dev, &slots->device);
  gst_rk_cuda_device_host_free (slots->dev, &slots->staging);
  slots->size = 0;
}

/**
 * gst_rk_cuda_slots_ensure:
 * @size: bytes one slot must hold
 *
 * Makes the slots at least @size bytes. Growing frees the old memory:
 * the caller makes sure nothing uses it.
 */
gboolean
gst_rk_cuda_slots_ensure (GstRkCudaSlots * slots, gsize size,
    GError ** error)
{
  gsize want;

  if (size <= slots->size)
    return TRUE;
  want = (size + SLOT_GRANULE - 1) / SLOT_GRANULE * SLOT_GRANULE;
  gst_rk_cuda_slots_clear (slots);
  if ((slots->with_device && !gst_rk_cuda_device_mem_alloc (slots->dev,
              want * slots->n, &slots->device, error)) ||
      (slots->with_staging && !gst_rk_cuda_device_host_alloc (slots->dev,
              want * slots->n, &slots->staging, error))) {
    gst_rk_cuda_slots_clear (slots);
    return FALSE;
  }
  slots->size = want;
  return TRUE;
}
