/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrklaunchoptionsprivate.h"
#include "gstrkerror.h"

/**
 * gst_rk_kernel_mode_get_name:
 * @mode: a mode
 *
 * Returns: (transfer none): its name in properties and stats
 */
const gchar *
gst_rk_kernel_mode_get_name (GstRkKernelMode mode)
{
  switch (mode) {
    case GST_RK_KERNEL_MODE_AUTO:
      return "auto";
    case GST_RK_KERNEL_MODE_PERSISTENT:
      return "persistent";
    case GST_RK_KERNEL_MODE_EVENT_DRIVEN:
      return "event-driven";
  }
  return "invalid";
}

/**
 * gst_rk_launch_options_init:
 * @opts: the options to fill
 *
 * The seed's defaults: grid 1 (here 0, "backend chooses"), block 256,
 * queues of 1024 slots, no shared memory, auto-activate.
 */
void
gst_rk_launch_options_init (GstRkLaunchOptions * opts)
{
  opts->mode = GST_RK_KERNEL_MODE_AUTO;
  opts->grid_size = 0;
  opts->block_size = GST_RK_DEFAULT_BLOCK_SIZE;
  opts->input_queue_capacity = GST_RK_DEFAULT_QUEUE_CAPACITY;
  opts->output_queue_capacity = GST_RK_DEFAULT_QUEUE_CAPACITY;
  opts->shared_memory_size = 0;
  opts->auto_activate = TRUE;
  opts->receiver_drives = FALSE;
}

guint32
gst_rk_round_up_pow2 (guint32 v)
{
  if (v <= 1)
    return 1;
  return 1u << g_bit_storage (v - 1);
}

static gboolean
check_capacity (const gchar * what, guint32 * capacity, GError ** error)
{
  if (*capacity == 0) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s is 0: a queue needs at least one slot", what);
    return FALSE;
  }
  if (*capacity > GST_RK_MAX_QUEUE_CAPACITY) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s %u is larger than the maximum of %u slots", what, *capacity,
        GST_RK_MAX_QUEUE_CAPACITY);
    return FALSE;
  }
  /* Rings index with a mask, so capacities are powers of two. */
  *capacity = gst_rk_round_up_pow2 (*capacity);
  return TRUE;
}

/**
 * gst_rk_launch_options_validate:
 * @opts: the options to check
 * @error: return location for a #GError
 *
 * Checks every field and rounds the queue capacities up to the next power of
 * two (a capacity of 1000 becomes 1024).
 *
 * Returns: %TRUE when valid; %FALSE with GST_RK_ERROR_INVALID_ARGUMENT
 * naming the field on the first bad value
 */
gboolean
gst_rk_launch_options_validate (GstRkLaunchOptions * opts, GError ** error)
{
  if (opts->mode > GST_RK_KERNEL_MODE_EVENT_DRIVEN) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "mode %d is not a kernel mode", opts->mode);
    return FALSE;
  }
  if (!check_capacity ("input-queue-capacity", &opts->input_queue_capacity,
          error))
    return FALSE;
  if (!check_capacity ("output-queue-capacity", &opts->output_queue_capacity,
          error))
    return FALSE;
  if (opts->grid_size > GST_RK_MAX_GRID_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "grid-size %u is larger than the maximum of %u blocks",
        opts->grid_size, GST_RK_MAX_GRID_SIZE);
    return FALSE;
  }
  if (opts->block_size == 0 || opts->block_size > GST_RK_MAX_BLOCK_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "block-size %u is outside 1 to %u threads", opts->block_size,
        GST_RK_MAX_BLOCK_SIZE);
    return FALSE;
  }
  if (opts->shared_memory_size > GST_RK_MAX_SHARED_MEMORY_SIZE) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "shared-memory-size %u is larger than the maximum of %u bytes",
        opts->shared_memory_size, GST_RK_MAX_SHARED_MEMORY_SIZE);
    return FALSE;
  }
  return TRUE;
}
