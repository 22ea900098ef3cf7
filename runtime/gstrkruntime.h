/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_RUNTIME_H__
#define __GST_RK_RUNTIME_H__

#include <gst/gst.h>
#include "gstrkapi.h"
#include "gstrkbackendkind.h"
#include "gstrkhlc.h"
#include "gstrkkernel.h"
#include "gstrklaunchoptions.h"

G_BEGIN_DECLS

#define GST_TYPE_RK_RUNTIME (gst_rk_runtime_get_type ())
GST_RK_API
G_DECLARE_FINAL_TYPE (GstRkRuntime, gst_rk_runtime, GST, RK_RUNTIME, GstObject)

/**
 * GST_RK_RUNTIME_CONTEXT_TYPE:
 *
 * The GstContext type through which the elements of a pipeline share one
 * runtime. Its structure holds the runtime in the field "runtime".
 */
#define GST_RK_RUNTIME_CONTEXT_TYPE "ringkernel.runtime"

/**
 * GstRkRuntimeMetrics:
 * @active_kernels: kernels in the Active state now
 * @total_launched: kernels launched since the runtime was made
 * @messages_sent: messages the host sent to kernels
 * @messages_received: outputs the host received from kernels
 * @gpu_memory_used: device memory held by kernels, bytes
 * @host_memory_used: host memory held by kernels (queues, CPU state), bytes
 * @device_payloads: frames held in memory on the devices
 *   (GstRkDeviceMemory), in use or kept for reuse
 *
 * The seed's RuntimeMetrics.
 */
typedef struct
{
  guint active_kernels;
  guint64 total_launched;
  guint64 messages_sent;
  guint64 messages_received;
  guint64 gpu_memory_used;
  guint64 host_memory_used;
  guint64 device_payloads;
} GstRkRuntimeMetrics;

GST_RK_API
GstRkRuntime *gst_rk_runtime_new (GstRkBackendKind backend, gint device_id);

GST_RK_API
GstRkBackendKind gst_rk_runtime_get_backend (GstRkRuntime * runtime);
GST_RK_API
gint gst_rk_runtime_get_device_id (GstRkRuntime * runtime);
GST_RK_API
GstRkHlc *gst_rk_runtime_get_clock (GstRkRuntime * runtime);
GST_RK_API
void gst_rk_runtime_set_clock_skew (GstRkRuntime * runtime, gint64 skew_ns);

GST_RK_API
gboolean gst_rk_runtime_is_backend_available (GstRkBackendKind backend,
    gchar ** reason);
GST_RK_API
GstRkBackendKind gst_rk_runtime_select_backend (GstRkBackendKind requested,
    gchar ** note);

GST_RK_API
GstRkKernel *gst_rk_runtime_launch (GstRkRuntime * runtime,
    const gchar * kernel_name, const gchar * label, GstRkBackendKind backend,
    gint device_id, const GstRkLaunchOptions * opts,
    const GstStructure * params, GError ** error);

GST_RK_API
GstRkKernel *gst_rk_runtime_get_kernel (GstRkRuntime * runtime,
    const gchar * label);
GST_RK_API
GList *gst_rk_runtime_list_kernels (GstRkRuntime * runtime);

GST_RK_API
void gst_rk_runtime_get_metrics (GstRkRuntime * runtime,
    GstRkRuntimeMetrics * metrics);
GST_RK_API
GstStructure *gst_rk_runtime_get_metrics_structure (GstRkRuntime * runtime);

GST_RK_API
gboolean gst_rk_runtime_shutdown (GstRkRuntime * runtime, GError ** error);

GST_RK_API
GstContext *gst_rk_context_new (GstRkRuntime * runtime);
GST_RK_API
gboolean gst_rk_context_get_runtime (GstContext * context,
    GstRkRuntime ** runtime);

G_END_DECLS

#endif /* __GST_RK_RUNTIME_H__ */
