/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_DEVICE_H__
#define __GST_RK_CUDA_DEVICE_H__

#include "gstrkcudaops.h"

G_BEGIN_DECLS

/*
 * An open CUDA device (one per runtime): the ops it runs on, its
 * properties and the memory its kernels hold (reported in the runtime
 * metrics). What the context holds for every runtime of the process that
 * opened the same device (GstRkCudaShared, gstrkcudadevice.c) is shared:
 * the blocks persistent kernels keep resident, the kernels abandoned in
 * it, and a pool of mapped pinned host memory.
 *
 * Allocating or freeing pinned memory may wait for the whole context, which
 * a running persistent kernel, of any runtime, never lets happen. So mapped
 * memory comes from chunks allocated when the context is first opened; a
 * chunk is only added when they are full and no persistent kernel is
 * resident (else the allocation fails, with the reason), and chunks are
 * freed when the last runtime closes the context.
 */
typedef struct _GstRkCudaShared GstRkCudaShared;

typedef struct
{
  GstRkDevice parent;
  const GstRkCudaOps *ops;
  GstRkCudaContext *ctx;
  GstRkCudaDeviceProps props;
  GstRkCudaShared *shared;

  GMutex payload_lock;          /* frames on the device: host reads and
                                 * writes (gstrkcudapayload.c) */
  GstRkCudaStream *payload_stream;
} GstRkCudaDevice;

/* Bytes of mapped memory a device opens with */
#define GST_RK_CUDA_HOST_CHUNK_SIZE (8u << 20)

/* Pinned host memory mapped into the device */
typedef struct
{
  gpointer host;
  guint64 device;
  gsize size;
  gpointer chunk;               /* where it came from */
} GstRkCudaHostMem;

/* Device memory */
typedef struct
{
  guint64 ptr;
  gsize size;
} GstRkCudaMem;

gboolean gst_rk_cuda_device_open_shared (GstRkCudaDevice * dev,
    GError ** error);
gboolean gst_rk_cuda_device_close_shared (GstRkCudaDevice * dev);
void gst_rk_cuda_device_abandon (GstRkCudaDevice * dev);
GstRkCudaFunction *gst_rk_cuda_device_load (GstRkCudaDevice * dev,
    const GstRkCudaKernel * impl, const gchar * entry, GError ** error);
GstRkCudaFunction *gst_rk_cuda_device_get_function (GstRkCudaDevice * dev,
    const GstRkCudaKernel * impl, const gchar * entry, const gchar * kernel,
    GError ** error);
void gst_rk_cuda_device_preload (const GstRkCudaKernel * impl);

/* @kernel: the registry name of the kernel whose memory it is (for the
 * error, and GST_RK_FAULT_ALLOC); %NULL for payload memory
 * (GST_RK_FAULT_MEMORY) */
gboolean gst_rk_cuda_device_host_alloc (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaHostMem * mem, GError ** error);
void gst_rk_cuda_device_host_free (GstRkCudaDevice * dev,
    GstRkCudaHostMem * mem);
gboolean gst_rk_cuda_device_mem_alloc (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaMem * mem, GError ** error);
void gst_rk_cuda_device_mem_free (GstRkCudaDevice * dev, GstRkCudaMem * mem);

gboolean gst_rk_cuda_device_mem_ensure (GstRkCudaDevice * dev, gsize size,
    const gchar * kernel, GstRkCudaMem * mem, GError ** error);
gboolean gst_rk_cuda_device_upload (GstRkCudaDevice * dev,
    GstRkCudaStream * stream, GBytes * bytes, const gchar * kernel,
    GstRkCudaMem * mem, GError ** error);

/* SMs a frame kernel's default grid leaves free (at most half the
 * device's) */
#define GST_RK_CUDA_HEADROOM_SMS 1u

gboolean gst_rk_cuda_device_reserve_blocks (GstRkCudaDevice * dev,
    guint blocks, guint per_sm, guint block_size, GError ** error);
void gst_rk_cuda_device_release_blocks (GstRkCudaDevice * dev, guint blocks,
    guint per_sm);
guint gst_rk_cuda_device_default_grid (GstRkCudaDevice * dev, guint per_sm);

/**
 * GstRkCudaSlots:
 *
 * @n buffers of @size bytes each, in device memory, in pinned host memory
 * ("staging", mapped into the device) or both. They grow, never per
 * buffer: only when a message needs bigger slots.
 */
typedef struct
{
  GstRkCudaDevice *dev;
  const gchar *kernel;          /* whose slots (registry name) */
  guint n;
  gsize size;
  gboolean with_device;
  gboolean with_staging;
  GstRkCudaMem device;
  GstRkCudaHostMem staging;
} GstRkCudaSlots;

void gst_rk_cuda_slots_init (GstRkCudaSlots * slots, GstRkCudaDevice * dev,
    const gchar * kernel, guint n, gboolean with_device,
    gboolean with_staging);
gboolean gst_rk_cuda_slots_ensure (GstRkCudaSlots * slots, gsize size,
    GError ** error);
void gst_rk_cuda_slots_clear (GstRkCudaSlots * slots);

static inline guint64
gst_rk_cuda_slots_device (const GstRkCudaSlots * s, guint i)
{
  return s->device.ptr + (guint64) i * s->size;
}

static inline guint8 *
gst_rk_cuda_slots_staging (const GstRkCudaSlots * s, guint i)
{
  return (guint8 *) s->staging.host + (gsize) i * s->size;
}

static inline guint64
gst_rk_cuda_slots_staging_device (const GstRkCudaSlots * s, guint i)
{
  return s->staging.device + (guint64) i * s->size;
}

G_END_DECLS

#endif /* __GST_RK_CUDA_DEVICE_H__ */
