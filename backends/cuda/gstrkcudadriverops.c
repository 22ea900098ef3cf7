/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GstRkCudaOps on the CUDA driver API. Every call makes the device's
 * primary context current for its duration only (push/pop), so streaming
 * threads that also run other CUDA code (nvcodec, applications) keep their
 * own context.
 *
 * A persistent kernel never ends, so nothing may wait for the whole device
 * while one runs: cuMemAlloc/cuMemFree can synchronise every stream, and
 * loading a module can too (lazy loading). Hence device memory comes from
 * the stream-ordered allocator (cuMemAllocAsync) where the device has one,
 * every function is loaded when it is first looked up (the backend looks
 * all of them up when it opens a device), and one context record per device
 * is shared by every open of it, so modules load once per process.
 */

#include <string.h>

#include "gstrkcudadriver.h"
#include "gstrkcudaops.h"
#include "gstrkcudaprotocol.h"
#include "gstrkerror.h"
#include "gstrksync.h"

#ifndef GST_RK_CUDA_MIN_CC
#define GST_RK_CUDA_MIN_CC 90
#endif

struct _GstRkCudaContext
{
  const GstRkCudaDriver *cu;
  gint index;
  gint refcount;                /* under contexts_lock */
  CUdevice device;
  CUcontext ctx;
  GstRkCudaDeviceProps props;
  CUstream alloc_stream;        /* stream-ordered allocations, or NULL */
  GMutex lock;
  GHashTable *modules;          /* GstRkCudaKernel* → CUmodule */
  GHashTable *functions;        /* "kernel/entry" → GstRkCudaFunction* */
};

/* One record per device, shared by every open */
static GMutex contexts_lock;
static GList *contexts;

struct _GstRkCudaStream
{
  GstRkCudaContext *ctx;
  CUstream stream;
  CUevent event;                /* for wait_stream */
};

struct _GstRkCudaFunction
{
  GstRkCudaContext *ctx;
  CUfunction function;
};

/* ---- Context switching ---- */

static gboolean
push (GstRkCudaContext * ctx, GError ** error)
{
  return gst_rk_cuda_check (ctx->cu->CtxPushCurrent (ctx->ctx),
      "cuCtxPushCurrent", error);
}

static void
pop (GstRkCudaContext * ctx)
{
  CUcontext old;

  ctx->cu->CtxPopCurrent (&old);
}

/* ---- Devices ---- */

static gint
attribute (const GstRkCudaDriver * cu, CUdevice dev, CUdevice_attribute attr)
{
  gint v = 0;

  if (cu->DeviceGetAttribute (&v, attr, dev) != CUDA_SUCCESS)
    return 0;
  return v;
}

static void
driver_probe (GstRkBackendInfo * info)
{
  const gchar *reason = NULL;
  const GstRkCudaDriver *cu = gst_rk_cuda_driver_get (&reason);
  GString *refused = NULL;
  gint count = 0;

  if (cu == NULL) {
    info->reason = g_strdup (reason);
    return;
  }
  if (!gst_rk_cuda_check (cu->DeviceGetCount (&count), "cuDeviceGetCount",
          NULL) || count == 0) {
    info->reason = g_strdup ("no CUDA device found");
    return;
  }
  if (!GST_RK_CUDA_DEVICE_CODE) {
    info->reason = g_strdup ("this build has no CUDA device code: nvcc was "
        "not found when it was built (install the CUDA toolkit, or point "
        "PATH at its bin/, and rebuild)");
    return;
  }

  for (gint i = 0; i < count; i++) {
    CUdevice dev;
    gchar name[256] = "";
    gint cc;

    if (cu->DeviceGet (&dev, i) != CUDA_SUCCESS)
      continue;
    cu->DeviceGetName (name, sizeof (name) - 1, dev);
    cc = attribute (cu, dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR) *
        10 + attribute (cu, dev, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
    if (cc < GST_RK_CUDA_MIN_CC || !attribute (cu, dev,
            CU_DEVICE_ATTRIBUTE_CAN_MAP_HOST_MEMORY)) {
      if (refused == NULL)
        refused = g_string_new (NULL);
      else
        g_string_append (refused, "; ");
      g_string_append_printf (refused, "device %d (%s) has compute "
          "capability %d.%d; this build's kernels need %d.%d or newer "
          "(meson option nvcc-archs)", i, name, cc / 10, cc % 10,
          GST_RK_CUDA_MIN_CC / 10, GST_RK_CUDA_MIN_CC % 10);
      continue;
    }
    gst_rk_backend_info_add_device (info, i, name, FALSE);
  }
  info->available = info->devices->len > 0;
  if (!info->available)
    info->reason = refused ? g_strdup (refused->str) :
        g_strdup ("no CUDA device found");
  if (refused)
    g_string_free (refused, TRUE);
}

static void
function_free (gpointer data)
{
  g_free (data);
}

static GstRkCudaContext *
context_new (const GstRkCudaDriver * cu, gint index, GError ** error)
{
  GstRkCudaContext *ctx;
  gchar name[256] = "";
  CUdevice dev;

  if (!gst_rk_cuda_check (cu->DeviceGet (&dev, index), "cuDeviceGet", error))
    return NULL;
  ctx = g_new0 (GstRkCudaContext, 1);
  ctx->cu = cu;
  ctx->index = index;
  ctx->device = dev;
  if (!gst_rk_cuda_check (cu->DevicePrimaryCtxRetain (&ctx->ctx, dev),
          "cuDevicePrimaryCtxRetain", error)) {
    g_free (ctx);
    return NULL;
  }
  g_mutex_init (&ctx->lock);
  ctx->modules = g_hash_table_new (NULL, NULL);
  ctx->functions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      function_free);

  cu->DeviceGetName (name, sizeof (name) - 1, dev);
  ctx->props.name = g_strdup (name);
  ctx->props.sm_count = attribute (cu, dev,
      CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
  ctx->props.max_block_size = attribute (cu, dev,
      CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
  ctx->props.cooperative = attribute (cu, dev,
      CU_DEVICE_ATTRIBUTE_COOPERATIVE_LAUNCH);

  if (cu->MemAllocAsync && cu->MemFreeAsync && attribute (cu, dev,
          CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED) && push (ctx, NULL)) {
    if (cu->StreamCreate (&ctx->alloc_stream, CU_STREAM_NON_BLOCKING) !=
        CUDA_SUCCESS)
      ctx->alloc_stream = NULL;
    pop (ctx);
  }
  ctx->props.memory_pools = ctx->alloc_stream != NULL;
  return ctx;
}

static GstRkCudaContext *
driver_open (gint index, GstRkCudaDeviceProps * props, GError ** error)
{
  const gchar *reason = NULL;
  const GstRkCudaDriver *cu = gst_rk_cuda_driver_get (&reason);
  GstRkCudaContext *ctx = NULL;

  if (cu == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "CUDA unavailable: %s", reason);
    return NULL;
  }
  gst_rk_mutex_lock (&contexts_lock);
  for (GList * l = contexts; l && ctx == NULL; l = l->next)
    if (((GstRkCudaContext *) l->data)->index == index)
      ctx = l->data;
  if (ctx == NULL && (ctx = context_new (cu, index, error)))
    contexts = g_list_prepend (contexts, ctx);
  if (ctx) {
    ctx->refcount++;
    *props = ctx->props;
    props->name = g_strdup (ctx->props.name);
  }
  gst_rk_mutex_unlock (&contexts_lock);
  return ctx;
}

static gboolean stream_wait (GstRkCudaContext * ctx, CUstream stream,
    GError ** error);

static void
driver_close (GstRkCudaContext * ctx)
{
  GHashTableIter it;
  gpointer module;

  gst_rk_mutex_lock (&contexts_lock);
  if (--ctx->refcount > 0) {
    gst_rk_mutex_unlock (&contexts_lock);
    return;
  }
  contexts = g_list_remove (contexts, ctx);
  gst_rk_mutex_unlock (&contexts_lock);

  if (push (ctx, NULL)) {
    g_hash_table_iter_init (&it, ctx->modules);
    while (g_hash_table_iter_next (&it, NULL, &module))
      ctx->cu->ModuleUnload (module);
    if (ctx->alloc_stream) {
      /* Destroying a busy stream is fine: its work still runs */
      stream_wait (ctx, ctx->alloc_stream, NULL);
      ctx->cu->StreamDestroy (ctx->alloc_stream);
    }
    pop (ctx);
  }
  g_hash_table_unref (ctx->functions);
  g_hash_table_unref (ctx->modules);
  ctx->cu->DevicePrimaryCtxRelease (ctx->device);
  g_free (ctx->props.name);
  g_mutex_clear (&ctx->lock);
  g_free (ctx);
}

/* ---- Memory ---- */

static gboolean
driver_host_alloc (GstRkCudaContext * ctx, gsize size, gpointer * host,
    guint64 * device, GError ** error)
{
  CUdeviceptr d = 0;
  void *p = NULL;
  gboolean ok;

  if (!push (ctx, error))
    return FALSE;
  ok = gst_rk_cuda_check (ctx->cu->MemHostAlloc (&p, size,
          CU_MEMHOSTALLOC_DEVICEMAP | CU_MEMHOSTALLOC_PORTABLE),
      "cuMemHostAlloc", error);
  if (ok && !gst_rk_cuda_check (ctx->cu->MemHostGetDevicePointer (&d, p, 0),
          "cuMemHostGetDevicePointer", error)) {
    ctx->cu->MemFreeHost (p);
    ok = FALSE;
  }
  pop (ctx);
  if (!ok)
    return FALSE;
  memset (p, 0, size);
  *host = p;
  *device = d;
  return TRUE;
}

static void
driver_host_free (GstRkCudaContext * ctx, gpointer host)
{
  if (push (ctx, NULL)) {
    ctx->cu->MemFreeHost (host);
    pop (ctx);
  }
}

/* cuStreamSynchronize with a deadline (gst_rk_cuda_stream_sync() for a
 * stream of the context's own): the context is current. */
static gboolean
stream_wait (GstRkCudaContext * ctx, CUstream stream, GError ** error)
{
  guint timeout_ms = gst_rk_cuda_get_sync_timeout ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gulong sleep_us = 1;
  CUresult res;

  while ((res = ctx->cu->StreamQuery (stream)) == CUDA_ERROR_NOT_READY) {
    if (g_get_monotonic_time () >= deadline) {
      gst_rk_cuda_set_sync_timeout_error (error, timeout_ms);
      return FALSE;
    }
    g_usleep (sleep_us);
    sleep_us = MIN (sleep_us * 2, 1000);
  }
  return gst_rk_cuda_check (res, "cuStreamQuery", error);
}

static gboolean
driver_mem_alloc (GstRkCudaContext * ctx, gsize size, guint64 * device,
    GError ** error)
{
  CUdeviceptr d = 0;
  gboolean ok;

  if (!push (ctx, error))
    return FALSE;
  /* Stream-ordered: no wait for the whole device. The wait on the
   * allocation's own stream makes it usable from every stream. */
  if (ctx->alloc_stream)
    ok = gst_rk_cuda_check (ctx->cu->MemAllocAsync (&d, size,
            ctx->alloc_stream), "cuMemAllocAsync", error) &&
        stream_wait (ctx, ctx->alloc_stream, error);
  else
    ok = gst_rk_cuda_check (ctx->cu->MemAlloc (&d, size), "cuMemAlloc",
        error);
  pop (ctx);
  *device = d;
  return ok;
}

static void
driver_mem_free (GstRkCudaContext * ctx, guint64 device)
{
  if (push (ctx, NULL)) {
    if (ctx->alloc_stream)
      ctx->cu->MemFreeAsync (device, ctx->alloc_stream);
    else
      ctx->cu->MemFree (device);
    pop (ctx);
  }
}

/* ---- Streams ---- */

static GstRkCudaStream *
driver_stream_new (GstRkCudaContext * ctx, GError ** error)
{
  GstRkCudaStream *s = g_new0 (GstRkCudaStream, 1);
  gboolean ok;

  if (!push (ctx, error)) {
    g_free (s);
    return NULL;
  }
  s->ctx = ctx;
  /* Non-blocking: never serialised behind the legacy default stream. */
  ok = gst_rk_cuda_check (ctx->cu->StreamCreate (&s->stream,
          CU_STREAM_NON_BLOCKING), "cuStreamCreate", error) &&
      gst_rk_cuda_check (ctx->cu->EventCreate (&s->event,
          CU_EVENT_DISABLE_TIMING), "cuEventCreate", error);
  if (!ok && s->stream)
    ctx->cu->StreamDestroy (s->stream);
  pop (ctx);
  if (!ok) {
    g_free (s);
    return NULL;
  }
  return s;
}

static void
driver_stream_free (GstRkCudaStream * s)
{
  if (push (s->ctx, NULL)) {
    stream_wait (s->ctx, s->stream, NULL);
    s->ctx->cu->EventDestroy (s->event);
    s->ctx->cu->StreamDestroy (s->stream);
    pop (s->ctx);
  }
  g_free (s);
}

static gboolean
driver_copy_to_device (GstRkCudaStream * s, guint64 dst, gconstpointer src,
    gsize size, GError ** error)
{
  gboolean ok;

  if (!push (s->ctx, error))
    return FALSE;
  ok = gst_rk_cuda_check (s->ctx->cu->MemcpyHtoDAsync (dst, src, size,
          s->stream), "cuMemcpyHtoDAsync", error);
  pop (s->ctx);
  return ok;
}

static gboolean
driver_copy_to_host (GstRkCudaStream * s, gpointer dst, guint64 src,
    gsize size, GError ** error)
{
  gboolean ok;

  if (!push (s->ctx, error))
    return FALSE;
  ok = gst_rk_cuda_check (s->ctx->cu->MemcpyDtoHAsync (dst, src, size,
          s->stream), "cuMemcpyDtoHAsync", error);
  pop (s->ctx);
  return ok;
}

static gboolean
driver_fill (GstRkCudaStream * s, guint64 dst, guint8 value, gsize size,
    GError ** error)
{
  gboolean ok;

  if (!push (s->ctx, error))
    return FALSE;
  ok = gst_rk_cuda_check (s->ctx->cu->MemsetD8Async (dst, value, size,
          s->stream), "cuMemsetD8Async", error);
  pop (s->ctx);
  return ok;
}

static gboolean
driver_wait_stream (GstRkCudaStream * waiter, GstRkCudaStream * on,
    GError ** error)
{
  gboolean ok;

  if (!push (on->ctx, error))
    return FALSE;
  /* cuStreamWaitEvent takes the event as recorded now, so one event per
   * stream can be recorded again at once. */
  ok = gst_rk_cuda_check (on->ctx->cu->EventRecord (on->event, on->stream),
      "cuEventRecord", error) &&
      gst_rk_cuda_check (on->ctx->cu->StreamWaitEvent (waiter->stream,
          on->event, 0), "cuStreamWaitEvent", error);
  pop (on->ctx);
  return ok;
}

static gboolean
driver_sync (GstRkCudaStream * s, GError ** error)
{
  gboolean ok;

  if (!push (s->ctx, error))
    return FALSE;
  ok = gst_rk_cuda_check (s->ctx->cu->StreamSynchronize (s->stream),
      "cuStreamSynchronize", error);
  pop (s->ctx);
  return ok;
}

static GstRkCudaStreamState
driver_query (GstRkCudaStream * s, GError ** error)
{
  CUresult res;

  if (!push (s->ctx, error))
    return GST_RK_CUDA_STREAM_FAILED;
  res = s->ctx->cu->StreamQuery (s->stream);
  pop (s->ctx);
  if (res == CUDA_SUCCESS)
    return GST_RK_CUDA_STREAM_IDLE;
  if (res == CUDA_ERROR_NOT_READY)
    return GST_RK_CUDA_STREAM_BUSY;
  gst_rk_cuda_check (res, "cuStreamQuery", error);
  return GST_RK_CUDA_STREAM_FAILED;
}

/* ---- Kernels ---- */

/* Loads the function's code now (lazy loading would load it at its first
 * launch, which may wait for the device, and so for a persistent kernel
 * that never ends). */
static gboolean
load_function (GstRkCudaContext * ctx, CUfunction function, GError ** error)
{
  gint regs = 0;

  if (ctx->cu->FuncLoad)
    return gst_rk_cuda_check (ctx->cu->FuncLoad (function), "cuFuncLoad",
        error);
  return gst_rk_cuda_check (ctx->cu->FuncGetAttribute (&regs,
          CU_FUNC_ATTRIBUTE_NUM_REGS, function), "cuFuncGetAttribute", error);
}

static GstRkCudaFunction *
driver_get_function (GstRkCudaContext * ctx, const GstRkCudaKernel * kernel,
    const gchar * entry, GError ** error)
{
  gchar *key = g_strdup_printf ("%s/%s", kernel->name, entry);
  GstRkCudaFunction *f;
  CUmodule module;

  gst_rk_mutex_lock (&ctx->lock);
  f = g_hash_table_lookup (ctx->functions, key);
  if (f)
    goto out;
  if (!push (ctx, error))
    goto out;

  module = g_hash_table_lookup (ctx->modules, kernel);
  if (module == NULL) {
    if (!gst_rk_cuda_check (ctx->cu->ModuleLoadData (&module, kernel->image),
            "cuModuleLoadData", error)) {
      g_prefix_error (error, "loading the CUDA module of kernel %s: ",
          kernel->name);
      pop (ctx);
      goto out;
    }
    g_hash_table_insert (ctx->modules, (gpointer) kernel, module);
  }
  f = g_new0 (GstRkCudaFunction, 1);
  f->ctx = ctx;
  if (!gst_rk_cuda_check (ctx->cu->ModuleGetFunction (&f->function, module,
              entry), "cuModuleGetFunction", error) ||
      !load_function (ctx, f->function, error)) {
    g_clear_pointer (&f, g_free);
  } else {
    g_hash_table_insert (ctx->functions, key, f);
    key = NULL;
  }
  pop (ctx);
out:
  gst_rk_mutex_unlock (&ctx->lock);
  g_free (key);
  return f;
}

static guint
driver_max_active_blocks (GstRkCudaFunction * f, guint block_size,
    gsize shared_size, GError ** error)
{
  gint n = 0;
  gboolean ok;

  if (!push (f->ctx, error))
    return 0;
  ok = gst_rk_cuda_check (f->ctx->cu->OccupancyMaxActiveBlocksPerMultiprocessor
      (&n, f->function, (gint) block_size, shared_size),
      "cuOccupancyMaxActiveBlocksPerMultiprocessor", error);
  pop (f->ctx);
  return ok ? (guint) MAX (n, 0) : 0;
}

static gboolean
driver_launch (GstRkCudaStream * s, GstRkCudaFunction * f, guint grid_size,
    guint block_size, gsize shared_size, gboolean cooperative, gpointer args,
    GError ** error)
{
  void *params[] = { args };
  gboolean ok;

  if (!push (s->ctx, error))
    return FALSE;
  if (cooperative)
    ok = gst_rk_cuda_check (s->ctx->cu->LaunchCooperativeKernel (f->function,
            grid_size, 1, 1, block_size, 1, 1, (guint) shared_size,
            s->stream, params), "cuLaunchCooperativeKernel", error);
  else
    ok = gst_rk_cuda_check (s->ctx->cu->LaunchKernel (f->function, grid_size,
            1, 1, block_size, 1, 1, (guint) shared_size, s->stream, params,
            NULL), "cuLaunchKernel", error);
  pop (s->ctx);
  return ok;
}

const GstRkCudaOps gst_rk_cuda_driver_ops = {
  .name = "driver",
  .probe = driver_probe,
  .open = driver_open,
  .close = driver_close,
  .host_alloc = driver_host_alloc,
  .host_free = driver_host_free,
  .mem_alloc = driver_mem_alloc,
  .mem_free = driver_mem_free,
  .stream_new = driver_stream_new,
  .stream_free = driver_stream_free,
  .copy_to_device = driver_copy_to_device,
  .copy_to_host = driver_copy_to_host,
  .fill = driver_fill,
  .wait_stream = driver_wait_stream,
  .sync = driver_sync,
  .query = driver_query,
  .get_function = driver_get_function,
  .max_active_blocks = driver_max_active_blocks,
  .launch = driver_launch,
};
