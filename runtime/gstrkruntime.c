/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkruntime
 * @title: GstRkRuntime
 * @short_description: one per pipeline: backends, devices, kernels, clock
 *
 * The runtime chooses backends, opens devices, launches kernels and stamps
 * every message with its hybrid logical clock. Elements share one runtime
 * per pipeline through a GstContext of type GST_RK_RUNTIME_CONTEXT_TYPE; an
 * application may make one and hand it to a pipeline with
 * gst_element_set_context(), or use it directly to launch kernels.
 */

#include "gstrkruntime.h"
#include "gstrkerror.h"
#include "gstrkinit.h"
#include "gstrkkernelprivate.h"
#include "gstrkregistryprivate.h"
#include <string.h>
#include "gstrksync.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_runtime_debug);
#define GST_CAT_DEFAULT gst_rk_runtime_debug

typedef struct
{
  GstRkBackendKind kind;
  gint requested_id;
  GstRkDevice *device;
} OpenDevice;

struct _GstRkRuntime
{
  GstObject parent;

  GstRkBackendKind backend;     /* default for kernels launched with auto */
  gint device_id;
  GstRkHlc clock;
  gint64 clock_skew_us;         /* test-only offset of the physical clock */

  /* under the object lock */
  GArray *devices;              /* OpenDevice */
  GList *kernels;               /* GWeakRef to each kernel launched: a
                                 * kernel does not keep its runtime alive,
                                 * nor the runtime its kernels */
  guint32 next_kernel_id;
  guint64 total_launched;
};

G_DEFINE_TYPE_WITH_CODE (GstRkRuntime, gst_rk_runtime, GST_TYPE_OBJECT,
    GST_DEBUG_CATEGORY_INIT (gst_rk_runtime_debug, "ringkernel-runtime", 0,
        "ring kernel runtime"));

static void
gst_rk_runtime_init (GstRkRuntime * self)
{
  self->devices = g_array_new (FALSE, FALSE, sizeof (OpenDevice));
  self->next_kernel_id = 1;     /* 0 is the host */
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
gst_rk_runtime_finalize (GObject * object)
{
  GstRkRuntime *self = GST_RK_RUNTIME (object);
  guint i;

  /* Kernels still alive lose their devices now: stop them first. */
  gst_rk_runtime_shutdown (self, NULL);
  g_list_free_full (self->kernels, weak_ref_free);
  for (i = 0; i < self->devices->len; i++) {
    OpenDevice *od = &g_array_index (self->devices, OpenDevice, i);
    gst_rk_device_unref (od->device);
  }
  g_array_free (self->devices, TRUE);

  G_OBJECT_CLASS (gst_rk_runtime_parent_class)->finalize (object);
}

static void
gst_rk_runtime_class_init (GstRkRuntimeClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_rk_runtime_finalize;
}

/**
 * gst_rk_runtime_new:
 * @backend: the backend for kernels launched with GST_RK_BACKEND_AUTO
 * @device_id: device index, -1 for the backend's choice
 *
 * Returns: (transfer full): a new runtime. Its clock's node id is random,
 * so stamps from two runtimes never collide.
 */
GstRkRuntime *
gst_rk_runtime_new (GstRkBackendKind backend, gint device_id)
{
  GstRkRuntime *self;
  const gchar *skew;

  gst_rk_init ();
  self = g_object_new (GST_TYPE_RK_RUNTIME, NULL);
  gst_object_ref_sink (self);
  self->backend = backend;
  self->device_id = device_id;
  gst_rk_hlc_init (&self->clock, g_random_int (),
      GST_RK_HLC_DEFAULT_MAX_DRIFT_US);
  skew = g_getenv ("RK_HLC_SKEW_NS");
  if (skew && *skew)
    gst_rk_runtime_set_clock_skew (self, g_ascii_strtoll (skew, NULL, 10));
  return self;
}

static guint64
skewed_now (gpointer user_data)
{
  GstRkRuntime *self = user_data;

  return (guint64) (g_get_real_time () + self->clock_skew_us);
}

/**
 * gst_rk_runtime_set_clock_skew:
 * @skew_ns: offset of the physical clock, nanoseconds (microsecond
 *   resolution), 0 for the system's real time
 *
 * For tests: the runtime's HLC reads the real time plus @skew_ns, as if it
 * ran on a host whose clock is off by that much. Call it before launching
 * kernels. A runtime made while the environment variable RK_HLC_SKEW_NS is
 * set starts with that skew.
 */
void
gst_rk_runtime_set_clock_skew (GstRkRuntime * runtime, gint64 skew_ns)
{
  g_return_if_fail (GST_IS_RK_RUNTIME (runtime));

  runtime->clock_skew_us = skew_ns / 1000;
  GST_INFO_OBJECT (runtime, "HLC physical clock skewed by %" G_GINT64_FORMAT
      " us", runtime->clock_skew_us);
  gst_rk_hlc_set_now_func (&runtime->clock,
      runtime->clock_skew_us ? skewed_now : NULL, runtime);
}

/**
 * gst_rk_runtime_get_backend:
 * @runtime: a #GstRkRuntime
 *
 * Returns: the backend of kernels launched with %GST_RK_BACKEND_AUTO
 */
GstRkBackendKind
gst_rk_runtime_get_backend (GstRkRuntime * runtime)
{
  return runtime->backend;
}

/**
 * gst_rk_runtime_get_device_id:
 * @runtime: a #GstRkRuntime
 *
 * Returns: the device index kernels get by default, -1 for the backend's
 * choice
 */
gint
gst_rk_runtime_get_device_id (GstRkRuntime * runtime)
{
  return runtime->device_id;
}

/**
 * gst_rk_runtime_get_clock:
 * @runtime: a #GstRkRuntime
 *
 * Returns: (transfer none): the runtime's HLC, shared by all its kernels.
 */
GstRkHlc *
gst_rk_runtime_get_clock (GstRkRuntime * runtime)
{
  return &runtime->clock;
}

/**
 * gst_rk_runtime_is_backend_available:
 * @backend: a backend
 * @reason: (out) (optional) (transfer full): why not
 *
 * Returns: whether kernels can run on @backend in this process
 */
gboolean
gst_rk_runtime_is_backend_available (GstRkBackendKind backend,
    gchar ** reason)
{
  const GstRkBackendInfo *info;

  gst_rk_init ();
  if (backend == GST_RK_BACKEND_AUTO)
    return TRUE;
  info = gst_rk_backend_probe (backend);
  if (!info->available && reason)
    *reason = g_strdup_printf ("%s unavailable: %s",
        gst_rk_backend_kind_get_display_name (backend), info->reason);
  return info->available;
}

static gboolean
has_hardware_device (const GstRkBackendInfo * info)
{
  guint i;

  for (i = 0; info->available && i < info->devices->len; i++)
    if (!g_array_index (info->devices, GstRkDeviceDesc, i).is_software)
      return TRUE;
  return FALSE;
}

/**
 * gst_rk_runtime_select_backend:
 * @requested: a backend, or GST_RK_BACKEND_AUTO
 * @note: (out) (optional) (transfer full): for auto, why that backend
 *
 * auto picks CUDA if a device is usable, then Vulkan on a hardware GPU, then
 * the CPU. A software Vulkan device (lavapipe) is used only when Vulkan is
 * asked for by name: it is slower than the CPU backend.
 */
GstRkBackendKind
gst_rk_runtime_select_backend (GstRkBackendKind requested, gchar ** note)
{
  const GstRkBackendInfo *cuda, *vulkan;
  GstRkBackendKind chosen;

  gst_rk_init ();
  if (requested != GST_RK_BACKEND_AUTO)
    return requested;

  cuda = gst_rk_backend_probe (GST_RK_BACKEND_CUDA);
  vulkan = gst_rk_backend_probe (GST_RK_BACKEND_VULKAN);
  if (cuda->available)
    chosen = GST_RK_BACKEND_CUDA;
  else if (has_hardware_device (vulkan))
    chosen = GST_RK_BACKEND_VULKAN;
  else
    chosen = GST_RK_BACKEND_CPU;

  if (note) {
    GString *s = g_string_new (NULL);

    g_string_append_printf (s, "backend=auto chose %s",
        gst_rk_backend_kind_get_display_name (chosen));
    if (chosen != GST_RK_BACKEND_CUDA)
      g_string_append_printf (s, "; CUDA: %s", cuda->reason);
    if (chosen == GST_RK_BACKEND_CPU) {
      if (vulkan->available)
        g_string_append (s, "; Vulkan: only a software device, used only "
            "with backend=vulkan");
      else
        g_string_append_printf (s, "; Vulkan: %s", vulkan->reason);
    }
    *note = g_string_free (s, FALSE);
  }
  return chosen;
}

/* Opens (once) the device a kernel asked for. Runtime lock held. */
static GstRkDevice *
get_device (GstRkRuntime * self, const GstRkBackend * backend, gint device_id,
    GError ** error)
{
  OpenDevice od;
  guint i;

  for (i = 0; i < self->devices->len; i++) {
    OpenDevice *o = &g_array_index (self->devices, OpenDevice, i);
    if (o->kind == backend->kind && o->requested_id == device_id)
      return o->device;
  }
  od.kind = backend->kind;
  od.requested_id = device_id;
  od.device = backend->open (device_id, error);
  if (od.device == NULL)
    return NULL;
  g_array_append_val (self->devices, od);
  GST_INFO_OBJECT (self, "opened %s device %d: %s", backend->name,
      od.device->index, od.device->name);
  return od.device;
}

/**
 * gst_rk_runtime_launch:
 * @kernel_name: a registered kernel ("echo", "gray", ...)
 * @label: (nullable): the kernel's name in stats and lookups; by default
 *   "<kernel>-<id>"
 * @backend: a backend, or GST_RK_BACKEND_AUTO for the runtime's default
 * @device_id: device index, -1 for the runtime's
 * @opts: (nullable): launch options (validated here)
 * @params: (nullable): kernel parameters
 *
 * Launches a kernel: Created → Launched, and Active when
 * opts->auto_activate. A backend that is asked for by name and missing is
 * an error naming the reason. A kernel without an implementation on the
 * chosen backend falls back to the CPU, and
 * gst_rk_kernel_get_selection_note() says so.
 *
 * Returns: (transfer full): the kernel, or %NULL with @error set
 */
GstRkKernel *
gst_rk_runtime_launch (GstRkRuntime * runtime, const gchar * kernel_name,
    const gchar * label, GstRkBackendKind backend, gint device_id,
    const GstRkLaunchOptions * opts, const GstStructure * params,
    GError ** error)
{
  const GstRkKernelInfo *info;
  const GstRkBackend *be;
  GstRkLaunchOptions o;
  GstRkDevice *device;
  GstRkKernel *kernel;
  GWeakRef *weak;
  gconstpointer impl;
  gchar *note = NULL, *reason = NULL, *auto_label = NULL;
  GstRkBackendKind kind;
  gint cpu_id;
  guint32 id;

  info = gst_rk_registry_lookup (kernel_name);
  if (info == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_UNKNOWN_KERNEL,
        "no kernel named \"%s\" is registered", kernel_name);
    return NULL;
  }
  if (opts)
    o = *opts;
  else
    gst_rk_launch_options_init (&o);
  if (!gst_rk_launch_options_validate (&o, error))
    return NULL;

  if (backend == GST_RK_BACKEND_AUTO)
    backend = runtime->backend;
  /* The CPU has one device: an index given for it by name must be 0 (its
   * open refuses others); one meant for a GPU (the runtime's, or on a
   * fallback) is not its concern */
  cpu_id = backend == GST_RK_BACKEND_CPU && device_id > 0 ? device_id : -1;
  if (device_id < 0)
    device_id = runtime->device_id;
  kind = gst_rk_runtime_select_backend (backend, backend ==
      GST_RK_BACKEND_AUTO ? &note : NULL);
  if (!gst_rk_runtime_is_backend_available (kind, &reason)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_BACKEND_UNAVAILABLE, "%s",
        reason);
    g_free (reason);
    g_free (note);
    return NULL;
  }

  impl = gst_rk_registry_get_implementation (kernel_name, kind);
  if (impl == NULL && kind != GST_RK_BACKEND_CPU) {
    gchar *fallback = g_strdup_printf ("%s%skernel %s has no %s "
        "implementation: running it on the CPU", note ? note : "",
        note ? "; " : "", kernel_name,
        gst_rk_backend_kind_get_display_name (kind));
    g_free (note);
    note = fallback;
    kind = GST_RK_BACKEND_CPU;
    device_id = -1;
    impl = gst_rk_registry_get_implementation (kernel_name, kind);
  }
  if (impl == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NO_IMPLEMENTATION,
        "kernel %s has no implementation on any available backend",
        kernel_name);
    g_free (note);
    return NULL;
  }
  be = gst_rk_backend_get (kind);

  gst_rk_mutex_lock (GST_OBJECT_GET_LOCK (runtime));
  device = get_device (runtime, be, kind == GST_RK_BACKEND_CPU ? cpu_id :
      device_id, error);
  id = runtime->next_kernel_id++;
  gst_rk_mutex_unlock (GST_OBJECT_GET_LOCK (runtime));
  if (device == NULL) {
    g_free (note);
    return NULL;
  }

  if (label == NULL)
    label = auto_label = g_strdup_printf ("%s-%u", kernel_name, id);
  kernel = gst_rk_kernel_new_internal (&runtime->clock, id, info, label);
  g_free (auto_label);

  if (!gst_rk_kernel_launch_internal (kernel, be, device, impl, &o, params,
          note, error)) {
    g_free (note);
    gst_object_unref (kernel);
    return NULL;
  }
  g_free (note);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, kernel);
  gst_rk_mutex_lock (GST_OBJECT_GET_LOCK (runtime));
  runtime->kernels = g_list_append (runtime->kernels, weak);
  runtime->total_launched++;
  gst_rk_mutex_unlock (GST_OBJECT_GET_LOCK (runtime));

  if (o.auto_activate && !gst_rk_kernel_activate (kernel, error)) {
    gst_rk_kernel_terminate (kernel, NULL);
    gst_object_unref (kernel);
    return NULL;
  }
  return kernel;
}

/**
 * gst_rk_runtime_list_kernels:
 * @runtime: a #GstRkRuntime
 *
 * Returns: (transfer full) (element-type GstRkKernel): live kernels (not
 * terminated), in launch order
 */
GList *
gst_rk_runtime_list_kernels (GstRkRuntime * runtime)
{
  GList *res = NULL, *l, *next;

  gst_rk_mutex_lock (GST_OBJECT_GET_LOCK (runtime));
  for (l = runtime->kernels; l; l = next) {
    GstRkKernel *k = g_weak_ref_get (l->data);

    next = l->next;
    if (k && gst_rk_kernel_get_state (k) != GST_RK_KERNEL_STATE_TERMINATED) {
      res = g_list_prepend (res, k);
      continue;
    }
    /* Gone or terminated: never live again */
    if (k)
      gst_object_unref (k);
    weak_ref_free (l->data);
    runtime->kernels = g_list_delete_link (runtime->kernels, l);
  }
  gst_rk_mutex_unlock (GST_OBJECT_GET_LOCK (runtime));
  return g_list_reverse (res);
}

/**
 * gst_rk_runtime_get_kernel:
 * @runtime: a #GstRkRuntime
 * @label: a kernel's label (an element's kernel has the element's name)
 *
 * Returns: (transfer full) (nullable): the live kernel labelled @label
 */
GstRkKernel *
gst_rk_runtime_get_kernel (GstRkRuntime * runtime, const gchar * label)
{
  GList *kernels = gst_rk_runtime_list_kernels (runtime), *l;
  GstRkKernel *found = NULL;

  for (l = kernels; l && !found; l = l->next)
    if (g_strcmp0 (GST_OBJECT_NAME (l->data), label) == 0)
      found = gst_object_ref (l->data);
  g_list_free_full (kernels, gst_object_unref);
  return found;
}

/**
 * gst_rk_runtime_get_metrics:
 * @runtime: a #GstRkRuntime
 * @metrics: (out caller-allocates): the metrics
 *
 * The seed's RuntimeMetrics, now.
 */
void
gst_rk_runtime_get_metrics (GstRkRuntime * runtime,
    GstRkRuntimeMetrics * metrics)
{
  GList *kernels, *l;
  guint i;

  memset (metrics, 0, sizeof (*metrics));
  kernels = gst_rk_runtime_list_kernels (runtime);
  for (l = kernels; l; l = l->next) {
    GstRkKernel *k = l->data;

    if (gst_rk_kernel_get_state (k) == GST_RK_KERNEL_STATE_ACTIVE)
      metrics->active_kernels++;
    metrics->messages_sent += __atomic_load_n (&k->received, __ATOMIC_RELAXED);
    metrics->messages_received += __atomic_load_n (&k->emitted, __ATOMIC_RELAXED);
  }
  g_list_free_full (kernels, gst_object_unref);

  gst_rk_mutex_lock (GST_OBJECT_GET_LOCK (runtime));
  metrics->total_launched = runtime->total_launched;
  for (i = 0; i < runtime->devices->len; i++) {
    GstRkDevice *d = g_array_index (runtime->devices, OpenDevice, i).device;
    metrics->gpu_memory_used += __atomic_load_n (&d->memory_used, __ATOMIC_RELAXED);
    metrics->host_memory_used +=
        __atomic_load_n (&d->host_memory_used, __ATOMIC_RELAXED);
    metrics->device_payloads += (guint64) g_atomic_int_get (&d->payloads);
  }
  gst_rk_mutex_unlock (GST_OBJECT_GET_LOCK (runtime));
}

/**
 * gst_rk_runtime_get_metrics_structure:
 * @runtime: a #GstRkRuntime
 *
 * Returns: (transfer full): the metrics as a "ringkernel-runtime" structure
 */
GstStructure *
gst_rk_runtime_get_metrics_structure (GstRkRuntime * runtime)
{
  GstRkRuntimeMetrics m;

  gst_rk_runtime_get_metrics (runtime, &m);
  return gst_structure_new ("ringkernel-runtime",
      "active-kernels", G_TYPE_UINT, m.active_kernels,
      "total-launched", G_TYPE_UINT64, m.total_launched,
      "messages-sent", G_TYPE_UINT64, m.messages_sent,
      "messages-received", G_TYPE_UINT64, m.messages_received,
      "gpu-memory-used", G_TYPE_UINT64, m.gpu_memory_used,
      "host-memory-used", G_TYPE_UINT64, m.host_memory_used,
      "device-payloads", G_TYPE_UINT64, m.device_payloads, NULL);
}

/**
 * gst_rk_runtime_shutdown:
 * @runtime: a #GstRkRuntime
 * @error: return location for a #GError
 *
 * Terminates every live kernel.
 *
 * Returns: %TRUE when all stopped cleanly; otherwise the first error,
 * after trying all
 */
gboolean
gst_rk_runtime_shutdown (GstRkRuntime * runtime, GError ** error)
{
  GList *kernels, *l;
  gboolean ok = TRUE;

  kernels = gst_rk_runtime_list_kernels (runtime);
  for (l = kernels; l; l = l->next) {
    GstRkKernel *k = l->data;

    if (gst_rk_kernel_state_can_terminate (gst_rk_kernel_get_state (k)) &&
        !gst_rk_kernel_terminate (k, ok ? error : NULL))
      ok = FALSE;
  }
  g_list_free_full (kernels, gst_object_unref);
  return ok;
}

/**
 * gst_rk_context_new:
 * @runtime: the runtime to share
 *
 * Returns: (transfer full): a persistent GstContext carrying @runtime, for
 * gst_element_set_context()
 */
GstContext *
gst_rk_context_new (GstRkRuntime * runtime)
{
  GstContext *context = gst_context_new (GST_RK_RUNTIME_CONTEXT_TYPE, TRUE);

  gst_structure_set (gst_context_writable_structure (context), "runtime",
      GST_TYPE_RK_RUNTIME, runtime, NULL);
  return context;
}

/**
 * gst_rk_context_get_runtime:
 * @context: a #GstContext
 * @runtime: (out) (transfer full) (optional) (nullable): the runtime
 *
 * Returns: %TRUE if @context is a ring-kernel runtime context
 */
gboolean
gst_rk_context_get_runtime (GstContext * context, GstRkRuntime ** runtime)
{
  const GstStructure *s;

  if (g_strcmp0 (gst_context_get_context_type (context),
          GST_RK_RUNTIME_CONTEXT_TYPE) != 0)
    return FALSE;
  s = gst_context_get_structure (context);
  return gst_structure_get (s, "runtime", GST_TYPE_RK_RUNTIME, runtime, NULL);
}
