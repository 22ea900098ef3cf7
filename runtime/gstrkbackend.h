/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_BACKEND_H__
#define __GST_RK_BACKEND_H__

#include <gst/gst.h>
#include "gstrkbackendkind.h"
#include "gstrkkernel.h"
#include "gstrkring.h"
#include "gstrkwakeup.h"
#include "gstrkconfigprivate.h"
#include "gstrkerrorprivate.h"
#include "gstrkregistryprivate.h"

G_BEGIN_DECLS

/*
 * The backend interface: what the runtime knows of a backend. Each backend
 * defines one GstRkBackend table; backends/meson.build lists the built ones
 * and the runtime finds them through that list only. A backend never
 * includes plugin headers, and the runtime never includes backend headers.
 */

typedef struct _GstRkBackend GstRkBackend;

/**
 * GstRkDevice:
 * @backend: the backend that opened it
 * @index: device index within the backend
 * @name: human-readable device name
 * @is_software: a CPU implementation of a GPU API (lavapipe, ...)
 * @memory_used: device memory allocated for kernels, in bytes
 * @host_memory_used: host memory allocated for kernels, in bytes
 *
 * Common head of every backend's device struct. Reference counted: the
 * runtime that opened it holds one reference, and each GstRkDeviceMemory
 * one, since a frame left on the device may outlive its pipeline; the
 * backend's close runs with the last.
 */
typedef struct
{
  const GstRkBackend *backend;
  gint index;
  gchar *name;
  gboolean is_software;
  gint64 memory_used;
  gint64 host_memory_used;

  gint ref_count;
  /* payload memory (see gstrkdevicememory.c): allocations held, live or
   * kept for reuse (atomic), and those kept */
  gint payloads;
  GMutex payload_lock;
  GQueue payload_cache;
} GstRkDevice;

/**
 * GstRkDeviceMemoryOps:
 * @alloc: makes @size bytes of payload memory on the device, usable as a
 *   kernel's input or output; sets @host to a host view of it where the
 *   memory is host-visible and coherent (else %NULL); returns a handle
 * @free: frees what @alloc made
 * @read: copies the memory to host memory (device → host)
 * @write: copies host memory into it (host → device)
 *
 * What a backend does with payloads that stay on its devices
 * (GstRkDeviceMemory, "memory:RingKernelDevice").
 */
typedef struct
{
  gpointer (*alloc) (GstRkDevice * device, gsize size, guint8 ** host,
      GError ** error);
  void (*free) (GstRkDevice * device, gpointer handle);
  gboolean (*read) (GstRkDevice * device, gpointer handle, guint8 * dst,
      gsize size, GError ** error);
  gboolean (*write) (GstRkDevice * device, gpointer handle,
      const guint8 * src, gsize size, GError ** error);
} GstRkDeviceMemoryOps;

/**
 * GstRkDeviceDesc:
 *
 * One device found by a probe.
 */
typedef struct
{
  gint index;
  gchar *name;
  gboolean is_software;
} GstRkDeviceDesc;

/**
 * GstRkBackendInfo:
 * @kind: the backend
 * @available: whether at least one device can be used
 * @reason: why not, when not ("libcuda.so.1 not found", ...)
 * @devices: (element-type GstRkDeviceDesc): devices found
 */
typedef struct
{
  GstRkBackendKind kind;
  gboolean available;
  gchar *reason;
  GArray *devices;
} GstRkBackendInfo;

/**
 * GstRkBackend:
 * @kind: which backend
 * @name: short name
 * @register_kernels: adds this backend's kernel implementations to the
 *   registry; called once
 * @probe: fills @info; must not crash when drivers are missing
 * @open: opens device @device_id (-1 = the backend's best device)
 * @close: frees a device opened by @open
 * @launch: allocates the kernel's queues and state on the device, attaches
 *   the rings (gst_rk_kernel_attach_rings()) and starts it idle
 * @activate: start processing
 * @deactivate: stop processing after the current message; keep state
 * @terminate: stop within a bounded time and free everything
 * @send: new messages were published to the input ring
 * @flush: the flush target moved: discard inputs below it
 * @drive: (nullable): for kernels launched with @receiver_drives: run the
 *   device side on the calling thread (the receiver's) until nothing is left
 *   to do; %TRUE if it consumed an input. Never called by two threads at
 *   once by the runtime, but commands may come meanwhile.
 * @poll: (nullable): check device health; %FALSE with @error on a fault
 * @fetch: (nullable): make a host buffer of an output whose payload lives
 *   on the device (RK_FLAG_ARENA)
 * @fill_stats: (nullable): add backend-specific fields to a stats structure
 * @user_kernel_suffixes: (nullable): file name endings of the user kernels
 *   this backend loads (".so", ".spv", ".cu"), NULL-terminated
 * @load_user_kernel: (nullable): loads a user kernel file: checks it, fills
 *   what the file says into @info (kind, state size) and returns the
 *   implementation to register, or %NULL with @error (the compiler log or
 *   the reason)
 * @device_memory: (nullable): payload memory on the device, for backends
 *   whose kernels can take and give frames without the host
 * @device_payloads: (nullable): whether this kernel takes inputs and
 *   makes outputs in @device_memory (frame kernels, typically)
 */
struct _GstRkBackend
{
  GstRkBackendKind kind;
  const gchar *name;

  void (*register_kernels) (void);
  void (*probe) (GstRkBackendInfo * info);
  GstRkDevice *(*open) (gint device_id, GError ** error);
  void (*close) (GstRkDevice * device);

  gboolean (*launch) (GstRkDevice * device, GstRkKernel * kernel,
      GError ** error);
  gboolean (*activate) (GstRkKernel * kernel, GError ** error);
  gboolean (*deactivate) (GstRkKernel * kernel, GError ** error);
  gboolean (*terminate) (GstRkKernel * kernel, GError ** error);
  void (*send) (GstRkKernel * kernel);
  void (*flush) (GstRkKernel * kernel);
  gboolean (*drive) (GstRkKernel * kernel);
  gboolean (*poll) (GstRkKernel * kernel, GError ** error);
  GstBuffer *(*fetch) (GstRkKernel * kernel, const GstRkEnvelope * env);
  void (*fill_stats) (GstRkKernel * kernel, GstStructure * stats);

  const gchar *const *user_kernel_suffixes;
  gconstpointer (*load_user_kernel) (const gchar * path, const gchar * entry,
      GstRkKernelInfo * info, GError ** error);

  const GstRkDeviceMemoryOps *device_memory;
  gboolean (*device_payloads) (GstRkKernel * kernel);
};

const GstRkBackend *gst_rk_backend_get (GstRkBackendKind kind);
const GstRkBackendInfo *gst_rk_backend_probe (GstRkBackendKind kind);

void gst_rk_device_init (GstRkDevice * device, const GstRkBackend * backend,
    gint index, const gchar * name, gboolean is_software);
void gst_rk_device_clear (GstRkDevice * device);
GstRkDevice *gst_rk_device_ref (GstRkDevice * device);
void gst_rk_device_unref (GstRkDevice * device);
void gst_rk_device_add_memory (GstRkDevice * device, gint64 device_bytes,
    gint64 host_bytes);

void gst_rk_backend_info_add_device (GstRkBackendInfo * info, gint index,
    const gchar * name, gboolean is_software);

/* ---- What backends may do with a kernel ---- */

/**
 * GstRkSidecar:
 * @payload: (nullable): host buffer of a message with RK_FLAG_HOST
 * @config: (nullable): configuration the message was sent under
 *   (input side only)
 *
 * Host-only data kept beside each ring slot, at the same index.
 */
typedef struct
{
  GstBuffer *payload;
  GstRkConfig *config;
  /* One cache line each: the sender fills a slot's sidecar while the
   * device side empties the one before it */
  guint8 pad[64 - 2 * sizeof (gpointer)];
} GstRkSidecar;

gpointer gst_rk_kernel_get_backend_data (GstRkKernel * kernel);
void gst_rk_kernel_set_backend_data (GstRkKernel * kernel, gpointer data);
gconstpointer gst_rk_kernel_get_implementation (GstRkKernel * kernel);
GstRkDevice *gst_rk_kernel_get_device (GstRkKernel * kernel);
GstRkConfig *gst_rk_kernel_get_config (GstRkKernel * kernel);

gboolean gst_rk_kernel_attach_rings (GstRkKernel * kernel, gpointer in_mem,
    gsize in_size, gpointer out_mem, gsize out_size, GError ** error);

GstRkSidecar *gst_rk_kernel_get_input_sidecar (GstRkKernel * kernel,
    guint64 position);
GstRkSidecar *gst_rk_kernel_get_output_sidecar (GstRkKernel * kernel,
    guint64 position);
GstClockTime gst_rk_kernel_get_input_pts (GstRkKernel * kernel,
    guint64 position);

guint64 gst_rk_kernel_get_flush_target (GstRkKernel * kernel);
void gst_rk_kernel_notify_host (GstRkKernel * kernel);
gboolean gst_rk_kernel_is_host_waiting (GstRkKernel * kernel);
GstRkWakeup *gst_rk_kernel_get_device_wakeup (GstRkKernel * kernel);
void gst_rk_kernel_set_poll_interval (GstRkKernel * kernel, guint interval_us);
void gst_rk_kernel_set_receiver_spin (GstRkKernel * kernel, guint spin_us);
void gst_rk_kernel_post_error (GstRkKernel * kernel, GError * error);
void gst_rk_kernel_post_error_at (GstRkKernel * kernel, guint64 message_id,
    GError * error);

/* Device-side counters: inputs processed, inputs discarded by a flush */
void gst_rk_kernel_count_processed (GstRkKernel * kernel, guint64 n);
void gst_rk_kernel_count_flushed (GstRkKernel * kernel, guint64 n);
void gst_rk_kernel_count_upload (GstRkKernel * kernel, gsize bytes);
void gst_rk_kernel_count_download (GstRkKernel * kernel, gsize bytes);

GstBuffer *gst_rk_kernel_alloc_output (GstRkKernel * kernel, gsize size,
    GError ** error);
gboolean gst_rk_kernel_get_device_outputs (GstRkKernel * kernel);

G_END_DECLS

#endif /* __GST_RK_BACKEND_H__ */
