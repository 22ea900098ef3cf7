/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_ELEMENT_H__
#define __GST_RK_ELEMENT_H__

#include <gst/gst.h>
#include "ringkernel.h"

G_BEGIN_DECLS

#define GST_TYPE_RK_ELEMENT (gst_rk_element_get_type ())
#define GST_RK_ELEMENT(obj) \
  (G_TYPE_CHECK_INSTANCE_CAST ((obj), GST_TYPE_RK_ELEMENT, GstRkElement))
#define GST_RK_ELEMENT_CLASS(klass) \
  (G_TYPE_CHECK_CLASS_CAST ((klass), GST_TYPE_RK_ELEMENT, GstRkElementClass))
#define GST_RK_ELEMENT_GET_CLASS(obj) \
  (G_TYPE_INSTANCE_GET_CLASS ((obj), GST_TYPE_RK_ELEMENT, GstRkElementClass))

typedef struct _GstRkElement GstRkElement;
typedef struct _GstRkElementClass GstRkElementClass;

/**
 * GstRkElement:
 *
 * The base of every rk<kernel> element: a sink pad feeding the kernel's
 * input queue, a src pad task draining its output queue.
 */
struct _GstRkElement
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* Properties, under the object lock */
  GstRkBackendKind backend;
  GstRkKernelMode mode;
  gint device_id;
  GstRkLaunchOptions opts;
  guint64 stats_interval;
  gboolean reset_on_flush;
  GstStructure *params;

  /* The kernel this element runs: its class's, or (ringkernel) the one
   * its prepare function chose at NULL → READY */
  const GstRkKernelInfo *info;

  /* Set at NULL → READY, cleared at READY → NULL (object lock to read
   * from other threads) */
  GstRkRuntime *runtime;
  GstRkKernel *kernel;

  /* Raw envelopes on both pads (application/x-ringkernel caps) */
  gboolean raw;

  /* Starting and stopping the src task, so that a flush-stop does not
   * start it while the src pad is being deactivated */
  GMutex task_lock;

  /* Stream state (atomics) */
  GstFlowReturn srcresult;
  gint eos;

  /* The kernel's error is posted once, under error_lock */
  GMutex error_lock;
  gboolean error_posted;

  /* Outputs the kernel counted emitted that downstream did not take
   * (atomics): the stats move them to flushed or dropped */
  guint64 undelivered_flushed;
  guint64 undelivered_dropped;

  /* Src task only */
  gint64 next_stats;

  /* Streaming thread only: a peer's clock was found too far ahead */
  gboolean drift_warned;

  /* The segment of the outputs, for kernel event messages (src task) */
  GstSegment out_segment;

  /* The segment of the inputs, for controlled parameters (streaming
   * thread) */
  GstSegment in_segment;
};

/**
 * GstRkElementClass:
 * @info: the kernel this element type runs
 * @param_specs: one property per kernel parameter, in the order of
 *   info->params
 * @reset: class handler of the `reset` action signal (resettable kernels)
 */
struct _GstRkElementClass
{
  GstElementClass parent_class;

  const GstRkKernelInfo *info;
  GParamSpec **param_specs;

  gboolean (*prepare) (GstRkElement * self, GError ** error);

  void (*reset) (GstRkElement * self);
};

GType gst_rk_element_get_type (void);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstRkElement, gst_object_unref)

gboolean gst_rk_element_register (GstPlugin * plugin,
    const GstRkKernelInfo * info, guint rank);
void gst_rk_element_class_install_reset (GstRkElementClass * klass);

G_END_DECLS

#endif /* __GST_RK_ELEMENT_H__ */
