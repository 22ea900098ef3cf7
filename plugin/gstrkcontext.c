/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Sharing one runtime per pipeline through GstContext, the way
 * gst.cuda.context is shared: ask downstream, then upstream; then post
 * NEED_CONTEXT so the application or a bin can hand one over; failing all
 * that, make a runtime and announce it with HAVE_CONTEXT, which bins keep
 * and give to every later element that asks.
 */

#include "gstrkcontext.h"

GST_DEBUG_CATEGORY_STATIC (gst_rk_context_debug);
#define GST_CAT_DEFAULT gst_rk_context_debug

static void
init_debug (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    GST_DEBUG_CATEGORY_INIT (gst_rk_context_debug, "ringkernel-context", 0,
        "ring kernel runtime sharing");
    g_once_init_leave (&done, 1);
  }
}

/* Stores @context's runtime in *@runtime unless one is there already.
 * Called from GstElement::set_context, under the element's object lock. */
gboolean
gst_rk_context_handle_set_context (GstElement * element, GstContext * context,
    GstRkRuntime ** runtime)
{
  GstRkRuntime *rt = NULL;

  init_debug ();
  if (context == NULL || !gst_rk_context_get_runtime (context, &rt))
    return FALSE;
  if (*runtime == NULL) {
    GST_DEBUG_OBJECT (element, "using runtime %" GST_PTR_FORMAT
        " from context", rt);
    *runtime = rt;
  } else {
    gst_object_unref (rt);
  }
  return TRUE;
}

/* Answers a CONTEXT query when we hold a runtime. */
gboolean
gst_rk_context_handle_query (GstElement * element, GstQuery * query,
    GstRkRuntime * runtime)
{
  const gchar *type;
  GstContext *context;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CONTEXT || runtime == NULL)
    return FALSE;
  gst_query_parse_context_type (query, &type);
  if (g_strcmp0 (type, GST_RK_RUNTIME_CONTEXT_TYPE) != 0)
    return FALSE;

  context = gst_rk_context_new (runtime);
  gst_query_set_context (query, context);
  gst_context_unref (context);
  return TRUE;
}

static gboolean
query_peers (GstElement * element, GstQuery * query, GstPadDirection dir)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  gboolean found = FALSE;

  it = dir == GST_PAD_SRC ? gst_element_iterate_src_pads (element) :
      gst_element_iterate_sink_pads (element);
  while (!found && gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstPad *pad = g_value_get_object (&item);
    found = gst_pad_peer_query (pad, query);
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return found;
}

static void
set_from_context (GstElement * element, GstContext * context)
{
  /* The element's set_context stores the runtime for us. */
  gst_element_set_context (element, context);
}

/**
 * gst_rk_context_ensure_runtime:
 * @runtime: (inout): the element's runtime slot
 * @device_id: device for a runtime made here
 *
 * Finds the pipeline's runtime or makes one. Call at NULL → READY.
 */
gboolean
gst_rk_context_ensure_runtime (GstElement * element, GstRkRuntime ** runtime,
    gint device_id)
{
  GstQuery *query;
  GstContext *context = NULL;
  GstMessage *msg;
  gboolean have;

  init_debug ();

  GST_OBJECT_LOCK (element);
  have = *runtime != NULL;
  GST_OBJECT_UNLOCK (element);
  if (have)
    return TRUE;

  /* 1. Downstream, 2. upstream */
  query = gst_query_new_context (GST_RK_RUNTIME_CONTEXT_TYPE);
  if (query_peers (element, query, GST_PAD_SRC) ||
      query_peers (element, query, GST_PAD_SINK)) {
    gst_query_parse_context (query, &context);
    GST_DEBUG_OBJECT (element, "found runtime context through a peer");
    set_from_context (element, context);
  }
  gst_query_unref (query);

  /* 3. Ask the application and the bins */
  GST_OBJECT_LOCK (element);
  have = *runtime != NULL;
  GST_OBJECT_UNLOCK (element);
  if (!have) {
    msg = gst_message_new_need_context (GST_OBJECT (element),
        GST_RK_RUNTIME_CONTEXT_TYPE);
    gst_element_post_message (element, msg);
  }

  /* 4. Make one and announce it */
  GST_OBJECT_LOCK (element);
  have = *runtime != NULL;
  GST_OBJECT_UNLOCK (element);
  if (!have) {
    GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, device_id);

    GST_INFO_OBJECT (element, "made a new runtime %" GST_PTR_FORMAT, rt);
    context = gst_rk_context_new (rt);
    gst_object_unref (rt);
    set_from_context (element, context);
    msg = gst_message_new_have_context (GST_OBJECT (element), context);
    gst_element_post_message (element, msg);
  }

  GST_OBJECT_LOCK (element);
  have = *runtime != NULL;
  GST_OBJECT_UNLOCK (element);
  return have;
}
