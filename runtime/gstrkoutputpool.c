/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The pool a kernel's new output buffers come from: a plain GstBufferPool
 * that tells ThreadSanitizer how its buffers change threads.
 *
 * The consumer (a downstream element, an application) releases a buffer
 * in its own thread; the dispatcher acquires it again, or frees it when the
 * pool is replaced, in another. GstBufferPool hands the buffer over through
 * a lock-free queue inside libgstreamer, which is built without TSan, so
 * TSan would take the consumer's last read and the dispatcher's next write
 * for a race. Release and acquire are annotated here, as gstrksync.h does
 * for our own locks; without -fsanitize=thread this is GstBufferPool.
 */

#include "gstrkoutputpool.h"
#include "gstrksync.h"

struct _GstRkOutputPool
{
  GstBufferPool parent;
};

G_DEFINE_TYPE (GstRkOutputPool, gst_rk_output_pool, GST_TYPE_BUFFER_POOL);

static GstFlowReturn
gst_rk_output_pool_acquire_buffer (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  GstFlowReturn ret = GST_BUFFER_POOL_CLASS
      (gst_rk_output_pool_parent_class)->acquire_buffer (pool, buffer, params);

  GST_RK_TSAN_ACQUIRE (pool);
  return ret;
}

static void
gst_rk_output_pool_release_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GST_RK_TSAN_RELEASE (pool);
  GST_BUFFER_POOL_CLASS (gst_rk_output_pool_parent_class)->release_buffer
      (pool, buffer);
}

/* Deactivating the pool frees what consumers gave back. */
static void
gst_rk_output_pool_free_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GST_RK_TSAN_ACQUIRE (pool);
  GST_BUFFER_POOL_CLASS (gst_rk_output_pool_parent_class)->free_buffer
      (pool, buffer);
}

static void
gst_rk_output_pool_class_init (GstRkOutputPoolClass * klass)
{
  GstBufferPoolClass *pool_class = GST_BUFFER_POOL_CLASS (klass);

  pool_class->acquire_buffer = gst_rk_output_pool_acquire_buffer;
  pool_class->release_buffer = gst_rk_output_pool_release_buffer;
  pool_class->free_buffer = gst_rk_output_pool_free_buffer;
}

static void
gst_rk_output_pool_init (GstRkOutputPool * self)
{
}

/**
 * gst_rk_output_pool_new:
 *
 * Returns: (transfer full): a new, unconfigured pool.
 */
GstBufferPool *
gst_rk_output_pool_new (void)
{
  return g_object_ref_sink (g_object_new (GST_TYPE_RK_OUTPUT_POOL, NULL));
}
