/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The CUDA backend.
 *
 * persistent:   one cooperative launch per kernel, resident until
 *               terminate, polling mapped pinned memory
 *               (gstrkcudapersistent.c, device side gstrkcudaloop.h)
 * event-driven: a launch per frame or per batch of messages from a host
 *               dispatcher thread (gstrkcudaevent.c)
 *
 * The driver is loaded at run time (gstrkcudadriver.c); kernels are
 * fatbins compiled by nvcc at build time and embedded (kernels/). Devices
 * are reached through GstRkCudaOps only, which tests replace with a fake
 * device.
 */

#include "gstrkcudaevent.h"
#include "gstrkcudapayload.h"
#include "gstrkcudapersistent.h"
#include "gstrkcudauser.h"
#include "gstrkcudaprotocol.h"
#include "gstrkerror.h"
#include "gstrkregistryprivate.h"

GST_DEBUG_CATEGORY (gst_rk_cuda_debug);
#define GST_CAT_DEFAULT gst_rk_cuda_debug

extern const GstRkBackend gst_rk_backend_cuda;

typedef struct
{
  GstRkCudaPersistent *persistent;
  GstRkCudaEvent *event;
} CudaKernel;

static const GstRkCudaOps *ops_override;
static guint sync_timeout_ms = GST_RK_CUDA_SYNC_TIMEOUT_MS;

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_rk_cuda_debug, "ringkernel-cuda", 0,
        "ring kernel CUDA backend");
    g_once_init_leave (&done, 1);
  }
}

/**
 * gst_rk_cuda_get_ops:
 *
 * Returns: the device operations the backend uses: the driver API, unless
 * a test installed a fake device.
 */
const GstRkCudaOps *
gst_rk_cuda_get_ops (void)
{
  const GstRkCudaOps *ops = g_atomic_pointer_get (&ops_override);

  return ops ? ops : &gst_rk_cuda_driver_ops;
}

/**
 * gst_rk_cuda_set_ops:
 * @ops: (nullable): device operations, %NULL for the driver API
 *
 * For tests: runs the backend on other device operations (a fake device).
 * Call it before anything probes the CUDA backend: the runtime probes once
 * per process.
 */
void
gst_rk_cuda_set_ops (const GstRkCudaOps * ops)
{
  g_atomic_pointer_set (&ops_override, ops);
}

/* Longest sleep between two looks at a stream being waited for: short
 * waits (a copy) stay short, long ones cost no core */
#define SYNC_MAX_BACKOFF_US 1000

/**
 * gst_rk_cuda_get_sync_timeout:
 *
 * Returns: how long gst_rk_cuda_stream_sync() waits, in ms
 */
guint
gst_rk_cuda_get_sync_timeout (void)
{
  return g_atomic_int_get (&sync_timeout_ms);
}

/**
 * gst_rk_cuda_set_sync_timeout:
 * @timeout_ms: 0 for GST_RK_CUDA_SYNC_TIMEOUT_MS
 *
 * For tests: a shorter deadline for stream waits.
 */
void
gst_rk_cuda_set_sync_timeout (guint timeout_ms)
{
  g_atomic_int_set (&sync_timeout_ms, timeout_ms ? timeout_ms :
      GST_RK_CUDA_SYNC_TIMEOUT_MS);
}

void
gst_rk_cuda_set_sync_timeout_error (GError ** error, guint timeout_ms)
{
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
      "CUDA stream did not finish within %g s", timeout_ms / 1000.0);
}

/**
 * gst_rk_cuda_stream_sync:
 *
 * Waits for @stream's work, but at most gst_rk_cuda_get_sync_timeout():
 * work queued behind a kernel that never ends (a shared hardware queue, a
 * grid that cannot be resident) would make cuStreamSynchronize wait
 * forever. It looks at the stream with a bounded backoff, so a long wait
 * does not spin a core either.
 *
 * Returns: %FALSE with @error when the stream failed or did not finish in
 *   time (its work may then still run: what it reads or writes must be
 *   kept)
 */
gboolean
gst_rk_cuda_stream_sync (const GstRkCudaOps * ops, GstRkCudaStream * stream,
    GError ** error)
{
  guint timeout_ms = gst_rk_cuda_get_sync_timeout ();
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gulong sleep_us = 1;

  for (;;) {
    switch (ops->query (stream, error)) {
      case GST_RK_CUDA_STREAM_IDLE:
        return TRUE;
      case GST_RK_CUDA_STREAM_FAILED:
        return FALSE;
      case GST_RK_CUDA_STREAM_BUSY:
        break;
    }
    if (g_get_monotonic_time () >= deadline) {
      gst_rk_cuda_set_sync_timeout_error (error, timeout_ms);
      return FALSE;
    }
    g_usleep (sleep_us);
    sleep_us = MIN (sleep_us * 2, SYNC_MAX_BACKOFF_US);
  }
}

static const gchar *const cuda_user_suffixes[] = { ".cu", NULL };

static void
cuda_register_kernels (void)
{
  gst_rk_registry_add_implementation ("echo", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_echo);
  gst_rk_registry_add_implementation ("gray", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_gray);
  gst_rk_registry_add_implementation ("blur", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_blur);
  gst_rk_registry_add_implementation ("sobel", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_sobel);
  gst_rk_registry_add_implementation ("bgsub", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_bgsub);
  gst_rk_registry_add_implementation ("anomaly", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_anomaly);
  gst_rk_registry_add_implementation ("fir", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_fir);
  gst_rk_registry_add_implementation ("spectrum", GST_RK_BACKEND_CUDA,
      &gst_rk_cuda_kernel_spectrum);
}

static void
cuda_probe (GstRkBackendInfo * info)
{
  init_debug ();
  gst_rk_cuda_get_ops ()->probe (info);
  GST_INFO ("CUDA: %s", info->available ? "available" : info->reason);
}

static void cuda_close (GstRkDevice * device);

/* Loads every CUDA kernel's module now, before any persistent kernel runs:
 * loading one later may have to wait for the whole device. A module that
 * does not load fails its kernel's launch, with the reason. */
static void
preload_kernels (GstRkCudaDevice * dev)
{
  static const gchar *entries[] = { RK_CUDA_ENTRY_PERSISTENT,
    RK_CUDA_ENTRY_EVENT
  };
  GPtrArray *kernels = gst_rk_registry_list ();

  for (guint i = 0; i < kernels->len; i++) {
    const GstRkKernelInfo *info = g_ptr_array_index (kernels, i);
    const GstRkCudaKernel *impl =
        gst_rk_registry_get_implementation (info->name, GST_RK_BACKEND_CUDA);

    for (guint e = 0; impl && e < G_N_ELEMENTS (entries); e++) {
      GError *err = NULL;

      if (!gst_rk_cuda_device_load (dev, impl, entries[e], &err)) {
        GST_WARNING ("%s", err->message);
        g_error_free (err);
      }
    }
  }
  g_ptr_array_unref (kernels);
}

/* A user kernel's module is loaded into the open contexts when the kernel
 * is loaded, not at its first launch, which may come while a persistent
 * kernel runs. */
static gconstpointer
cuda_load_user_kernel (const gchar * path, const gchar * entry,
    GstRkKernelInfo * info, GError ** error)
{
  gconstpointer impl = gst_rk_cuda_load_user_kernel (path, entry, info,
      error);

  init_debug ();
  if (impl)
    gst_rk_cuda_device_preload (impl);
  return impl;
}

static GstRkDevice *
cuda_open (gint device_id, GError ** error)
{
  const GstRkBackendInfo *info = gst_rk_backend_probe (GST_RK_BACKEND_CUDA);
  const GstRkCudaOps *ops = gst_rk_cuda_get_ops ();
  gint index = device_id < 0 ? 0 : device_id;
  GstRkCudaDevice *dev;
  gboolean found = FALSE;

  init_debug ();
  for (guint i = 0; info->available && i < info->devices->len; i++)
    if (g_array_index (info->devices, GstRkDeviceDesc, i).index == index)
      found = TRUE;
  if (!found) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE,
        "no usable CUDA device %d (%u found)", index,
        info->available ? info->devices->len : 0);
    return NULL;
  }

  dev = g_new0 (GstRkCudaDevice, 1);
  dev->ops = ops;
  dev->ctx = ops->open (index, &dev->props, error);
  if (dev->ctx == NULL) {
    g_prefix_error (error, "cannot open CUDA device %d: ", index);
    g_free (dev);
    return NULL;
  }
  g_mutex_init (&dev->payload_lock);
  gst_rk_device_init (&dev->parent, &gst_rk_backend_cuda, index,
      dev->props.name, FALSE);
  if (!gst_rk_cuda_device_open_shared (dev, error)) {
    cuda_close (&dev->parent);
    return NULL;
  }
  preload_kernels (dev);
  return &dev->parent;
}

static void
cuda_close (GstRkDevice * device)
{
  GstRkCudaDevice *dev = (GstRkCudaDevice *) device;

  gst_rk_cuda_payload_close (dev);
  if (gst_rk_cuda_device_close_shared (dev))
    dev->ops->close (dev->ctx);
  g_free (dev->props.name);
  gst_rk_device_clear (device);
  g_free (dev);
}

static gboolean
cuda_launch (GstRkDevice * device, GstRkKernel * kernel, GError ** error)
{
  GstRkCudaDevice *dev = (GstRkCudaDevice *) device;
  CudaKernel *ck = g_new0 (CudaKernel, 1);

  if (gst_rk_kernel_get_mode (kernel) == GST_RK_KERNEL_MODE_PERSISTENT)
    ck->persistent = gst_rk_cuda_persistent_launch (dev, kernel, error);
  else
    ck->event = gst_rk_cuda_event_launch (dev, kernel, error);
  if (ck->persistent == NULL && ck->event == NULL) {
    g_free (ck);
    return FALSE;
  }
  gst_rk_kernel_set_backend_data (kernel, ck);
  return TRUE;
}

static gboolean
command (GstRkKernel * kernel, guint32 cmd, GError ** error)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck->persistent)
    return gst_rk_cuda_persistent_command (ck->persistent, cmd, error);
  return gst_rk_cuda_event_command (ck->event, cmd, error);
}

static gboolean
cuda_activate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_RUN, error);
}

static gboolean
cuda_deactivate (GstRkKernel * kernel, GError ** error)
{
  return command (kernel, RK_CMD_PAUSE, error);
}

static gboolean
cuda_terminate (GstRkKernel * kernel, GError ** error)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);
  gboolean ok;

  if (ck == NULL)
    return TRUE;
  gst_rk_kernel_set_backend_data (kernel, NULL);
  if (ck->persistent)
    ok = gst_rk_cuda_persistent_terminate (ck->persistent, error);
  else
    ok = gst_rk_cuda_event_terminate (ck->event, error);
  g_free (ck);
  return ok;
}

static void
cuda_send (GstRkKernel * kernel)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck == NULL)
    return;
  if (ck->persistent)
    gst_rk_cuda_persistent_send (ck->persistent);
  else
    gst_rk_cuda_event_send (ck->event);
}

static void
cuda_flush (GstRkKernel * kernel)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck == NULL)
    return;
  if (ck->persistent)
    gst_rk_cuda_persistent_flush (ck->persistent);
  else
    gst_rk_cuda_event_send (ck->event);
}

static gboolean
cuda_poll (GstRkKernel * kernel, GError ** error)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck == NULL || ck->persistent == NULL)
    return TRUE;                /* event-driven errors come with the launch */
  return gst_rk_cuda_persistent_poll (ck->persistent, error);
}

static GstBuffer *
cuda_fetch (GstRkKernel * kernel, const GstRkEnvelope * env)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck == NULL || ck->persistent == NULL)
    return NULL;
  return gst_rk_cuda_persistent_fetch (ck->persistent, env);
}

static void
cuda_fill_stats (GstRkKernel * kernel, GstStructure * stats)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);

  if (ck == NULL)
    return;
  if (ck->persistent)
    gst_rk_cuda_persistent_fill_stats (ck->persistent, stats);
  else
    gst_rk_cuda_event_fill_stats (ck->event, stats);
}

/* Event-driven frame kernels whose only output is a frame take and give
 * frames on the device (kernels with events or rounds, and persistent
 * kernels, keep to host memory for now). */
static gboolean
cuda_device_payloads (GstRkKernel * kernel)
{
  CudaKernel *ck = gst_rk_kernel_get_backend_data (kernel);
  const GstRkCudaKernel *impl = gst_rk_kernel_get_implementation (kernel);

  return ck && ck->event && impl->extra_size == NULL &&
      !(impl->flags & (GST_RK_CUDA_KERNEL_PASSTHROUGH |
          GST_RK_CUDA_KERNEL_ROUNDS)) &&
      gst_rk_kernel_get_info (kernel)->kind == GST_RK_KERNEL_KIND_FRAME;
}

const GstRkBackend gst_rk_backend_cuda = {
  .kind = GST_RK_BACKEND_CUDA,
  .name = "cuda",
  .register_kernels = cuda_register_kernels,
  .probe = cuda_probe,
  .open = cuda_open,
  .close = cuda_close,
  .launch = cuda_launch,
  .activate = cuda_activate,
  .deactivate = cuda_deactivate,
  .terminate = cuda_terminate,
  .send = cuda_send,
  .flush = cuda_flush,
  .poll = cuda_poll,
  .fetch = cuda_fetch,
  .fill_stats = cuda_fill_stats,
  .device_memory = &gst_rk_cuda_payload_ops,
  .device_payloads = cuda_device_payloads,
  .user_kernel_suffixes = cuda_user_suffixes,
  .load_user_kernel = cuda_load_user_kernel,
};
