/* Pushing one message through a running kernel from a fuzz target, so that
 * what the fuzz input configured reaches the kernel's process code. Needs
 * the runtime's internals (ringkernel_internal_dep). */
#ifndef __RK_FUZZ_KERNEL_H__
#define __RK_FUZZ_KERNEL_H__

#include <string.h>
#include "ringkernel.h"
#include "gstrkaudio.h"
#include "gstrkframe.h"
#include "fuzzbytes.h"

/* Larger frames are not pushed: the fuzzer is after logic, not memory. */
#define RK_FUZZ_MAX_FRAME (1 << 20)

/* The size of one whole input for @caps (one video frame, 64 audio frames,
 * 64 bytes otherwise); 0 when the caps describe none that small. */
static inline gsize
rk_fuzz_frame_size (const GstCaps *caps)
{
  const GstStructure *s;
  guint32 format, width, height, offset[3], stride[3], size;
  guint32 channels, rate;

  if (caps == NULL || !gst_caps_is_fixed (caps))
    return 64;
  s = gst_caps_get_structure (caps, 0);
  if (gst_structure_has_name (s, "video/x-raw")) {
    if (!gst_rk_video_caps_parse (caps, &format, &width, &height, NULL)
        || !gst_rk_frame_layout (format, width, height, offset, stride, &size)
        || size > RK_FUZZ_MAX_FRAME)
      return 0;
    return size;
  }
  if (gst_structure_has_name (s, "audio/x-raw")) {
    if (!gst_rk_audio_caps_parse (caps, &channels, &rate, NULL)
        || (gsize) channels * 4 * 64 > RK_FUZZ_MAX_FRAME)
      return 0;
    return (gsize) channels * 4 * 64;
  }
  return 64;
}

/* Sends one @size-byte message filled from @b and waits until the kernel
 * processed it (draining its outputs) or failed. FALSE when the kernel is
 * in error and must be replaced. A refusal is fine; a hang is a finding
 * (the runner's -timeout). */
static inline gboolean
rk_fuzz_push (GstRkKernel *k, gsize size, RkFuzzBytes *b)
{
  GstStructure *stats = gst_rk_kernel_get_stats (k);
  guint64 before = 0, now = 0;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;
  GstRkMessage msg;

  gst_structure_get_uint64 (stats, "processed", &before);
  gst_structure_free (stats);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < size; i++)
    map.data[i] = b->left ? rk_fuzz_take8 (b) : (guint8) (i * 31);
  gst_buffer_unmap (buf, &map);
  if (!gst_rk_kernel_send (k, buf, RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL,
          NULL))
    return gst_rk_kernel_check (k, NULL);
  while (now <= before) {
    while (gst_rk_kernel_try_receive (k, &msg, NULL))
      gst_rk_message_clear (&msg);
    if (!gst_rk_kernel_check (k, NULL))
      return FALSE;
    stats = gst_rk_kernel_get_stats (k);
    gst_structure_get_uint64 (stats, "processed", &now);
    gst_structure_free (stats);
    if (now <= before)
      g_usleep (50);
  }
  while (gst_rk_kernel_try_receive (k, &msg, NULL))
    gst_rk_message_clear (&msg);
  return TRUE;
}

#endif /* __RK_FUZZ_KERNEL_H__ */
