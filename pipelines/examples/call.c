/* Calling a user kernel from C, the seed's call pattern: each call sends a
 * request under a fresh correlation id and waits (with a timeout) for the
 * reply carrying it.
 *
 *   build/pipelines/examples/rk-call build/pipelines/examples/counter.so
 */
#include <gst/gst.h>
#include "ringkernel.h"

int
main (int argc, char **argv)
{
  const GstRkKernelInfo *info;
  GstRkBackendKind backend;
  GstRkRuntime *rt;
  GstRkKernel *k;
  GError *err = NULL;

  gst_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: %s KERNEL-FILE\n", argv[0]);
    return 2;
  }

  /* Load the kernel file (its kind picks the backend), then launch it. */
  info = gst_rk_user_kernel_load (argv[1], NULL, 0, NULL, &backend, &err);
  if (info == NULL) {
    g_printerr ("%s\n", err->message);
    return 1;
  }
  rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  k = gst_rk_runtime_launch (rt, info->name, "my-kernel", backend, -1, NULL,
      NULL, &err);
  if (k == NULL) {
    g_printerr ("%s\n", err->message);
    return 1;
  }

  for (guint i = 0; i < 5; i++) {
    GstRkMessage reply;
    GstMapInfo map;

    if (!gst_rk_kernel_call (k, gst_buffer_new_allocate (NULL, 8, NULL),
            G_USEC_PER_SEC, &reply, &err)) {
      g_printerr ("call %u: %s\n", i, err->message);
      return 1;
    }
    gst_buffer_map (reply.payload, &map, GST_MAP_READ);
    g_print ("reply %u: %" G_GSIZE_FORMAT " bytes, first %u, correlation "
        "%" G_GINT64_MODIFIER "x, HLC %" G_GUINT64_FORMAT ".%u\n", i, map.size,
        map.size ? map.data[0] : 0, reply.env.correlation_id,
        reply.env.hlc_physical, reply.env.hlc_logical);
    gst_buffer_unmap (reply.payload, &map);
    gst_rk_message_clear (&reply);
  }

  gst_rk_runtime_shutdown (rt, NULL);
  gst_object_unref (k);
  gst_object_unref (rt);
  return 0;
}
