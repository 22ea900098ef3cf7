/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Frames that stay on a CUDA device between two ring kernels
 * (GstRkDeviceMemory's CUDA side): device memory of their own, which the
 * kernels read and write in place (a job's input and output pointers), so
 * a frame passed from one CUDA kernel to the next is not copied at all.
 * The host reads one only if a host element maps it: a copy through a
 * stream of the device's own, made when first needed.
 */

#include "gstrkcudapayload.h"
#include "gstrksync.h"

static gpointer
payload_alloc (GstRkDevice * device, gsize size, guint8 ** host,
    GError ** error)
{
  GstRkCudaMem *mem = g_new0 (GstRkCudaMem, 1);

  /* a frame of no kernel's own: GST_RK_FAULT_MEMORY */
  if (!gst_rk_cuda_device_mem_alloc ((GstRkCudaDevice *) device,
          MAX (size, 1), NULL, mem, error)) {
    g_free (mem);
    return NULL;
  }
  *host = NULL;
  return mem;
}

static void
payload_free (GstRkDevice * device, gpointer handle)
{
  gst_rk_cuda_device_mem_free ((GstRkCudaDevice *) device, handle);
  g_free (handle);
}

/* Copies on the device's payload stream, one at a time. */
static gboolean
copy (GstRkCudaDevice * dev, gpointer host, guint64 ptr, gsize size,
    gboolean to_host, GError ** error)
{
  gboolean ok;

  gst_rk_mutex_lock (&dev->payload_lock);
  if (dev->payload_stream == NULL)
    dev->payload_stream = dev->ops->stream_new (dev->ctx, error);
  ok = dev->payload_stream != NULL && (to_host ?
      dev->ops->copy_to_host (dev->payload_stream, host, ptr, size, error) :
      dev->ops->copy_to_device (dev->payload_stream, ptr, host, size,
          error)) &&
      gst_rk_cuda_stream_sync (dev->ops, dev->payload_stream, error);
  gst_rk_mutex_unlock (&dev->payload_lock);
  return ok;
}

static gboolean
payload_read (GstRkDevice * device, gpointer handle, guint8 * dst,
    gsize size, GError ** error)
{
  return copy ((GstRkCudaDevice *) device, dst,
      ((GstRkCudaMem *) handle)->ptr, size, TRUE, error);
}

static gboolean
payload_write (GstRkDevice * device, gpointer handle, const guint8 * src,
    gsize size, GError ** error)
{
  return copy ((GstRkCudaDevice *) device, (gpointer) src,
      ((GstRkCudaMem *) handle)->ptr, size, FALSE, error);
}

const GstRkDeviceMemoryOps gst_rk_cuda_payload_ops = {
  .alloc = payload_alloc,
  .free = payload_free,
  .read = payload_read,
  .write = payload_write,
};

guint64
gst_rk_cuda_payload_get_ptr (gpointer handle)
{
  return ((GstRkCudaMem *) handle)->ptr;
}

/* Frees the payload stream when the device closes. */
void
gst_rk_cuda_payload_close (GstRkCudaDevice * dev)
{
  if (dev->payload_stream)
    dev->ops->stream_free (dev->payload_stream);
  dev->payload_stream = NULL;
  g_mutex_clear (&dev->payload_lock);
}
