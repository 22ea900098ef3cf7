/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:gstrkelement
 * @title: GstRkElement
 * @short_description: base class of the rk* elements
 *
 * Each registered kernel becomes an element "rk<name>" of its own GType,
 * derived from this class, with the kernel's caps as pad templates and its
 * parameters as properties. Adding a kernel adds an element without
 * touching this file.
 *
 * Data path (DESIGN §5): the sink pad's chain function wraps each buffer as
 * a message and pushes it into the kernel's input queue, blocking while the
 * queue is full. Serialized events go into the kernel's item stream as
 * markers. A task on the src pad takes the stream's items in order
 * (outputs, events, the kernel's error) and pushes them downstream, so the
 * element is a thread boundary like `queue`: EOS is forwarded only after
 * the kernel has drained, and a kernel's error is posted before anything
 * that followed the failed message. A kernel that a host thread runs (every
 * CPU kernel) runs on the src task itself: one thread per element.
 *
 * Lifecycle (DESIGN §4): NULL→READY launches the kernel (finding or making
 * the pipeline's runtime through GstContext), READY→PAUSED activates it,
 * PAUSED→READY discards what is queued and deactivates it (device state is
 * kept), READY→NULL terminates it.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <gst/rtp/gstrtpmeta.h>

#include "gstrkelement.h"
#include "gstrkcontext.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_element_debug);
#define GST_CAT_DEFAULT gst_rk_element_debug

#define DEFAULT_BACKEND GST_RK_BACKEND_AUTO
#define DEFAULT_MODE GST_RK_KERNEL_MODE_AUTO
#define DEFAULT_DEVICE_ID -1
#define DEFAULT_GRID_SIZE 0
#define DEFAULT_BLOCK_SIZE GST_RK_DEFAULT_BLOCK_SIZE
#define DEFAULT_QUEUE_CAPACITY GST_RK_DEFAULT_QUEUE_CAPACITY
#define DEFAULT_FRAME_QUEUE_CAPACITY 8
#define DEFAULT_SHARED_MEMORY_SIZE 0
#define DEFAULT_STATS_INTERVAL 0
#define DEFAULT_RESET_ON_FLUSH FALSE

/* How long the src task sleeps at most without news: it also checks the
 * device's health and posts stats on wake-up. */
#define IDLE_WAKE_US (100 * 1000)

enum
{
  PROP_0,
  PROP_BACKEND,
  PROP_MODE,
  PROP_DEVICE_ID,
  PROP_GRID_SIZE,
  PROP_BLOCK_SIZE,
  PROP_INPUT_QUEUE_CAPACITY,
  PROP_OUTPUT_QUEUE_CAPACITY,
  PROP_SHARED_MEMORY_SIZE,
  PROP_STATS,
  PROP_STATS_INTERVAL,
  PROP_RUNTIME_STATS,
  PROP_RESET_ON_FLUSH,          /* resettable kernels only */
  PROP_KERNEL_BASE
};

static GstElementClass *parent_class = NULL;

/* ---- Pending events ---- */

/* Sticky events other than SEGMENT and EOS that a flush drops are stored
 * on the src pad instead, so the next buffer still follows its
 * stream-start and caps (as queue does). */
static void
keep_sticky (gpointer data, gpointer user_data)
{
  GstRkElement *self = user_data;
  GstEvent *event = data;
  GstEventType type = GST_EVENT_TYPE (event);

  if (GST_EVENT_IS_STICKY (event) && type != GST_EVENT_SEGMENT &&
      type != GST_EVENT_EOS)
    gst_pad_store_sticky_event (self->srcpad, event);
  gst_event_unref (event);
}

static void
clear_events (GstRkElement * self)
{
  gst_rk_kernel_drop_markers (self->kernel, keep_sticky, self);
}

/* The event goes downstream right after the outputs of the buffers
 * received before it. */
static void
queue_event (GstRkElement * self, GstEvent * event)
{
  gst_rk_kernel_add_marker (self->kernel, event,
      (GDestroyNotify) gst_event_unref);
}

/* ---- Src pad task ---- */

/* A failed kernel is seen by both the chain function and the src task:
 * post its error once. The one that comes second waits until the post is
 * done: the chain function then returns GST_FLOW_ERROR, on which upstream
 * posts its own "Internal data stream error", and ours must come first. */
static void
post_kernel_error (GstRkElement * self, GError * err)
{
  g_mutex_lock (&self->error_lock);
  if (!self->error_posted) {
    self->error_posted = TRUE;
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
        ("Ring kernel %s failed on the %s backend.", GST_ELEMENT_NAME (self),
            gst_rk_backend_kind_get_display_name (gst_rk_kernel_get_backend
                (self->kernel))), ("%s", err->message));
  }
  g_mutex_unlock (&self->error_lock);
}

static void
set_srcresult (GstRkElement * self, GstFlowReturn ret)
{
  g_atomic_int_set (&self->srcresult, ret);
}

/* Stops the task after a downstream failure and unblocks the chain
 * function, which then returns the same flow. */
static void
pause_task (GstRkElement * self, GstFlowReturn ret)
{
  GST_DEBUG_OBJECT (self, "pausing task: %s", gst_flow_get_name (ret));
  set_srcresult (self, ret);
  gst_rk_kernel_set_flushing (self->kernel, TRUE);
  gst_pad_pause_task (self->srcpad);
}

/* The kernel's stats, with the outputs downstream refused counted where
 * they went, so that received = emitted + flushed + dropped holds. */
static GstStructure *
kernel_stats (GstRkElement * self, GstRkKernel * kernel)
{
  GstStructure *s = gst_rk_kernel_get_stats (kernel);
  guint64 f = __atomic_load_n (&self->undelivered_flushed, __ATOMIC_RELAXED);
  guint64 d = __atomic_load_n (&self->undelivered_dropped, __ATOMIC_RELAXED);
  guint64 emitted, flushed, dropped;

  if ((f || d) && gst_structure_get_uint64 (s, "emitted", &emitted) &&
      gst_structure_get_uint64 (s, "flushed", &flushed) &&
      gst_structure_get_uint64 (s, "dropped", &dropped))
    gst_structure_set (s, "emitted", G_TYPE_UINT64, emitted - f - d,
        "flushed", G_TYPE_UINT64, flushed + f, "dropped", G_TYPE_UINT64,
        dropped + d, NULL);
  return s;
}

static void
maybe_post_stats (GstRkElement * self)
{
  guint64 interval;
  gint64 now;

  GST_OBJECT_LOCK (self);
  interval = self->stats_interval;
  GST_OBJECT_UNLOCK (self);
  if (interval == 0)
    return;

  now = g_get_monotonic_time ();
  if (self->next_stats == 0)
    self->next_stats = now + (gint64) (interval / 1000);
  if (now < self->next_stats)
    return;
  self->next_stats = now + (gint64) (interval / 1000);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self),
          kernel_stats (self, self->kernel)));
}

static void
push_event (GstRkElement * self, GstEvent * event)
{
  gboolean is_eos = GST_EVENT_TYPE (event) == GST_EVENT_EOS;

  GST_LOG_OBJECT (self, "pushing %" GST_PTR_FORMAT, event);
  /* Kernel event messages give times in the segment of the outputs they
   * come with; this thread pushes both. */
  if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT)
    gst_event_copy_segment (event, &self->out_segment);
  gst_pad_push_event (self->srcpad, event);
  if (is_eos)
    pause_task (self, GST_FLOW_EOS);
}

/* What every kernel event message carries besides the kernel's own
 * fields: the HLC stamp, and stream and running time for a timestamp. */
static void
complete_event_structure (GstRkElement * self, GstStructure * s,
    const GstRkEnvelope * env)
{
  guint64 ts, duration = 0;

  gst_structure_set (s, "hlc-physical", G_TYPE_UINT64, env->hlc_physical,
      "hlc-logical", G_TYPE_UINT, env->hlc_logical,
      "hlc-node", G_TYPE_UINT, env->hlc_node, NULL);

  if (!gst_structure_get_uint64 (s, "timestamp", &ts))
    return;
  if (self->out_segment.format == GST_FORMAT_TIME && ts != GST_CLOCK_TIME_NONE) {
    guint64 stream = gst_segment_to_stream_time (&self->out_segment,
        GST_FORMAT_TIME, ts);
    guint64 running = gst_segment_to_running_time (&self->out_segment,
        GST_FORMAT_TIME, ts);

    gst_structure_set (s, "stream-time", G_TYPE_UINT64, stream,
        "running-time", G_TYPE_UINT64, running, NULL);
    if (gst_structure_has_field (s, "endtime")) {
      gst_structure_get_uint64 (s, "duration", &duration);
      gst_structure_set (s, "endtime", GST_TYPE_CLOCK_TIME,
          (GstClockTime) (stream + duration), NULL);
    }
  } else {
    gst_structure_set (s, "stream-time", G_TYPE_UINT64, ts,
        "running-time", G_TYPE_UINT64, ts, NULL);
  }
}

/* In raw mode (application/x-ringkernel) outputs go downstream as what
 * they are: an envelope followed by the payload. A call's request leaves
 * with the wire form of its correlation id (see chain_raw). */
static GstBuffer *
encode_output (GstRkMessage * msg)
{
  gsize size = msg->payload ? gst_buffer_get_size (msg->payload) : 0;
  GstBuffer *out = gst_buffer_new_allocate (NULL, RK_ENVELOPE_SIZE + size,
      NULL);
  GstRkEnvelope env = msg->env;
  GstMapInfo map;

  env.flags = (env.flags & ~RK_FLAG_PAYLOAD_MASK) | (size ? RK_FLAG_INLINE :
      0);
  env.payload_size = (guint32) size;
  env.payload_ref = 0;
  if (env.type == RK_MSG_REQUEST &&
      (env.correlation_id & GST_RK_CALL_CORRELATION_BIT))
    env.correlation_id = (env.correlation_id & ~GST_RK_CALL_CORRELATION_BIT) |
        GST_RK_REMOTE_CALL_CORRELATION_BIT;
  gst_buffer_map (out, &map, GST_MAP_WRITE);
  gst_rk_envelope_encode (&env, map.data);
  if (size)
    gst_buffer_extract (msg->payload, 0, map.data + RK_ENVELOPE_SIZE, size);
  gst_buffer_unmap (out, &map);
  if (msg->payload)
    gst_buffer_copy_into (out, msg->payload, GST_BUFFER_COPY_FLAGS |
        GST_BUFFER_COPY_TIMESTAMPS | GST_BUFFER_COPY_META, 0, -1);
  gst_rk_message_clear (msg);
  return out;
}

/* A relay's first output may come from a call before anything came from
 * upstream (its replies): start the stream downstream itself. Upstream's
 * own stream-start, caps and segment follow when they come. */
static void
start_raw_stream (GstRkElement * self)
{
  GstEvent *event;
  GstCaps *caps;
  GstSegment segment;
  gchar *stream_id;

  event = gst_pad_get_sticky_event (self->srcpad, GST_EVENT_SEGMENT, 0);
  if (event) {
    gst_event_unref (event);
    return;
  }
  event = gst_pad_get_sticky_event (self->srcpad, GST_EVENT_STREAM_START, 0);
  if (event == NULL) {
    stream_id = gst_pad_create_stream_id (self->srcpad, GST_ELEMENT (self),
        NULL);
    gst_pad_push_event (self->srcpad, gst_event_new_stream_start (stream_id));
    g_free (stream_id);
  }
  gst_clear_event (&event);
  if (!gst_pad_has_current_caps (self->srcpad)) {
    caps = gst_caps_new_simple ("application/x-ringkernel", "framed",
        G_TYPE_BOOLEAN, TRUE, NULL);
    gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
}

static void
handle_output (GstRkElement * self, GstRkMessage * msg)
{
  const GstRkKernelInfo *info = self->info;
  GstFlowReturn ret;

  if (info->flags & GST_RK_KERNEL_FLAG_RELAY) {
    start_raw_stream (self);
    msg->payload = encode_output (msg);
  } else if (self->raw)
    msg->payload = encode_output (msg);
  else if (msg->env.type == RK_MSG_NOTIFY) {
    GstStructure *s = NULL;

    if (info->notify_to_structure && msg->payload) {
      GstMapInfo map;

      gst_buffer_map (msg->payload, &map, GST_MAP_READ);
      s = info->notify_to_structure (info, &msg->env, map.data, map.size);
      gst_buffer_unmap (msg->payload, &map);
    }
    if (s) {
      complete_event_structure (self, s, &msg->env);
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self), s));
    }
    gst_rk_message_clear (msg);
    return;
  }

  if (msg->payload == NULL)
    return;

  ret = gst_pad_push (self->srcpad, msg->payload);
  msg->payload = NULL;
  if (ret == GST_FLOW_OK)
    return;

  /* Counted again where it was not delivered, so that received = emitted +
   * flushed + dropped holds: a flushing peer discarded it, an error lost
   * it. EOS says the peer takes no more: this one was usually taken (a
   * sink with num-buffers renders its last buffer and answers EOS). */
  GST_DEBUG_OBJECT (self, "pushing output %" G_GUINT64_FORMAT " returned %s",
      msg->env.message_id, gst_flow_get_name (ret));
  if (ret != GST_FLOW_EOS)
    __atomic_add_fetch (ret == GST_FLOW_FLUSHING ? &self->undelivered_flushed :
        &self->undelivered_dropped, 1, __ATOMIC_RELAXED);
  if (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS) {
    GST_ELEMENT_FLOW_ERROR (self, ret);
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
  }
  pause_task (self, ret);
}

/* Pops one item of the kernel's ordered stream and pushes it: that is all
 * the src task does. */
static void
gst_rk_element_loop (GstPad * pad)
{
  GstRkElement *self = GST_RK_ELEMENT (GST_PAD_PARENT (pad));
  GstRkKernel *kernel = self->kernel;
  GstFlowReturn ret;
  GstRkItem item;

  ret = g_atomic_int_get (&self->srcresult);
  if (ret != GST_FLOW_OK) {
    pause_task (self, ret);
    return;
  }

  if (!gst_rk_kernel_next_item (kernel, &item,
          g_get_monotonic_time () + IDLE_WAKE_US)) {
    /* Idle (or flushing): let the backend look at the device's health; a
     * fault it finds is the next item. */
    gst_rk_kernel_check (kernel, NULL);
    maybe_post_stats (self);
    return;
  }

  switch (item.type) {
    case GST_RK_ITEM_MARKER:
      push_event (self, item.marker);
      break;
    case GST_RK_ITEM_OUTPUT:
      handle_output (self, &item.msg);
      maybe_post_stats (self);
      break;
    case GST_RK_ITEM_ERROR:
      post_kernel_error (self, item.error);
      gst_rk_item_clear (&item);
      gst_pad_push_event (self->srcpad, gst_event_new_eos ());
      pause_task (self, GST_FLOW_ERROR);
      break;
    case GST_RK_ITEM_NONE:
      break;
  }
}

static gboolean
start_task (GstRkElement * self)
{
  g_atomic_int_set (&self->eos, FALSE);
  set_srcresult (self, GST_FLOW_OK);
  gst_rk_kernel_set_flushing (self->kernel, FALSE);
  return gst_pad_start_task (self->srcpad,
      (GstTaskFunction) gst_rk_element_loop, self->srcpad, NULL);
}

static gboolean
gst_rk_element_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstRkElement *self = GST_RK_ELEMENT (parent);
  gboolean ok;

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  g_mutex_lock (&self->task_lock);
  if (active) {
    ok = start_task (self);
  } else {
    set_srcresult (self, GST_FLOW_FLUSHING);
    gst_rk_kernel_set_flushing (self->kernel, TRUE);
    ok = gst_pad_stop_task (pad);
  }
  g_mutex_unlock (&self->task_lock);
  return ok;
}

static gboolean
gst_rk_element_sink_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstRkElement *self = GST_RK_ELEMENT (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;
  if (!active) {
    /* Unblock a chain function waiting for queue space. */
    set_srcresult (self, GST_FLOW_FLUSHING);
    gst_rk_kernel_set_flushing (self->kernel, TRUE);
  }
  return TRUE;
}

/* ---- Sink pad ---- */

static GstFlowReturn
send_result (GstRkElement * self, GError * err)
{
  GstFlowReturn ret;

  if (err == NULL)
    return GST_FLOW_OK;
  if (g_error_matches (err, GST_RK_ERROR, GST_RK_ERROR_FLUSHING)) {
    g_error_free (err);
    ret = g_atomic_int_get (&self->srcresult);
    return ret == GST_FLOW_OK ? GST_FLOW_FLUSHING : ret;
  }
  post_kernel_error (self, err);
  g_error_free (err);
  return GST_FLOW_ERROR;
}

static void check_remote_stamp (GstRkElement * self, GstBuffer * buf);

/* application/x-ringkernel: each buffer is one message as bytes, the
 * envelope then its payload. They are untrusted: decoded and validated,
 * and a malformed one stops the stream with the reason (rkenvelopeparse in
 * front drops them instead). A relay also takes the replies to the calls it
 * forwarded: their correlation ids come back in wire form (the remote-call
 * bit, which the far end's runtime does not take for one of its own calls)
 * and get the call bit again. The envelope's stamp goes on the payload as
 * its HLC meta, so the kernel's clock merges it. */
static GstFlowReturn
chain_raw (GstRkElement * self, GstBuffer * buf)
{
  GstRkEnvelope env;
  GstBuffer *payload = NULL;
  GstMapInfo map;
  GError *err = NULL;
  gboolean ok;

  gst_buffer_map (buf, &map, GST_MAP_READ);
  ok = gst_rk_envelope_decode (map.data, map.size, &env, &err);
  gst_buffer_unmap (buf, &map);
  if (ok && env.type != RK_MSG_DATA && env.type != RK_MSG_REQUEST &&
      env.type != RK_MSG_CONTROL && !(env.type == RK_MSG_REPLY &&
          (self->info->flags & GST_RK_KERNEL_FLAG_RELAY))) {
    g_set_error (&err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "a %s message cannot be sent to a kernel",
        gst_rk_message_type_get_name (env.type));
    ok = FALSE;
  }
  if (ok && (env.flags & RK_FLAG_PAYLOAD_MASK) &&
      !(env.flags & RK_FLAG_INLINE)) {
    g_set_error (&err, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "a message from outside must carry its payload inline");
    ok = FALSE;
  }
  if (!ok) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE, ("Malformed ring-kernel "
            "message in %s.", GST_ELEMENT_NAME (self)), ("%s", err->message));
    g_error_free (err);
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }

  if (env.type == RK_MSG_REPLY && (env.correlation_id &
          GST_RK_REMOTE_CALL_CORRELATION_BIT))
    env.correlation_id = (env.correlation_id &
        ~GST_RK_REMOTE_CALL_CORRELATION_BIT) | GST_RK_CALL_CORRELATION_BIT;
  if (env.payload_size > 0) {
    payload = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL,
        RK_ENVELOPE_SIZE, env.payload_size);
    if (env.hlc_physical != 0 && !gst_buffer_get_rk_hlc_meta (payload)) {
      GstRkHlcTimestamp ts = { env.hlc_physical, env.hlc_logical,
        env.hlc_node
      };

      gst_buffer_add_rk_hlc_meta (payload, &ts, env.source, env.message_id,
          env.correlation_id);
    }
    if (G_UNLIKELY (!self->drift_warned))
      check_remote_stamp (self, payload);
  }
  gst_buffer_unref (buf);
  gst_rk_kernel_send (self->kernel, payload, env.type, env.correlation_id,
      GST_RK_WAIT_FOREVER, NULL, &err);
  return send_result (self, err);
}

/* A stamp from another runtime (another process or host: an RTP header
 * extension restored it) that the clock will refuse as too far ahead. The
 * kernel counts it in clock-rejects and stamps the message with its own
 * clock; the element warns once, naming the peer (its SSRC when the
 * depayloader's source-info put it on the buffer). Streaming thread only. */
static void
check_remote_stamp (GstRkElement * self, GstBuffer * buf)
{
  GstRkHlcMeta *meta = gst_buffer_get_rk_hlc_meta (buf);
  GstRkHlc *clock = gst_rk_runtime_get_clock (self->runtime);
  GstRTPSourceMeta *source;
  GError *err = NULL;
  gchar *peer;

  if (meta == NULL || meta->stamp.node == clock->node ||
      gst_rk_hlc_check (clock, &meta->stamp, &err))
    return;
  source = gst_buffer_get_rtp_source_meta (buf);
  if (source && source->ssrc_valid)
    peer = g_strdup_printf ("SSRC %08x, HLC node %u", source->ssrc,
        meta->stamp.node);
  else
    peer = g_strdup_printf ("HLC node %u", meta->stamp.node);
  GST_ELEMENT_WARNING (self, STREAM, FAILED,
      ("%s: the clock of peer %s is too far ahead; its stamps are refused "
          "(counted in clock-rejects)", GST_ELEMENT_NAME (self), peer),
      ("%s", err->message));
  g_free (peer);
  g_error_free (err);
  self->drift_warned = TRUE;
}

/* Parameters driven by a GstController take their value at the buffer's
 * stream time, as in videobalance. Set before the buffer is sent, the
 * value applies from exactly this message, on every backend. */
static void
sync_controlled_params (GstRkElement * self, GstBuffer * buf)
{
  GstClockTime ts = GST_BUFFER_PTS (buf);

  if (self->in_segment.format != GST_FORMAT_TIME ||
      !GST_CLOCK_TIME_IS_VALID (ts))
    return;
  ts = gst_segment_to_stream_time (&self->in_segment, GST_FORMAT_TIME, ts);
  if (GST_CLOCK_TIME_IS_VALID (ts))
    gst_object_sync_values (GST_OBJECT (self), ts);
}

static GstFlowReturn
gst_rk_element_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstRkElement *self = GST_RK_ELEMENT (parent);
  GstFlowReturn ret;
  GError *err = NULL;
  gboolean eos;

  ret = g_atomic_int_get (&self->srcresult);
  eos = g_atomic_int_get (&self->eos);
  if (ret != GST_FLOW_OK || eos) {
    gst_buffer_unref (buf);
    return ret != GST_FLOW_OK ? ret : GST_FLOW_EOS;
  }

  if (self->raw)
    return chain_raw (self, buf);

  if (G_UNLIKELY (!self->drift_warned))
    check_remote_stamp (self, buf);
  sync_controlled_params (self, buf);
  gst_rk_kernel_send (self->kernel, buf, RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER,
      NULL, &err);
  return send_result (self, err);
}

static gboolean
has_device_memory (const GstCaps * caps)
{
  for (guint i = 0; i < gst_caps_get_size (caps); i++) {
    GstCapsFeatures *f = gst_caps_get_features (caps, i);

    if (f && gst_caps_features_contains (f, GST_CAPS_FEATURE_MEMORY_RK_DEVICE))
      return TRUE;
  }
  return FALSE;
}

/* @caps in system memory: what the kernel itself reads the caps as. */
static GstCaps *
in_system_memory (const GstCaps * caps)
{
  GstCaps *res = gst_caps_copy (caps);

  for (guint i = 0; i < gst_caps_get_size (res); i++)
    gst_caps_set_features (res, i, NULL);
  return gst_caps_simplify (res);
}

static void
post_caps_error (GstRkElement * self, GstCaps * caps, const GError * err)
{
  GstCaps *templ = gst_pad_get_pad_template_caps (self->sinkpad);
  /* device memory is between ring kernels only: not worth naming here */
  GstCaps *tcaps = in_system_memory (templ);
  gchar *got = gst_caps_to_string (caps);
  gchar *accepts = gst_caps_to_string (tcaps);

  GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
      ("%s cannot take %s", GST_ELEMENT_NAME (self), got),
      ("%s; it accepts %s", err->message, accepts));
  g_free (got);
  g_free (accepts);
  gst_caps_unref (tcaps);
  gst_caps_unref (templ);
}

/* Whether the kernel takes and gives frames in memory on its device
 * (GST_CAPS_FEATURE_MEMORY_RK_DEVICE); known once it is launched, and
 * @if_unknown before. */
static gboolean
device_payloads_or (GstRkElement * self, gboolean if_unknown)
{
  GstRkKernel *kernel;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  kernel = self->kernel ? gst_object_ref (self->kernel) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (kernel == NULL)
    return if_unknown;
  ok = gst_rk_kernel_get_device_payloads (kernel);
  gst_object_unref (kernel);
  return ok;
}

#define device_payloads(self) device_payloads_or ((self), FALSE)

/* Whether a CAPS event with @caps would be taken, found without taking
 * them: caps within the template that the kernel's configure function
 * takes with the current parameter values. Needs no launched kernel. */
static gboolean
sink_takes (GstRkElement * self, GstCaps * caps, GError ** error)
{
  GstCaps *tcaps = gst_pad_get_pad_template_caps (self->sinkpad);
  const GstRkKernelInfo *info;
  GstStructure *params;
  gboolean ok;

  ok = gst_caps_is_subset (caps, tcaps);
  gst_caps_unref (tcaps);
  if (!ok) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "the kernel does not take these caps");
    return FALSE;
  }
  if (has_device_memory (caps) && !device_payloads (self)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "the kernel does not read frames in %s on its backend",
        GST_CAPS_FEATURE_MEMORY_RK_DEVICE);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  info = self->info;
  params = gst_structure_copy (self->params);
  GST_OBJECT_UNLOCK (self);
  /* ringkernel knows its kernel only from NULL → READY on. */
  caps = in_system_memory (caps);
  ok = info == NULL || gst_rk_kernel_info_check_caps (info, caps, params,
      error);
  gst_caps_unref (caps);
  gst_structure_free (params);
  return ok;
}

/* Leaves the outputs on the device when the next element reads them there
 * (it takes @src_caps in GST_CAPS_FEATURE_MEMORY_RK_DEVICE); returns the
 * caps to push, which say where they are. */
static GstCaps *
choose_output_memory (GstRkElement * self, GstCaps * src_caps)
{
  gboolean on_device = FALSE;

  if (device_payloads (self)) {
    GstCaps *dev = gst_rk_caps_with_device_memory (src_caps);
    GstCaps *peer = gst_pad_peer_query_caps (self->srcpad, NULL);

    /* Only for a peer that names the feature: one that takes ANY caps
     * (fakesink, appsink without caps) would map every frame. */
    on_device = peer && !gst_caps_is_any (peer) &&
        gst_caps_can_intersect (peer, dev) &&
        gst_pad_peer_query_accept_caps (self->srcpad, dev);
    gst_clear_caps (&peer);
    if (on_device) {
      gst_caps_unref (src_caps);
      src_caps = dev;
    } else {
      gst_caps_unref (dev);
    }
  }
  GST_DEBUG_OBJECT (self, "outputs in %s memory", on_device ? "device" :
      "system");
  gst_rk_kernel_set_device_outputs (self->kernel, on_device);
  return src_caps;
}

static gboolean
set_caps (GstRkElement * self, GstCaps * caps)
{
  GstCaps *tcaps = gst_pad_get_pad_template_caps (self->sinkpad);
  GstCaps *src_caps = NULL;
  GError *err = NULL;
  gboolean ok;

  self->raw = gst_structure_has_name (gst_caps_get_structure (caps, 0),
      "application/x-ringkernel");
  ok = gst_caps_can_intersect (caps, tcaps);
  if (!ok) {
    g_set_error (&err, GST_RK_ERROR, GST_RK_ERROR_NOT_NEGOTIATED,
        "the kernel does not take these caps");
  } else {
    GstCaps *sys = in_system_memory (caps);

    ok = gst_rk_kernel_set_caps (self->kernel, sys, &src_caps, &err);
    gst_caps_unref (sys);
  }

  if (!ok) {
    post_caps_error (self, caps, err);
    g_error_free (err);
  } else if (src_caps) {
    src_caps = choose_output_memory (self, src_caps);
    queue_event (self, gst_event_new_caps (src_caps));
    gst_caps_unref (src_caps);
  }
  gst_caps_unref (tcaps);
  return ok;
}

/* The pad asks ACCEPT_CAPS before it hands a CAPS event to the event
 * function, so caps refused there never reach set_caps (): say why here,
 * where only real CAPS events pass. The query posts nothing, as elements
 * that only probe send it freely. */
static GstPadProbeReturn
sink_caps_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstElement *parent;
  GstCaps *caps;
  GError *err = NULL;

  if (GST_EVENT_TYPE (event) != GST_EVENT_CAPS)
    return GST_PAD_PROBE_OK;
  parent = gst_pad_get_parent_element (pad);
  if (parent == NULL)
    return GST_PAD_PROBE_OK;
  gst_event_parse_caps (event, &caps);
  if (!sink_takes (GST_RK_ELEMENT (parent), caps, &err)) {
    post_caps_error (GST_RK_ELEMENT (parent), caps, err);
    g_error_free (err);
  }
  gst_object_unref (parent);
  return GST_PAD_PROBE_OK;
}

/* Queues a reset of the kernel's device state behind the data sent so
 * far (resettable kernels only). */
static void
send_reset (GstRkElement * self, GstRkKernel * kernel)
{
  GError *err = NULL;

  if (!gst_rk_kernel_send_control (kernel, RK_CONTROL_RESET_STATE, &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, FAILED,
        ("Cannot reset kernel %s.", GST_OBJECT_NAME (kernel)), ("%s",
            err->message));
    g_error_free (err);
  }
}

static gboolean
gst_rk_element_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstRkElement *self = GST_RK_ELEMENT (parent);
  GError *err = NULL;
  gboolean reset, active, ok;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      gst_pad_push_event (self->srcpad, event);
      set_srcresult (self, GST_FLOW_FLUSHING);
      gst_rk_kernel_set_flushing (self->kernel, TRUE);
      gst_pad_pause_task (self->srcpad);
      return TRUE;

    case GST_EVENT_FLUSH_STOP:
      /* Discard what is queued; the kernel and its state stay. */
      clear_events (self);
      if (!gst_rk_kernel_flush (self->kernel, &err)) {
        GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("Flushing %s failed.",
                GST_OBJECT_NAME (self->kernel)), ("%s", err->message));
        g_error_free (err);
      }
      gst_pad_push_event (self->srcpad, event);
      /* Elements go down src pad first: a flush-stop can come after the
       * src pad went inactive, and a task started then would outlive the
       * deactivation (as in queue, the pad's activation starts it). */
      g_mutex_lock (&self->task_lock);
      active = gst_pad_is_active (self->srcpad);
      ok = !active || start_task (self);
      g_mutex_unlock (&self->task_lock);
      if (!ok)
        return FALSE;
      if (!active)
        return TRUE;            /* going down: the kernel refuses messages */
      /* After start_task: a flushing kernel refuses messages. The next
       * buffer comes on this thread, so the reset still precedes it. */
      GST_OBJECT_LOCK (self);
      reset = self->reset_on_flush;
      GST_OBJECT_UNLOCK (self);
      if (reset)
        send_reset (self, self->kernel);
      return TRUE;

    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      if (!set_caps (self, caps)) {
        gst_event_unref (event);
        return FALSE;
      }
      gst_event_unref (event);
      return TRUE;
    }

    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &self->in_segment);
      queue_event (self, event);
      return TRUE;

    case GST_EVENT_EOS:
      g_atomic_int_set (&self->eos, TRUE);
      queue_event (self, event);
      return TRUE;

    default:
      if (GST_EVENT_IS_SERIALIZED (event)) {
        queue_event (self, event);
        return TRUE;
      }
      return gst_pad_push_event (self->srcpad, event);
  }
}

/* Caps on the other pad, transformed by the kernel and limited by our own
 * template. */
static GstCaps *
query_caps (GstRkElement * self, GstPad * pad, GstCaps * filter)
{
  const GstRkKernelInfo *info = self->info;
  GstPad *otherpad = pad == self->srcpad ? self->sinkpad : self->srcpad;
  GstCaps *templ = gst_pad_get_pad_template_caps (pad);
  GstCaps *peer, *res;

  peer = gst_pad_peer_query_caps (otherpad, NULL);
  if (peer == NULL || gst_caps_is_any (peer)) {
    gst_clear_caps (&peer);
    res = gst_caps_ref (templ);
  } else {
    GstCaps *other_templ = gst_pad_get_pad_template_caps (otherpad);
    GstCaps *limited = gst_caps_intersect (peer, other_templ);
    GstCaps *transformed = info ? gst_rk_kernel_info_transform_caps (info,
        GST_PAD_DIRECTION (otherpad), limited, NULL) : gst_caps_ref (limited);

    res = gst_caps_intersect (transformed, templ);
    gst_caps_unref (transformed);
    gst_caps_unref (limited);
    gst_caps_unref (other_templ);
    gst_caps_unref (peer);
  }
  /* Frames are read and written in either memory whatever the other pad
   * has: offered on the device first where the kernel can keep them
   * there (or may: links are made before the kernel is launched), never
   * where it cannot. */
  if (has_device_memory (templ)) {
    GstCaps *sys = in_system_memory (res);

    gst_caps_unref (res);
    res = device_payloads_or (self, TRUE) ? gst_caps_merge
        (gst_rk_caps_with_device_memory (sys), gst_caps_ref (sys)) :
        gst_caps_ref (sys);
    gst_caps_unref (sys);
  }
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, res,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (res);
    res = tmp;
  }
  gst_caps_unref (templ);
  return res;
}

/* The ACCEPT_CAPS answer, which autoplugging and probing go by (its caps
 * are always fixed). On the sink pad they are those of a CAPS event:
 * answered as set_caps () would. On the src pad as GstPad's default:
 * within what a CAPS query gives (template included). */
static gboolean
accept_caps (GstRkElement * self, GstPad * pad, GstCaps * caps)
{
  GstCaps *allowed;
  GError *err = NULL;
  gboolean ok;

  if (pad == self->sinkpad) {
    ok = sink_takes (self, caps, &err);
    if (!ok) {
      GST_DEBUG_OBJECT (self, "refusing %" GST_PTR_FORMAT ": %s", caps,
          err->message);
      g_error_free (err);
    }
    return ok;
  }

  allowed = query_caps (self, pad, caps);
  ok = gst_caps_is_subset (caps, allowed);
  gst_caps_unref (allowed);
  return ok;
}

static gboolean
gst_rk_element_query (GstRkElement * self, GstPad * pad, GstQuery * query)
{
  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CAPS:{
      GstCaps *filter, *caps;

      gst_query_parse_caps (query, &filter);
      caps = query_caps (self, pad, filter);
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_ACCEPT_CAPS:{
      GstCaps *caps;

      gst_query_parse_accept_caps (query, &caps);
      gst_query_set_accept_caps_result (query, accept_caps (self, pad, caps));
      return TRUE;
    }
    case GST_QUERY_CONTEXT:{
      gboolean ok;

      GST_OBJECT_LOCK (self);
      ok = gst_rk_context_handle_query (GST_ELEMENT (self), query,
          self->runtime);
      GST_OBJECT_UNLOCK (self);
      return ok;
    }
    default:
      return gst_pad_query_default (pad, GST_OBJECT (self), query);
  }
}

static gboolean
gst_rk_element_sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  return gst_rk_element_query (GST_RK_ELEMENT (parent), pad, query);
}

static gboolean
gst_rk_element_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstRkElement *self = GST_RK_ELEMENT (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live;
    GstClockTime min, max;

    if (!gst_pad_peer_query (self->sinkpad, query))
      return FALSE;
    /* The queues hold buffers, not time: we add no minimum latency and can
     * hold an unbounded amount of time. */
    gst_query_parse_latency (query, &live, &min, &max);
    gst_query_set_latency (query, live, min, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return gst_rk_element_query (self, pad, query);
}

/* ---- Lifecycle ---- */

static gboolean
launch (GstRkElement * self)
{
  GstRkElementClass *klass = GST_RK_ELEMENT_GET_CLASS (self);
  GstRkLaunchOptions opts;
  GstRkBackendKind backend;
  GstStructure *params;
  GstRkKernel *kernel;
  GError *err = NULL;
  gint device_id;
  const gchar *note;

  /* A subclass may choose its kernel only now (ringkernel loads a file). */
  if (klass->prepare && !klass->prepare (self, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ, ("Cannot load the kernel of "
            "%s: %s", GST_ELEMENT_NAME (self), err->message), (NULL));
    g_error_free (err);
    return FALSE;
  }

  GST_OBJECT_LOCK (self);
  opts = self->opts;
  opts.mode = self->mode;
  opts.auto_activate = FALSE;
  /* A kernel that a host thread runs runs on the src task: one thread
   * boundary per element, as through a queue. */
  opts.receiver_drives = TRUE;
  backend = self->backend;
  device_id = self->device_id;
  params = gst_structure_copy (self->params);
  GST_OBJECT_UNLOCK (self);

  if (!gst_rk_context_ensure_runtime (GST_ELEMENT (self), &self->runtime,
          device_id)) {
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("No ring kernel runtime."),
        (NULL));
    gst_structure_free (params);
    return FALSE;
  }

  kernel = gst_rk_runtime_launch (self->runtime, self->info->name,
      GST_ELEMENT_NAME (self), backend, device_id, &opts, params, &err);
  gst_structure_free (params);
  if (kernel == NULL) {
    if (g_error_matches (err, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT))
      GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
          ("Invalid settings for %s: %s", GST_ELEMENT_NAME (self),
              err->message), (NULL));
    else
      GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
          ("Cannot launch kernel %s: %s", self->info->name, err->message),
          (NULL));
    g_error_free (err);
    return FALSE;
  }

  note = gst_rk_kernel_get_selection_note (kernel);
  if (note && backend == GST_RK_BACKEND_AUTO)
    GST_ELEMENT_INFO (self, RESOURCE, SETTINGS, ("%s", note), (NULL));
  else if (note)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS, ("%s", note), (NULL));
  GST_INFO_OBJECT (self, "kernel %s on %s (%s), %s mode", self->info->name,
      gst_rk_backend_kind_get_display_name (gst_rk_kernel_get_backend
          (kernel)), gst_rk_kernel_get_device_name (kernel),
      gst_rk_kernel_mode_get_name (gst_rk_kernel_get_mode (kernel)));

  __atomic_store_n (&self->undelivered_flushed, 0, __ATOMIC_RELAXED);
  __atomic_store_n (&self->undelivered_dropped, 0, __ATOMIC_RELAXED);
  GST_OBJECT_LOCK (self);
  self->kernel = kernel;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static void
terminate (GstRkElement * self)
{
  GstRkKernel *kernel;
  GstRkRuntime *runtime;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  kernel = self->kernel;
  runtime = self->runtime;
  self->kernel = NULL;
  self->runtime = NULL;
  GST_OBJECT_UNLOCK (self);

  if (kernel) {
    /* Terminated (and freed) even when the device reports a failure to
     * stop; the failure is still an error worth seeing. */
    if (gst_rk_kernel_state_can_terminate (gst_rk_kernel_get_state (kernel))
        && !gst_rk_kernel_terminate (kernel, &err)) {
      GST_ELEMENT_ERROR (self, RESOURCE, CLOSE,
          ("Ring kernel %s did not stop cleanly.", GST_ELEMENT_NAME (self)),
          ("%s", err->message));
      g_error_free (err);
    }
    gst_object_unref (kernel);
  }
  gst_clear_object (&runtime);
}

static gboolean
run_kernel_op (GstRkElement * self, gboolean (*op) (GstRkKernel *,
        GError **), const gchar * what)
{
  GError *err = NULL;

  if (op (self->kernel, &err))
    return TRUE;
  GST_ELEMENT_ERROR (self, RESOURCE, FAILED, ("Cannot %s kernel %s.", what,
          GST_OBJECT_NAME (self->kernel)), ("%s", err->message));
  g_error_free (err);
  return FALSE;
}

static GstStateChangeReturn
gst_rk_element_change_state (GstElement * element, GstStateChange transition)
{
  GstRkElement *self = GST_RK_ELEMENT (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      if (!launch (self))
        return GST_STATE_CHANGE_FAILURE;
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      self->next_stats = 0;
      self->drift_warned = FALSE;
      g_mutex_lock (&self->error_lock);
      self->error_posted = FALSE;
      g_mutex_unlock (&self->error_lock);
      gst_segment_init (&self->out_segment, GST_FORMAT_UNDEFINED);
      gst_segment_init (&self->in_segment, GST_FORMAT_UNDEFINED);
      if (!run_kernel_op (self, gst_rk_kernel_activate, "activate"))
        return GST_STATE_CHANGE_FAILURE;
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE) {
    if (transition == GST_STATE_CHANGE_NULL_TO_READY)
      terminate (self);
    return ret;
  }

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:{
      GError *err = NULL;

      /* The pads are inactive and the task stopped: discard what is still
       * queued, then pause the kernel with its state intact. Going down
       * never fails: a kernel that cannot (it failed, or times out) has its
       * error posted, and is terminated at READY → NULL all the same. */
      clear_events (self);
      if (!gst_rk_kernel_flush (self->kernel, &err) ||
          !gst_rk_kernel_deactivate (self->kernel, &err)) {
        post_kernel_error (self, err);
        g_clear_error (&err);
      }
      break;
    }
    case GST_STATE_CHANGE_READY_TO_NULL:
      terminate (self);
      break;
    default:
      break;
  }
  return ret;
}

static void
gst_rk_element_set_context (GstElement * element, GstContext * context)
{
  GstRkElement *self = GST_RK_ELEMENT (element);

  GST_OBJECT_LOCK (self);
  gst_rk_context_handle_set_context (element, context, &self->runtime);
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_CLASS (parent_class)->set_context (element, context);
}

/* ---- Properties ---- */

static void
set_kernel_param (GstRkElement * self, GParamSpec * pspec,
    const GValue * value)
{
  GstStructure *one;
  GstRkKernel *kernel;
  GError *err = NULL;

  GST_OBJECT_LOCK (self);
  gst_structure_set_value (self->params, pspec->name, value);
  kernel = self->kernel ? gst_object_ref (self->kernel) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (kernel == NULL)
    return;

  one = gst_structure_new_empty ("params");
  gst_structure_set_value (one, pspec->name, value);
  if (!gst_rk_kernel_set_params (kernel, one, &err)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("Ignoring %s: %s", pspec->name, err->message), (NULL));
    g_error_free (err);
  }
  gst_structure_free (one);
  gst_object_unref (kernel);
}

static void
warn_if_launched (GstRkElement * self, GParamSpec * pspec)
{
  if (self->kernel)
    GST_WARNING_OBJECT (self, "%s applies from the next NULL to READY "
        "change", pspec->name);
}

static void
gst_rk_element_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstRkElement *self = GST_RK_ELEMENT (object);
  GstRkElementClass *klass = GST_RK_ELEMENT_GET_CLASS (self);

  if (klass->info && prop_id >= PROP_KERNEL_BASE &&
      prop_id < PROP_KERNEL_BASE + klass->info->n_params) {
    set_kernel_param (self, pspec, value);
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_BACKEND:
      self->backend = g_value_get_enum (value);
      break;
    case PROP_MODE:
      self->mode = g_value_get_enum (value);
      break;
    case PROP_DEVICE_ID:
      self->device_id = g_value_get_int (value);
      break;
    case PROP_GRID_SIZE:
      self->opts.grid_size = g_value_get_uint (value);
      break;
    case PROP_BLOCK_SIZE:
      self->opts.block_size = g_value_get_uint (value);
      break;
    case PROP_INPUT_QUEUE_CAPACITY:
      self->opts.input_queue_capacity = g_value_get_uint (value);
      break;
    case PROP_OUTPUT_QUEUE_CAPACITY:
      self->opts.output_queue_capacity = g_value_get_uint (value);
      break;
    case PROP_SHARED_MEMORY_SIZE:
      self->opts.shared_memory_size = g_value_get_uint (value);
      break;
    case PROP_STATS_INTERVAL:
      self->stats_interval = g_value_get_uint64 (value);
      break;
    case PROP_RESET_ON_FLUSH:
      self->reset_on_flush = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  if (prop_id != PROP_STATS_INTERVAL && prop_id != PROP_RESET_ON_FLUSH)
    warn_if_launched (self, pspec);
  GST_OBJECT_UNLOCK (self);
}

static GstStructure *
stats_of (GstRkElement * self)
{
  GstRkKernel *kernel;
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  kernel = self->kernel ? gst_object_ref (self->kernel) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (kernel == NULL)
    return gst_structure_new ("ringkernel-stats", "state", G_TYPE_STRING,
        "created", NULL);
  s = kernel_stats (self, kernel);
  gst_object_unref (kernel);
  return s;
}

static void
gst_rk_element_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstRkElement *self = GST_RK_ELEMENT (object);
  GstRkElementClass *klass = GST_RK_ELEMENT_GET_CLASS (self);

  if (klass->info && prop_id >= PROP_KERNEL_BASE &&
      prop_id < PROP_KERNEL_BASE + klass->info->n_params) {
    GST_OBJECT_LOCK (self);
    g_value_copy (gst_structure_get_value (self->params, pspec->name), value);
    GST_OBJECT_UNLOCK (self);
    return;
  }

  switch (prop_id) {
    case PROP_STATS:
      g_value_take_boxed (value, stats_of (self));
      return;
    case PROP_RUNTIME_STATS:
      GST_OBJECT_LOCK (self);
      g_value_take_boxed (value, self->runtime ?
          gst_rk_runtime_get_metrics_structure (self->runtime) : NULL);
      GST_OBJECT_UNLOCK (self);
      return;
    default:
      break;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_BACKEND:
      g_value_set_enum (value, self->backend);
      break;
    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;
    case PROP_DEVICE_ID:
      g_value_set_int (value, self->device_id);
      break;
    case PROP_GRID_SIZE:
      g_value_set_uint (value, self->opts.grid_size);
      break;
    case PROP_BLOCK_SIZE:
      g_value_set_uint (value, self->opts.block_size);
      break;
    case PROP_INPUT_QUEUE_CAPACITY:
      g_value_set_uint (value, self->opts.input_queue_capacity);
      break;
    case PROP_OUTPUT_QUEUE_CAPACITY:
      g_value_set_uint (value, self->opts.output_queue_capacity);
      break;
    case PROP_SHARED_MEMORY_SIZE:
      g_value_set_uint (value, self->opts.shared_memory_size);
      break;
    case PROP_STATS_INTERVAL:
      g_value_set_uint64 (value, self->stats_interval);
      break;
    case PROP_RESET_ON_FLUSH:
      g_value_set_boolean (value, self->reset_on_flush);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ---- GObject ---- */

static void
gst_rk_element_finalize (GObject * object)
{
  GstRkElement *self = GST_RK_ELEMENT (object);

  terminate (self);
  gst_structure_free (self->params);
  g_mutex_clear (&self->error_lock);
  g_mutex_clear (&self->task_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* Takes the class being instantiated: during a base-class instance init,
 * the instance's own class pointer still names the base class. */
/* Frame kernels get short queues by default: each slot may hold a whole
 * frame, and with 1024 slots the first kernel of a chain ran ~170 frames
 * ahead of the second (478 MB peak against 142 MB with 8 slots, and more
 * CPU per frame from the cache misses). Message actors keep deep queues. */
static guint
queue_capacity_for (const GstRkKernelInfo * info)
{
  if (info && info->kind == GST_RK_KERNEL_KIND_FRAME)
    return DEFAULT_FRAME_QUEUE_CAPACITY;
  return DEFAULT_QUEUE_CAPACITY;
}

/* Installed on the base class and again, with the kernel's own default, on
 * each kernel's class (a property of a subclass shadows its parent's). */
static void
install_queue_properties (GObjectClass * gobject_class, guint capacity)
{
  const GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  g_object_class_install_property (gobject_class, PROP_INPUT_QUEUE_CAPACITY,
      g_param_spec_uint ("input-queue-capacity", "Input queue capacity",
          "Messages the input queue holds, rounded up to a power of two; "
          "0 is refused", 0, GST_RK_MAX_QUEUE_CAPACITY, capacity, ready));
  g_object_class_install_property (gobject_class, PROP_OUTPUT_QUEUE_CAPACITY,
      g_param_spec_uint ("output-queue-capacity", "Output queue capacity",
          "Messages the output queue holds, rounded up to a power of two; "
          "0 is refused", 0, GST_RK_MAX_QUEUE_CAPACITY, capacity, ready));
}

static void
gst_rk_element_init (GTypeInstance * instance, gpointer g_class)
{
  GstRkElement *self = GST_RK_ELEMENT (instance);
  GstRkElementClass *klass = g_class;
  GstElementClass *eclass = GST_ELEMENT_CLASS (klass);

  self->sinkpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (eclass, "sink"), "sink");
  gst_pad_set_chain_function (self->sinkpad, gst_rk_element_chain);
  gst_pad_set_event_function (self->sinkpad, gst_rk_element_sink_event);
  gst_pad_set_query_function (self->sinkpad, gst_rk_element_sink_query);
  gst_pad_set_activatemode_function (self->sinkpad,
      gst_rk_element_sink_activate_mode);
  gst_pad_add_probe (self->sinkpad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      sink_caps_probe, NULL, NULL);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (eclass, "src"), "src");
  gst_pad_set_query_function (self->srcpad, gst_rk_element_src_query);
  gst_pad_set_activatemode_function (self->srcpad,
      gst_rk_element_src_activate_mode);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  g_mutex_init (&self->error_lock);
  g_mutex_init (&self->task_lock);
  self->srcresult = GST_FLOW_FLUSHING;
  self->backend = DEFAULT_BACKEND;
  self->mode = DEFAULT_MODE;
  self->device_id = DEFAULT_DEVICE_ID;
  gst_rk_launch_options_init (&self->opts);
  self->opts.grid_size = DEFAULT_GRID_SIZE;
  self->opts.input_queue_capacity = queue_capacity_for (klass->info);
  self->opts.output_queue_capacity = queue_capacity_for (klass->info);
  self->stats_interval = DEFAULT_STATS_INTERVAL;
  self->reset_on_flush = DEFAULT_RESET_ON_FLUSH;
  gst_segment_init (&self->out_segment, GST_FORMAT_UNDEFINED);
  gst_segment_init (&self->in_segment, GST_FORMAT_UNDEFINED);
  self->info = klass->info;
  self->params = klass->info ? gst_rk_kernel_info_default_params (klass->info)
      : gst_structure_new_empty ("params");
}

static void
gst_rk_element_class_init (gpointer g_class, gpointer class_data)
{
  GstRkElementClass *klass = g_class;
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  parent_class = g_type_class_peek_parent (klass);

  gobject_class->set_property = gst_rk_element_set_property;
  gobject_class->get_property = gst_rk_element_get_property;
  gobject_class->finalize = gst_rk_element_finalize;
  element_class->change_state = gst_rk_element_change_state;
  element_class->set_context = gst_rk_element_set_context;

  g_object_class_install_property (gobject_class, PROP_BACKEND,
      g_param_spec_enum ("backend", "Backend",
          "Where the kernel runs. auto: CUDA if usable, then Vulkan on a "
          "hardware GPU, then the CPU", GST_TYPE_RK_BACKEND_KIND,
          DEFAULT_BACKEND, ready));
  g_object_class_install_property (gobject_class, PROP_MODE,
      g_param_spec_enum ("mode", "Mode",
          "persistent: launched once, polls its queue; event-driven: one "
          "dispatch per message or batch; auto: what the kernel suits",
          GST_TYPE_RK_KERNEL_MODE, DEFAULT_MODE, ready));
  g_object_class_install_property (gobject_class, PROP_DEVICE_ID,
      g_param_spec_int ("device-id", "Device ID",
          "Device index within the backend (-1 = the backend's choice)",
          -1, G_MAXINT16, DEFAULT_DEVICE_ID, ready));
  g_object_class_install_property (gobject_class, PROP_GRID_SIZE,
      g_param_spec_uint ("grid-size", "Grid size",
          "Blocks per launch (0 = backend's choice: one per core on the CPU "
          "for frame kernels)", 0, GST_RK_MAX_GRID_SIZE, DEFAULT_GRID_SIZE,
          ready));
  g_object_class_install_property (gobject_class, PROP_BLOCK_SIZE,
      g_param_spec_uint ("block-size", "Block size",
          "Threads per block (GPU backends; a CPU block is one task)", 1,
          GST_RK_MAX_BLOCK_SIZE, DEFAULT_BLOCK_SIZE, ready));
  install_queue_properties (gobject_class, DEFAULT_QUEUE_CAPACITY);
  g_object_class_install_property (gobject_class, PROP_SHARED_MEMORY_SIZE,
      g_param_spec_uint ("shared-memory-size", "Shared memory size",
          "Bytes of block-shared memory per block (GPU backends)", 0,
          GST_RK_MAX_SHARED_MEMORY_SIZE, DEFAULT_SHARED_MEMORY_SIZE, ready));
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Kernel statistics: state, backend, mode, queue depths, received, "
          "processed, emitted, flushed, dropped, uptime and latency p50/p99 "
          "in ns", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (gobject_class, PROP_STATS_INTERVAL,
      g_param_spec_uint64 ("stats-interval", "Stats interval",
          "Post the stats as a ringkernel-stats element message this often, "
          "in ns (0 = never)", 0, G_MAXUINT64, DEFAULT_STATS_INTERVAL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
  g_object_class_install_property (gobject_class, PROP_RUNTIME_STATS,
      g_param_spec_boxed ("runtime-stats", "Runtime statistics",
          "Metrics of the pipeline's shared runtime: active kernels, "
          "launched, messages sent and received, memory used",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  GST_DEBUG_CATEGORY_INIT (gst_rk_element_debug, "ringkernel", 0,
      "ring kernel elements");
}

/* ---- Per-kernel subclasses ---- */

/* The `reset` action signal: the kernel's state starts afresh after the
 * data sent so far. Without a launched kernel there is no state to reset. */
static void
gst_rk_element_reset (GstRkElement * self)
{
  GstRkKernel *kernel;

  GST_OBJECT_LOCK (self);
  kernel = self->kernel ? gst_object_ref (self->kernel) : NULL;
  GST_OBJECT_UNLOCK (self);
  if (kernel == NULL)
    return;
  GST_DEBUG_OBJECT (self, "resetting kernel state");
  send_reset (self, kernel);
  gst_object_unref (kernel);
}

/**
 * gst_rk_element_class_install_reset:
 *
 * Gives an element class the `reset` action signal and the
 * `reset-on-flush` property (for kernels with resettable state).
 */
void
gst_rk_element_class_install_reset (GstRkElementClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  klass->reset = gst_rk_element_reset;
  g_signal_new ("reset", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_STRUCT_OFFSET (GstRkElementClass, reset), NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  g_object_class_install_property (gobject_class, PROP_RESET_ON_FLUSH,
      g_param_spec_boolean ("reset-on-flush", "Reset on flush",
          "Start the kernel's state (background model, filter history, "
          "statistics) afresh after a flushing seek", DEFAULT_RESET_ON_FLUSH,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));
}

static GParamSpec *
param_spec_for (const GstRkParamInfo * p)
{
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      ((p->flags & GST_RK_PARAM_FLAG_MUTABLE_PLAYING) ?
      GST_PARAM_MUTABLE_PLAYING : GST_PARAM_MUTABLE_READY);

  /* What may change while playing may follow a GstController (arrays have
   * no control sources). */
  if ((p->flags & GST_RK_PARAM_FLAG_MUTABLE_PLAYING) &&
      p->type != GST_RK_PARAM_DOUBLE_ARRAY)
    flags |= GST_PARAM_CONTROLLABLE;

  switch (p->type) {
    case GST_RK_PARAM_DOUBLE:
      return g_param_spec_double (p->name, p->nick, p->blurb, p->min, p->max,
          p->default_value, flags);
    case GST_RK_PARAM_INT:
      return g_param_spec_int (p->name, p->nick, p->blurb, (gint) p->min,
          (gint) p->max, (gint) p->default_value, flags);
    case GST_RK_PARAM_BOOLEAN:
      return g_param_spec_boolean (p->name, p->nick, p->blurb,
          p->default_value != 0.0, flags);
    case GST_RK_PARAM_UINT64:
      return g_param_spec_uint64 (p->name, p->nick, p->blurb,
          (guint64) p->min, (guint64) p->max, (guint64) p->default_value,
          flags);
    case GST_RK_PARAM_DOUBLE_ARRAY:
      return gst_param_spec_array (p->name, p->nick, p->blurb,
          g_param_spec_double ("value", "Value", "One value", -G_MAXDOUBLE,
              G_MAXDOUBLE, 0.0, flags), flags);
  }
  return NULL;
}

/* A frame kernel's pads take and give its caps in system memory or, where
 * its backend keeps frames on the device, in device memory. */
static GstCaps *
template_caps (const GstRkKernelInfo * info, const gchar * str)
{
  GstCaps *caps = gst_caps_from_string (str);

  if (info->kind != GST_RK_KERNEL_KIND_FRAME)
    return caps;
  return gst_caps_merge (gst_rk_caps_with_device_memory (caps), caps);
}

static void
kernel_class_init (gpointer g_class, gpointer class_data)
{
  GstRkElementClass *klass = g_class;
  GObjectClass *gobject_class = G_OBJECT_CLASS (g_class);
  GstElementClass *element_class = GST_ELEMENT_CLASS (g_class);
  const GstRkKernelInfo *info = class_data;
  gchar *long_name, *author;
  guint i;

  /* GObject does not inherit these: every class that installs properties
   * sets its own. */
  gobject_class->set_property = gst_rk_element_set_property;
  gobject_class->get_property = gst_rk_element_get_property;

  klass->info = info;
  long_name = g_strdup (info->long_name ? info->long_name : info->name);
  author = g_strdup ("gst-ringkernel developers");
  gst_element_class_set_metadata (element_class, long_name,
      info->klass ? info->klass : "Generic", info->description, author);
  g_free (long_name);
  g_free (author);

  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
          template_caps (info, info->sink_caps)));
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS,
          template_caps (info, info->src_caps)));

  if (info->kind == GST_RK_KERNEL_KIND_FRAME)
    install_queue_properties (gobject_class, queue_capacity_for (info));
  if (info->flags & GST_RK_KERNEL_FLAG_RESETTABLE)
    gst_rk_element_class_install_reset (klass);

  klass->param_specs = g_new0 (GParamSpec *, info->n_params);
  for (i = 0; i < info->n_params; i++) {
    klass->param_specs[i] = param_spec_for (&info->params[i]);
    g_object_class_install_property (gobject_class, PROP_KERNEL_BASE + i,
        klass->param_specs[i]);
  }
}

/* "gray" → "GstRkGray": GType names for the subclasses. */
static gchar *
type_name_for (const gchar * kernel)
{
  gchar *name = g_strdup_printf ("GstRk%s", kernel);

  name[5] = g_ascii_toupper (name[5]);
  return name;
}

/**
 * gst_rk_element_register:
 *
 * Registers "rk" + info->name as an element of its own GType.
 */
gboolean
gst_rk_element_register (GstPlugin * plugin, const GstRkKernelInfo * info,
    guint rank)
{
  GTypeInfo type_info = {
    sizeof (GstRkElementClass),
    NULL, NULL,
    kernel_class_init, NULL, info,
    sizeof (GstRkElement), 0,
    NULL, NULL
  };
  gchar *type_name = type_name_for (info->name);
  gchar *element_name = g_strdup_printf ("rk%s", info->name);
  GType type;
  gboolean ok;

  type = g_type_from_name (type_name);
  if (type == 0)
    type = g_type_register_static (GST_TYPE_RK_ELEMENT, type_name, &type_info,
        0);
  ok = gst_element_register (plugin, element_name, rank, type);
  g_free (type_name);
  g_free (element_name);
  return ok;
}

GType
gst_rk_element_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    GTypeInfo info = {
      sizeof (GstRkElementClass),
      NULL, NULL,
      gst_rk_element_class_init, NULL, NULL,
      sizeof (GstRkElement), 0,
      gst_rk_element_init, NULL
    };
    GType t = g_type_register_static (GST_TYPE_ELEMENT, "GstRkElement", &info,
        G_TYPE_FLAG_ABSTRACT);

    gst_type_mark_as_plugin_api (t, 0);
    g_once_init_leave (&type, t);
  }
  return type;
}
