/* The call pattern from a pipeline: an application speaks the message
 * protocol through appsrc and appsink with application/x-ringkernel caps.
 * Each buffer is one message: a 64-byte envelope, then its payload. The
 * application sends REQUESTs with correlation ids of its own and matches
 * the REPLYs by them.
 *
 *   build/pipelines/examples/rk-appsrc-call build/pipelines/examples/counter.so
 */
#include <string.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include "ringkernel.h"

static GstBuffer *
request (guint64 correlation_id)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, RK_ENVELOPE_SIZE + 8, NULL);
  GstRkEnvelope env;
  GstMapInfo map;

  gst_rk_envelope_init (&env, RK_MSG_REQUEST);
  env.flags = RK_FLAG_INLINE;
  env.payload_size = 8;
  env.correlation_id = correlation_id;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_rk_envelope_encode (&env, map.data);
  memset (map.data + RK_ENVELOPE_SIZE, 0, 8);
  gst_buffer_unmap (buf, &map);
  return buf;
}

int
main (int argc, char **argv)
{
  GstElement *pipeline, *src, *sink;
  gchar *desc;
  int ret = 0;

  gst_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: %s KERNEL-FILE\n", argv[0]);
    return 2;
  }
  desc = g_strdup_printf ("appsrc name=in caps=application/x-ringkernel ! "
      "ringkernel kernel-file=\"%s\" ! appsink name=out sync=false", argv[1]);
  pipeline = gst_parse_launch (desc, NULL);
  g_free (desc);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "in");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  for (guint64 id = 100; id < 105 && ret == 0; id++) {
    GstSample *sample;
    GstRkEnvelope env;
    GstMapInfo map;
    GError *err = NULL;

    gst_app_src_push_buffer (GST_APP_SRC (src), request (id));
    sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), GST_SECOND);
    if (sample == NULL) {
      g_printerr ("no reply to request %" G_GUINT64_FORMAT "\n", id);
      ret = 1;
      break;
    }
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    if (gst_rk_envelope_decode (map.data, map.size, &env, &err)) {
      g_print ("%s for correlation %" G_GUINT64_FORMAT ": count %u\n",
          gst_rk_message_type_get_name (env.type), env.correlation_id,
          map.data[RK_ENVELOPE_SIZE]);
      if (env.type != RK_MSG_REPLY || env.correlation_id != id)
        ret = 1;
    } else {
      g_printerr ("bad reply: %s\n", err->message);
      g_error_free (err);
      ret = 1;
    }
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return ret;
}
