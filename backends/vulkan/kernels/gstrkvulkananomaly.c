/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gstrkvulkankernel.h"
#include "gstrkaudio.h"
#include "gstrkerrorprivate.h"
#include "gstrkkernellayouts.h"

/* kernels/anomaly.comp: event-driven only, one pass per chunk of frames,
 * then one that counts the frames. */
static const guint32 anomaly_bulk[] =
#include "anomaly-bulk.spv.h"
    ;

#define CHUNK 4096              /* anomaly.comp's */
#define AUX_HEADER 16
/* Anomalies one buffer may have on this backend (anomaly.comp's): a
 * buffer with more fails the kernel with an error saying so (none is
 * dropped silently). */
#define MAX_EVENTS 16384

/* anomaly.comp's Record */
typedef struct
{
  guint32 channel;
  guint32 frame;
  guint64 offset;
  gdouble mean;
  gdouble m2;
  gfloat value;
  guint32 pad;
} Record;

G_STATIC_ASSERT (sizeof (Record) == 40);

static gboolean
anomaly_check (GstRkConfig * config, GstBuffer * in, GError ** error)
{
  const GstRkParams *p = &config->params;

  if (p->in_format != RK_FORMAT_F32LE || config->state_size <
      sizeof (GstRkAnomalyState) + (gsize) 2 * p->channels * sizeof (gdouble)) {
    gst_rk_error_not_negotiated (error, "anomaly");
    return FALSE;
  }
  if (in == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "rkanomaly received a message without audio");
    return FALSE;
  }
  return gst_rk_audio_check_input (p, gst_buffer_get_size (in), error);
}

static gsize
anomaly_output_size (const GstRkParams * p, gsize in_size)
{
  return 0;
}

static guint
anomaly_capacity (GstRkConfig * config, gsize in_size)
{
  gsize samples = in_size / 4;

  return (guint) MIN (samples, MAX_EVENTS);
}

static guint
anomaly_passes (GstRkConfig * config, gsize in_size)
{
  gsize frames = in_size / ((gsize) config->params.channels * 4);

  return (guint) ((frames + CHUNK - 1) / CHUNK) + 1;
}

static void
anomaly_pass_grid (GstRkConfig * config, gsize in_size, guint pass,
    guint32 groups[3])
{
  groups[0] = (config->params.channels + 63) / 64;
}

static gsize
anomaly_aux_size (GstRkConfig * config, gsize in_size)
{
  return AUX_HEADER + (gsize) anomaly_capacity (config, in_size) *
      sizeof (Record);
}

static gint
record_cmp (gconstpointer a, gconstpointer b)
{
  const Record *x = a, *y = b;

  if (x->frame != y->frame)
    return x->frame < y->frame ? -1 : 1;
  return x->channel < y->channel ? -1 : x->channel > y->channel;
}

/* The anomalies in (frame, channel) order, each with the CPU's z and
 * stddev formulas, then the buffer itself */
static gboolean
anomaly_collect (GstRkVulkanCollect * c, GError ** error)
{
  GstBuffer *in = c->msg->payload;
  GstClockTime pts = GST_BUFFER_PTS (in);
  guint32 count, capacity = anomaly_capacity (c->config,
      gst_buffer_get_size (in));
  Record *records;

  memcpy (&count, c->aux, sizeof (count));
  if (count > capacity) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "rkanomaly found %u anomalies in one buffer, more than the %u the "
        "Vulkan backend reports per buffer: use smaller buffers, a higher "
        "z-threshold or backend=cpu", count, capacity);
    return FALSE;
  }
  /* g_memdup2 of 0 bytes is NULL, which qsort may not be given */
  records = g_memdup2 (c->aux + AUX_HEADER, (gsize) count * sizeof (Record));
  if (count > 1)
    qsort (records, count, sizeof (Record), record_cmp);
  for (guint i = 0; i < count; i++) {
    const Record *r = &records[i];
    GstRkAnomalyEvent ev = { 0, };

    ev.channel = r->channel;
    ev.offset = r->offset;
    ev.value = r->value;
    ev.mean = r->mean;
    ev.stddev = sqrt (r->m2 / (gdouble) r->offset);
    ev.z = (ev.value - ev.mean) / ev.stddev;
    ev.timestamp = GST_CLOCK_TIME_IS_VALID (pts) ? pts +
        gst_util_uint64_scale_int (r->frame, GST_SECOND,
        c->config->params.rate) : GST_CLOCK_TIME_NONE;
    gst_rk_vulkan_collect_push (c, RK_MSG_NOTIFY,
        gst_buffer_new_memdup (&ev, sizeof (ev)));
  }
  g_free (records);
  gst_rk_vulkan_collect_push_input (c);
  return TRUE;
}

const GstRkVulkanKernel gst_rk_vulkan_kernel_anomaly = {
  .name = "anomaly",
  .bulk = GST_RK_VULKAN_SHADER (anomaly_bulk),
  .check = anomaly_check,
  .output_size = anomaly_output_size,
  .features = GST_RK_VULKAN_NEEDS_FLOAT64,
  .passes = anomaly_passes,
  .pass_grid = anomaly_pass_grid,
  .aux_size = anomaly_aux_size,
  .collect = anomaly_collect,
};
