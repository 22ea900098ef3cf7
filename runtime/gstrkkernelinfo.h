/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_KERNEL_INFO_H__
#define __GST_RK_KERNEL_INFO_H__

#include <gst/gst.h>
#include "gstrkapi.h"
#include "gstrkconfig.h"
#include "gstrkenvelope.h"

G_BEGIN_DECLS

/**
 * GstRkKernelKind:
 * @GST_RK_KERNEL_KIND_MESSAGE: an actor on a stream of small messages;
 *   mode=auto runs it persistent
 * @GST_RK_KERNEL_KIND_FRAME: data-parallel work on whole frames or sample
 *   blocks; mode=auto runs it event-driven (on GPUs a frame spans many
 *   workgroups, which a spinning persistent actor must not)
 */
typedef enum
{
  GST_RK_KERNEL_KIND_MESSAGE,
  GST_RK_KERNEL_KIND_FRAME,
} GstRkKernelKind;

/**
 * GstRkParamType:
 * @GST_RK_PARAM_DOUBLE: a gdouble property
 * @GST_RK_PARAM_INT: a gint property
 * @GST_RK_PARAM_BOOLEAN: a gboolean property
 * @GST_RK_PARAM_DOUBLE_ARRAY: a GstValueArray of gdouble
 * @GST_RK_PARAM_UINT64: a guint64 property (e.g. a time in ns)
 */
typedef enum
{
  GST_RK_PARAM_DOUBLE,
  GST_RK_PARAM_INT,
  GST_RK_PARAM_BOOLEAN,
  GST_RK_PARAM_DOUBLE_ARRAY,
  GST_RK_PARAM_UINT64,
} GstRkParamType;

/* The parameter may change while PLAYING (applies from the next message). */
#define GST_RK_PARAM_FLAG_MUTABLE_PLAYING (1u << 0)

/**
 * GstRkKernelFlags:
 * @GST_RK_KERNEL_FLAG_NONE: no flags
 * @GST_RK_KERNEL_FLAG_RESETTABLE: the kernel keeps state across buffers
 *   (a background model, filter history) that an application may want to
 *   start afresh: its element gets a `reset` action signal and a
 *   `reset-on-flush` property, both sending RK_CONTROL_RESET_STATE in order
 *   with the data
 * @GST_RK_KERNEL_FLAG_NO_ELEMENT: registered for use through the C API or
 *   the `ringkernel` element only (user kernels): no rk<name> element
 * @GST_RK_KERNEL_FLAG_EVENT_DRIVEN: its implementation has no persistent
 *   form (Vulkan user kernels): mode=auto runs it event-driven
 * @GST_RK_KERNEL_FLAG_RELAY: the kernel passes messages on with their type
 *   and correlation id (rkrelay, the local end of a kernel on another
 *   host): its element sends raw envelopes from the start and takes REPLYs
 *   from upstream, the answers to the calls it forwarded
 */
typedef enum
{
  GST_RK_KERNEL_FLAG_NONE = 0,
  GST_RK_KERNEL_FLAG_RESETTABLE = (1 << 0),
  GST_RK_KERNEL_FLAG_NO_ELEMENT = (1 << 1),
  GST_RK_KERNEL_FLAG_EVENT_DRIVEN = (1 << 2),
  GST_RK_KERNEL_FLAG_RELAY = (1 << 3),
} GstRkKernelFlags;

/**
 * GstRkParamInfo:
 * @name: property name
 * @nick: short name
 * @blurb: what it does, with its unit
 * @type: value type
 * @min: minimum (numbers) or minimum length (arrays)
 * @max: maximum (numbers) or maximum length (arrays)
 * @default_value: default (numbers and booleans)
 * @slot: index into GstRkParams.param[] that receives the value as a float,
 *   or -1 when the kernel's configure function handles it
 * @flags: GST_RK_PARAM_FLAG_*
 *
 * A kernel parameter. The plugin turns each one into an element property.
 */
typedef struct
{
  const gchar *name;
  const gchar *nick;
  const gchar *blurb;
  GstRkParamType type;
  gdouble min;
  gdouble max;
  gdouble default_value;
  gint slot;
  guint flags;
} GstRkParamInfo;

typedef struct _GstRkKernelInfo GstRkKernelInfo;

/**
 * GstRkKernelInfo:
 * @name: kernel name; the element is "rk" + name
 * @long_name: element long name
 * @klass: element klass, e.g. "Filter/Converter/Video"
 * @description: one line for gst-inspect-1.0
 * @sink_caps: sink pad template caps
 * @src_caps: src pad template caps
 * @kind: message actor or frame kernel
 * @state_size: bytes of device state when the kernel's configure function
 *   does not set config->state_size itself
 * @params: (array length=n_params): parameters
 * @n_params: number of parameters
 * @flags: GstRkKernelFlags
 * @transform_caps: (nullable): caps on the pad of @direction to caps on the
 *   other pad; %NULL means identity
 * @configure: (nullable): fills config->params, src_caps and state_size from
 *   config->sink_caps and the parameter values in @params; not called for
 *   streams without caps; %NULL means pass-through bytes
 * @notify_to_structure: (nullable): turns a NOTIFY message the kernel emits
 *   into the structure of an element message on the bus. @env is the
 *   output's envelope (its hlc_* fields hold the receive stamp). The
 *   element then adds the stamp as `hlc-physical` (guint64 µs),
 *   `hlc-logical` and `hlc-node` (guint); a structure with a guint64
 *   `timestamp` field also gets `stream-time` and `running-time` from the
 *   segment in force, and an `endtime` field present in it is set to
 *   stream-time + `duration` (the shape of the stock spectrum messages).
 *
 * A kernel: one name across backends, one descriptor, and one implementation
 * per backend (registered inside the library).
 */
struct _GstRkKernelInfo
{
  const gchar *name;
  const gchar *long_name;
  const gchar *klass;
  const gchar *description;
  const gchar *sink_caps;
  const gchar *src_caps;
  GstRkKernelKind kind;
  gsize state_size;
  const GstRkParamInfo *params;
  guint n_params;
  GstRkKernelFlags flags;

  GstCaps *(*transform_caps) (const GstRkKernelInfo * info,
      GstPadDirection direction, GstCaps * caps);
  gboolean (*configure) (const GstRkKernelInfo * info, GstRkConfig * config,
      const GstStructure * params, GError ** error);
  GstStructure *(*notify_to_structure) (const GstRkKernelInfo * info,
      const GstRkEnvelope * env, const guint8 * data, gsize size);

  /*< private >*/
  gpointer _reserved[7];
};

GST_RK_API
GstStructure *gst_rk_kernel_info_default_params (const GstRkKernelInfo * info);
GST_RK_API
gboolean gst_rk_kernel_info_check_caps (const GstRkKernelInfo * info,
    GstCaps * sink_caps, const GstStructure * params, GError ** error);
GST_RK_API
GstCaps *gst_rk_kernel_info_transform_caps (const GstRkKernelInfo * info,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter);

G_END_DECLS

#endif /* __GST_RK_KERNEL_INFO_H__ */
