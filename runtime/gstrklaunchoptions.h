/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef __GST_RK_LAUNCH_OPTIONS_H__
#define __GST_RK_LAUNCH_OPTIONS_H__

#include <glib.h>
#include "gstrkapi.h"

G_BEGIN_DECLS

/**
 * GstRkKernelMode:
 * @GST_RK_KERNEL_MODE_AUTO: let the kernel choose: persistent for message
 *   actors, event-driven for data-parallel frame kernels
 * @GST_RK_KERNEL_MODE_PERSISTENT: launched once, polls its input queue
 * @GST_RK_KERNEL_MODE_EVENT_DRIVEN: one dispatch per message or per batch
 */
typedef enum
{
  GST_RK_KERNEL_MODE_AUTO,
  GST_RK_KERNEL_MODE_PERSISTENT,
  GST_RK_KERNEL_MODE_EVENT_DRIVEN,
} GstRkKernelMode;

GST_RK_API
const gchar *gst_rk_kernel_mode_get_name (GstRkKernelMode mode);

/* Limits enforced by gst_rk_launch_options_validate(); backends may refuse
 * smaller values against a device's own limits at launch. */
#define GST_RK_MAX_QUEUE_CAPACITY     (1u << 20)
#define GST_RK_MAX_GRID_SIZE          65535u
#define GST_RK_MAX_BLOCK_SIZE         1024u
#define GST_RK_MAX_SHARED_MEMORY_SIZE (256u * 1024u)

#define GST_RK_DEFAULT_QUEUE_CAPACITY 1024u
#define GST_RK_DEFAULT_BLOCK_SIZE     256u

/**
 * GstRkLaunchOptions:
 * @mode: execution mode
 * @grid_size: number of blocks; 0 lets the backend choose (on the CPU: one
 *   block per core for data-parallel kernels)
 * @block_size: threads per block
 * @input_queue_capacity: input queue slots; rounded up to a power of two
 * @output_queue_capacity: output queue slots; rounded up to a power of two
 * @shared_memory_size: bytes of block-shared memory
 * @auto_activate: activate right after launch
 * @receiver_drives: a kernel that a host thread runs (every CPU kernel)
 *   runs on the thread that takes its outputs (gst_rk_kernel_next_item(),
 *   receive, call, flush) instead of a thread of its own: an element's src
 *   task is its kernel's thread, so a buffer crosses one thread boundary
 *
 * The seed's LaunchOptions. Unlike the seed, the default mode is
 * %GST_RK_KERNEL_MODE_AUTO so that each kernel runs in the mode it suits.
 */
typedef struct
{
  GstRkKernelMode mode;
  guint32 grid_size;
  guint32 block_size;
  guint32 input_queue_capacity;
  guint32 output_queue_capacity;
  guint32 shared_memory_size;
  gboolean auto_activate;
  gboolean receiver_drives;
} GstRkLaunchOptions;

GST_RK_API
void gst_rk_launch_options_init (GstRkLaunchOptions * opts);
GST_RK_API
gboolean gst_rk_launch_options_validate (GstRkLaunchOptions * opts,
    GError ** error);

G_END_DECLS

#endif /* __GST_RK_LAUNCH_OPTIONS_H__ */
