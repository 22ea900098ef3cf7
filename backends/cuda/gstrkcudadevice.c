/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcudadevice.h"
#include "gstrkerror.h"

/* Slot sizes grow in steps of this many bytes. */
#define SLOT_GRANULE 4096u

gboolean
gst_rk_cuda_device_host_alloc (GstRkCudaDevice * dev, gsize size,
    GstRkCudaHostMem * mem, GError ** error)
{
  if (!dev->ops->host_alloc (dev->ctx, size, &mem->host, &mem->device,
          error)) {
    g_prefix_error (error, "cannot allocate %" G_GSIZE_FORMAT " bytes of "
        "mapped host memory on %s: ", size, dev->parent.name);
    mem->host = NULL;
    mem->size = 0;
    return FALSE;
  }
  mem->size = size;
  gst_rk_device_add_memory (&dev->parent, 0, (gint64) size);
  return TRUE;
}

void
gst_rk_cuda_device_host_free (GstRkCudaDevice * dev, GstRkCudaHostMem * mem)
{
  if (mem->host == NULL)
    return;
  dev->ops->host_free (dev->ctx, mem->host);
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
