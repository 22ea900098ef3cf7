/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_CUDA_OPS_H__
#define __GST_RK_CUDA_OPS_H__

#include "gstrkbackend.h"
#include "gstrkcudakernel.h"

G_BEGIN_DECLS

/*
 * What the CUDA backend needs of a device, as a table of functions. The
 * backend's controllers (persistent and event-driven) see devices only
 * through it. gstrkcudadriverops.c implements it on the driver API
 * (libcuda.so.1, loaded at run time); the tests implement it with a fake
 * device that runs the same device code in host threads over host memory
 * (tests/rkfakecuda.c), so every host-side path is tested without a GPU.
 *
 * Device addresses are 64-bit integers. Streams run their work in order;
 * different streams may overlap.
 */

typedef struct _GstRkCudaContext GstRkCudaContext;
typedef struct _GstRkCudaStream GstRkCudaStream;
typedef struct _GstRkCudaFunction GstRkCudaFunction;

/**
 * GstRkCudaDeviceProps:
 * @name: device name
 * @sm_count: streaming multiprocessors
 * @max_block_size: most threads per block
 * @cooperative: cooperative launches are supported
 * @memory_pools: @mem_alloc and @mem_free are stream-ordered (memory
 *   pools); else they may wait for the whole device
 */
typedef struct
{
  gchar *name;
  guint sm_count;
  guint max_block_size;
  gboolean cooperative;
  gboolean memory_pools;
} GstRkCudaDeviceProps;

/* Answers of GstRkCudaOps.query */
typedef enum
{
  GST_RK_CUDA_STREAM_BUSY,
  GST_RK_CUDA_STREAM_IDLE,
  GST_RK_CUDA_STREAM_FAILED,
} GstRkCudaStreamState;

/**
 * GstRkCudaOps:
 * @probe: fills @info (available, devices, or the reason there are none)
 * @open: opens device @index
 * @close: frees what @open made, and whatever allocations are left
 * @host_alloc: pinned host memory mapped into the device's address space
 * @host_free: frees @host_alloc memory
 * @mem_alloc: device memory
 * @mem_free: frees @mem_alloc memory
 * @stream_new: a stream of its own (never the legacy default stream)
 * @stream_free: waits for the stream's work and frees it
 * @copy_to_device: enqueues a copy from host memory; @src must stay valid
 *   until the stream has run it
 * @copy_to_host: enqueues a copy into host memory
 * @fill: enqueues a byte fill of device memory
 * @wait_stream: makes @waiter wait for the work enqueued on @on so far
 * @sync: waits for the stream's work, without a deadline: the backend
 *   waits with gst_rk_cuda_stream_sync() instead
 * @query: whether the stream's work is done; FAILED with @error when the
 *   device reported an error
 * @get_function: the entry point @entry of @kernel's module (loaded once
 *   per context)
 * @max_active_blocks: blocks of @block_size threads with @shared_size bytes
 *   of shared memory that fit on one SM at once (the occupancy API)
 * @launch: enqueues a launch; @cooperative for persistent kernels (every
 *   block resident)
 */
typedef struct
{
  const gchar *name;

  void (*probe) (GstRkBackendInfo * info);
  GstRkCudaContext *(*open) (gint index, GstRkCudaDeviceProps * props,
      GError ** error);
  void (*close) (GstRkCudaContext * ctx);

  gboolean (*host_alloc) (GstRkCudaContext * ctx, gsize size,
      gpointer * host, guint64 * device, GError ** error);
  void (*host_free) (GstRkCudaContext * ctx, gpointer host);
  gboolean (*mem_alloc) (GstRkCudaContext * ctx, gsize size,
      guint64 * device, GError ** error);
  void (*mem_free) (GstRkCudaContext * ctx, guint64 device);

  GstRkCudaStream *(*stream_new) (GstRkCudaContext * ctx, GError ** error);
  void (*stream_free) (GstRkCudaStream * stream);
  gboolean (*copy_to_device) (GstRkCudaStream * stream, guint64 dst,
      gconstpointer src, gsize size, GError ** error);
  gboolean (*copy_to_host) (GstRkCudaStream * stream, gpointer dst,
      guint64 src, gsize size, GError ** error);
  gboolean (*fill) (GstRkCudaStream * stream, guint64 dst, guint8 value,
      gsize size, GError ** error);
  gboolean (*wait_stream) (GstRkCudaStream * waiter, GstRkCudaStream * on,
      GError ** error);
  gboolean (*sync) (GstRkCudaStream * stream, GError ** error);
  GstRkCudaStreamState (*query) (GstRkCudaStream * stream, GError ** error);

  GstRkCudaFunction *(*get_function) (GstRkCudaContext * ctx,
      const GstRkCudaKernel * kernel, const gchar * entry, GError ** error);
  guint (*max_active_blocks) (GstRkCudaFunction * function, guint block_size,
      gsize shared_size, GError ** error);
  gboolean (*launch) (GstRkCudaStream * stream, GstRkCudaFunction * function,
      guint grid_size, guint block_size, gsize shared_size,
      gboolean cooperative, gpointer args, GError ** error);
} GstRkCudaOps;

/* The driver API implementation (gstrkcudadriverops.c) */
extern const GstRkCudaOps gst_rk_cuda_driver_ops;

const GstRkCudaOps *gst_rk_cuda_get_ops (void);
void gst_rk_cuda_set_ops (const GstRkCudaOps * ops);

/* The longest a stream's work may take before a wait for it gives up */
#define GST_RK_CUDA_SYNC_TIMEOUT_MS 10000

gboolean gst_rk_cuda_stream_sync (const GstRkCudaOps * ops,
    GstRkCudaStream * stream, GError ** error);
guint gst_rk_cuda_get_sync_timeout (void);
void gst_rk_cuda_set_sync_timeout (guint timeout_ms);
void gst_rk_cuda_set_sync_timeout_error (GError ** error, guint timeout_ms);

G_END_DECLS

#endif /* __GST_RK_CUDA_OPS_H__ */
