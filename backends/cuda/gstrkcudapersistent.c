/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The host side of a persistent CUDA kernel (protocol in
 * gstrkcudaprotocol.h, device side in gstrkcudaloop.h).
 *
 * Staging. The runtime publishes inputs into the input ring; the stager
 * then prepares each position for the device, in order: parameters, state,
 * blob, scratch and arena addresses into the position's stage record, and a
 * payload that did not fit inline into an arena slot (a copy on the copy
 * stream, which overlaps the device's compute of the frames before). Last
 * it sets the record's seq. The stager never waits for the device: what
 * needs a free arena slot, or new state, a new blob, more scratch or bigger
 * slots (once the device is done with the old ones), is left pending and
 * retried by the poller thread as the device makes progress. So a sender
 * never blocks in the backend, only on the runtime's full queue, which
 * flushing unblocks. A configuration's blob is uploaded once, when the
 * first message that needs other tables is staged: the change applies
 * exactly from that message.
 *
 * Outputs that are the input unchanged (RK_CUDA_REF_INPUT) are the input's
 * own buffer: the stager keeps it until fetch hands it on.
 *
 * Progress. The device writes the input ring's tail, the output ring's head
 * and counters in the control block, but cannot wake host threads. A poller
 * thread per kernel turns its progress into wake-ups, pumps pending staging,
 * frees retired arena slots and runs the heartbeat watchdog; host waits
 * also look again on their own every HOST_POLL_US. The device's counts
 * reach the runtime's counters when the stats are read.
 */

#include <string.h>

#include "gstrkcudapersistent.h"
#include "gstrkcudaprotocol.h"
#include "gstrkerror.h"
#include "gstrksync.h"
#include "gstrkwakeup.h"

GST_DEBUG_CATEGORY_EXTERN (gst_rk_cuda_debug);
#define GST_CAT_DEFAULT gst_rk_cuda_debug

/* Ring slots: an envelope and up to 192 bytes of inline payload */
#define SLOT_SIZE         256u
#define INLINE_MAX        (SLOT_SIZE - RK_ENVELOPE_SIZE)

/* Device side: heartbeat period and longest idle sleep */
#define HEARTBEAT_NS      (1000 * 1000)
#define MAX_BACKOFF_NS    8000u

/* Host side: how often host waits look at the rings on their own (a safety
 * net: the poller wakes them), and the poller's shortest and longest sleeps
 * (short while work is in flight) */
#define HOST_POLL_US      2000
/* A receiver's spin while its inputs are on the GPU (bounded: a frame may
 * take longer, and then the poller wakes it) */
#define RECEIVER_SPIN_US 50
#define POLL_MIN_US       10
#define POLL_BUSY_MAX_US  200
#define POLL_IDLE_MAX_US  2000
#define HEALTH_PERIOD_US  (10 * 1000)

struct _GstRkCudaPersistent
{
  GstRkKernel *kernel;
  GstRkCudaDevice *dev;
  const GstRkCudaOps *ops;
  const GstRkCudaKernel *impl;
  const gchar *name;            /* registry name: errors, injected faults */
  GstRkCudaFunction *function;
  GstRkCudaStream *run_stream;  /* the persistent kernel */
  GstRkCudaStream *copy_stream; /* copy-in, fills */
  GstRkCudaStream *fetch_stream;        /* copy-out */
  guint grid_size;
  guint block_size;
  gsize shared_size;
  guint per_sm;                 /* blocks of this shape on one SM */
  gboolean blocks_reserved;

  /* Mapped: control block | input ring | output ring | stage records */
  GstRkCudaHostMem mapped;
  RkCudaControl *ctrl;
  RkCudaRingHeader *in_header;
  RkCudaRingHeader *out_header;
  guint8 *in_slots;
  RkCudaStage *stages;
  guint32 in_capacity;
  guint32 out_capacity;
  GstRkCudaMem scratch;
  RkCudaPersistentArgs args;

  /* Staging, under stage_lock */
  GMutex stage_lock;
  guint64 staged;               /* next input position to stage */
  gint pending;                 /* a position waits for the device */
  gint aborting;
  guint frames;                 /* arena slots */
  GstRkCudaSlots in_arena;      /* device memory */
  guint in_next;                /* input arena slots, used in turn: */
  guint64 in_used[GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT];    /* position + 1 */
  GstRkCudaMem state;
  gboolean have_state;          /* state allocated for state.size bytes */
  gboolean fresh_state;         /* its kernel's init has yet to run */
  GstRkCudaMem blob_mem;        /* the configuration's tables */
  GstRkCudaBlob blob;
  GstRkCudaMem work;            /* the kernel's scratch memory */
  guint64 stats_state_size;     /* publish_sizes() */
  guint64 stats_blob_size;

  /* Output arena slots (device memory), under arena_lock: the stager
   * replaces them, fetch reads from them. Replaced ones wait in retired
   * until the host has taken every output made in them. */
  GMutex arena_lock;
  GstRkCudaMem out_arena;
  gsize out_slot_size;
  GArray *retired;              /* of Retired */
  GQueue kept;                  /* of Kept: inputs their outputs pass on */
  GPtrArray *held;              /* of Held: host memory of copies that
                                 * did not finish in time */

  /* Progress and health, under sync_lock */
  GMutex sync_lock;
  guint64 synced_processed;
  guint64 synced_discarded;
  guint64 seen_out_head;
  guint64 seen_in_tail;
  guint64 last_heartbeat;
  gint64 heartbeat_time;
  gint failed;
  gint terminating;

  /* Poller thread */
  GThread *poller;
  GstRkWakeup poller_wakeup;
  gint kicked;
  gint napping;                 /* in a long sleep: senders wake it */
  gint stop;
};

G_STATIC_ASSERT (GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT <= RK_CUDA_MAX_ARENA_SLOTS);

typedef struct
{
  GstRkCudaMem mem;
  guint64 until;                /* output position after its last output */
} Retired;

typedef struct
{
  guint64 message_id;
  GstBuffer *buffer;
} Kept;

typedef struct
{
  GstBuffer *buffer;
  GstMapInfo map;
} Held;

/* ---- Memory layout ---- */

static gsize
ring_size (guint32 capacity)
{
  return gst_rk_ring_memory_size (capacity, SLOT_SIZE);
}

static guint64
dev_addr (GstRkCudaPersistent * p, gconstpointer host)
{
  return p->mapped.device + (guint64) ((const guint8 *) host -
      (const guint8 *) p->mapped.host);
}

static RkCudaStage *
stage_of (GstRkCudaPersistent * p, guint64 pos)
{
  return &p->stages[pos & (p->in_capacity - 1)];
}

static guint64
in_tail (GstRkCudaPersistent * p)
{
  return __atomic_load_n (&p->in_header->tail, __ATOMIC_ACQUIRE);
}

static guint64
out_head (GstRkCudaPersistent * p)
{
  return __atomic_load_n (&p->out_header->head, __ATOMIC_ACQUIRE);
}

/* ---- Errors ---- */

static void
fail (GstRkCudaPersistent * p, GError * error)
{
  g_atomic_int_set (&p->failed, 1);
  gst_rk_kernel_post_error (p->kernel, error);
}

static gchar *
device_error_text (GstRkCudaPersistent * p, guint32 code)
{
  guint64 arg = __atomic_load_n (&p->ctrl->error_arg, __ATOMIC_ACQUIRE);

  switch (code) {
    case RK_CUDA_ERROR_OUTPUT_OVERFLOW:
      return g_strdup_printf ("CUDA kernel %s stopped: the output of message "
          "%" G_GUINT64_FORMAT " does not fit its slot",
          GST_OBJECT_NAME (p->kernel), arg);
    default:
      return g_strdup_printf ("CUDA kernel %s stopped: device error %u",
          GST_OBJECT_NAME (p->kernel), code);
  }
}

/* The watchdog: a device-side fault, a failed or vanished launch, or a
 * heartbeat that stopped. sync_lock held. */
static gboolean
check_health (GstRkCudaPersistent * p, GError ** error)
{
  guint32 code = __atomic_load_n (&p->ctrl->error, __ATOMIC_ACQUIRE);
  GError *err = NULL;
  guint64 beat;
  gint64 now;

  if (code != RK_CUDA_ERROR_NONE) {
    gchar *text = device_error_text (p, code);

    g_set_error_literal (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE, text);
    g_free (text);
    return FALSE;
  }
  switch (p->ops->query (p->run_stream, &err)) {
    case GST_RK_CUDA_STREAM_FAILED:
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "CUDA kernel %s failed: %s", GST_OBJECT_NAME (p->kernel),
          err->message);
      g_error_free (err);
      return FALSE;
    case GST_RK_CUDA_STREAM_IDLE:
      if (!g_atomic_int_get (&p->terminating)) {
        g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
            "CUDA kernel %s exited on its own", GST_OBJECT_NAME (p->kernel));
        return FALSE;
      }
      return TRUE;
    case GST_RK_CUDA_STREAM_BUSY:
      break;
  }

  beat = __atomic_load_n (&p->ctrl->heartbeat, __ATOMIC_ACQUIRE);
  now = g_get_monotonic_time ();
  if (beat != p->last_heartbeat || p->heartbeat_time == 0) {
    p->last_heartbeat = beat;
    p->heartbeat_time = now;
  } else if (now - p->heartbeat_time > GST_RK_CUDA_WATCHDOG_MS * 1000) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "CUDA kernel %s stopped responding: no heartbeat for %d ms",
        GST_OBJECT_NAME (p->kernel), GST_RK_CUDA_WATCHDOG_MS);
    return FALSE;
  }
  return TRUE;
}

/* ---- Progress back to the runtime ---- */

/* Wakes host waiters when the device moved a ring index. sync_lock held.
 * Returns whether anything moved. */
static gboolean
notify_progress (GstRkCudaPersistent * p)
{
  guint64 tail = in_tail (p), head = out_head (p);

  if (tail == p->seen_in_tail && head == p->seen_out_head)
    return FALSE;
  p->seen_in_tail = tail;
  p->seen_out_head = head;
  gst_rk_kernel_notify_host (p->kernel);
  return TRUE;
}

/* Hands the device's counts to the runtime. Only the stats read these
 * counters, and only they (and terminate) call this, under sync_lock: so a
 * stats structure gets exact counts. Returns the discards it added. */
static guint64
count_progress (GstRkCudaPersistent * p)
{
  guint64 processed = __atomic_load_n (&p->ctrl->processed, __ATOMIC_ACQUIRE);
  guint64 discarded = __atomic_load_n (&p->ctrl->discarded, __ATOMIC_ACQUIRE);
  guint64 new_discards = discarded - p->synced_discarded;

  if (processed != p->synced_processed)
    gst_rk_kernel_count_processed (p->kernel,
        processed - p->synced_processed);
  if (new_discards)
    gst_rk_kernel_count_flushed (p->kernel, new_discards);
  p->synced_processed = processed;
  p->synced_discarded = discarded;
  return new_discards;
}

/* ---- Staging ---- */

typedef enum
{
  STAGED,
  STAGE_LATER,
} StageResult;

static void
publish_seq (GstRkCudaPersistent * p, RkCudaStage * st, guint64 pos)
{
  __atomic_store_n (&st->seq, pos + 1, __ATOMIC_RELEASE);
}

static void
take_sidecar (GstRkCudaPersistent * p, guint64 pos)
{
  GstRkSidecar *side = gst_rk_kernel_get_input_sidecar (p->kernel, pos);

  gst_clear_buffer (&side->payload);
  g_clear_pointer (&side->config, gst_rk_config_unref);
}

static StageResult
stage_discard (GstRkCudaPersistent * p, guint64 pos)
{
  RkCudaStage *st = stage_of (p, pos);

  st->flags = RK_CUDA_STAGE_DISCARD;
  take_sidecar (p, pos);
  publish_seq (p, st, pos);
  return STAGED;
}

/* The device is done with every input before @pos: their arena slots and
 * the state are free to replace. */
static gboolean
quiescent (GstRkCudaPersistent * p, guint64 pos)
{
  return in_tail (p) == pos;
}

/* get-stats reads the sizes of the state and tables from any thread while
 * the stager replaces them: it reads these copies, never the memory's own
 * fields (nor the tables' GBytes, which the stager may free). */
static void
publish_sizes (GstRkCudaPersistent * p)
{
  __atomic_store_n (&p->stats_state_size, (guint64) p->state.size,
      __ATOMIC_RELAXED);
  __atomic_store_n (&p->stats_blob_size,
      (guint64) gst_rk_cuda_blob_size (&p->blob), __ATOMIC_RELAXED);
}

static gboolean
ensure_state (GstRkCudaPersistent * p, gsize size, GError ** error)
{
  if (p->have_state && p->state.size == size)
    return TRUE;
  gst_rk_cuda_device_mem_free (p->dev, &p->state);
  p->have_state = FALSE;
  if (size > 0) {
    /* Fresh state is zeros, as on the CPU backend; a kernel with an init
     * function runs it before the next message. */
    if (!gst_rk_cuda_device_mem_alloc (p->dev, size, p->name, &p->state,
            error) ||
        !p->ops->fill (p->copy_stream, p->state.ptr, 0, size, error) ||
        !gst_rk_cuda_stream_sync (p->ops, p->copy_stream, error))
      return FALSE;
    p->fresh_state = (p->impl->flags & GST_RK_CUDA_KERNEL_HAS_INIT) != 0;
  }
  p->have_state = TRUE;
  publish_sizes (p);
  return TRUE;
}

/* Bigger output slots. Outputs still queued may live in the old ones: they
 * are all below the current output head (the device consumed every input
 * before this one), so the old slots go once the host has taken those. */
static gboolean
grow_out_arena (GstRkCudaPersistent * p, gsize size, GError ** error)
{
  GstRkCudaMem mem;

  size = (size + 4095) / 4096 * 4096;
  if (!gst_rk_cuda_device_mem_alloc (p->dev, size * p->frames, p->name, &mem,
          error))
    return FALSE;
  gst_rk_mutex_lock (&p->arena_lock);
  if (p->out_arena.ptr) {
    Retired r = { p->out_arena, out_head (p) };
    g_array_append_val (p->retired, r);
  }
  p->out_arena = mem;
  p->out_slot_size = size;
  gst_rk_mutex_unlock (&p->arena_lock);
  return TRUE;
}

/* Frees retired output slots the host is done with. The poller calls
 * it: it does not wait for the lock (the health check comes next). */
static void
reclaim_retired (GstRkCudaPersistent * p)
{
  guint64 tail = __atomic_load_n (&p->out_header->tail, __ATOMIC_ACQUIRE);

  if (!gst_rk_mutex_trylock (&p->arena_lock))
    return;
  for (guint i = p->retired->len; i > 0; i--) {
    Retired *r = &g_array_index (p->retired, Retired, i - 1);

    if (tail >= r->until) {
      gst_rk_cuda_device_mem_free (p->dev, &r->mem);
      g_array_remove_index (p->retired, i - 1);
    }
  }
  gst_rk_mutex_unlock (&p->arena_lock);
}

static gboolean
ensure_arenas (GstRkCudaPersistent * p, gsize in_size, gsize out_size,
    GError ** error)
{
  if (!gst_rk_cuda_slots_ensure (&p->in_arena, in_size, error))
    return FALSE;
  if (out_size > p->out_slot_size)
    return grow_out_arena (p, out_size, error);
  return TRUE;
}

/* A copy that did not finish in time may still run: its host memory stays
 * mapped until the streams are gone. */
static void
hold (GstRkCudaPersistent * p, GstBuffer * buffer, GstMapInfo * map)
{
  Held *h = g_new (Held, 1);

  h->buffer = buffer;
  h->map = *map;
  gst_rk_mutex_lock (&p->arena_lock);
  g_ptr_array_add (p->held, h);
  gst_rk_mutex_unlock (&p->arena_lock);
}

static void
held_free (gpointer data)
{
  Held *h = data;

  gst_buffer_unmap (h->buffer, &h->map);
  gst_buffer_unref (h->buffer);
  g_free (h);
}

/* Copies an arena payload into its slot, straight from the buffer, and
 * waits for the copy engine: the buffer's memory may be pinned (and so be
 * read asynchronously), and pinned staging memory would have to be
 * allocated while the kernel runs. The device's compute of the frames
 * before goes on meanwhile. */
static gboolean
copy_in (GstRkCudaPersistent * p, GstBuffer * payload, gsize size,
    RkCudaStage * st, guint64 pos, GError ** error)
{
  guint slot = p->in_next % p->frames;
  GstMapInfo map;
  gboolean ok;

  p->in_used[slot] = pos + 1;
  p->in_next++;
  st->in_ptr = gst_rk_cuda_slots_device (&p->in_arena, slot);
  if (!gst_buffer_map (payload, &map, GST_MAP_READ)) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_MALFORMED,
        "cannot read the buffer of message %" G_GUINT64_FORMAT, pos + 1);
    return FALSE;
  }
  if (!p->ops->copy_to_device (p->copy_stream, st->in_ptr, map.data, size,
          error)) {
    gst_buffer_unmap (payload, &map);
    return FALSE;
  }
  ok = gst_rk_cuda_stream_sync (p->ops, p->copy_stream, error);
  if (ok)
    gst_buffer_unmap (payload, &map);
  else
    hold (p, gst_buffer_ref (payload), &map);
  if (ok) {
    gst_rk_kernel_count_upload (p->kernel, size);
    publish_seq (p, st, pos);
  }
  return ok;
}

/* Bytes of output arena slot a message needs: its main output unless that
 * goes inline, and its extras area after the main output's region. */
static gsize
slot_bytes (gsize out_size, gsize extra_size)
{
  if (extra_size > 0)
    return RK_CUDA_ALIGN (out_size, RK_CUDA_MAIN_ALIGN) + extra_size;
  return out_size > INLINE_MAX ? out_size : 0;
}

/* The input's own buffer, for an output that passes it on */
static void
keep_input (GstRkCudaPersistent * p, guint64 pos, GstBuffer * payload)
{
  Kept *k = g_new (Kept, 1);

  k->message_id = pos + 1;
  k->buffer = gst_buffer_ref (payload);
  gst_rk_mutex_lock (&p->arena_lock);
  g_queue_push_tail (&p->kept, k);
  gst_rk_mutex_unlock (&p->arena_lock);
}

static StageResult
stage_one (GstRkCudaPersistent * p, guint64 pos)
{
  GstRkEnvelope *env = (GstRkEnvelope *) (p->in_slots +
      (gsize) (pos & (p->in_capacity - 1)) * SLOT_SIZE);
  GstRkSidecar *side = gst_rk_kernel_get_input_sidecar (p->kernel, pos);
  RkCudaStage *st = stage_of (p, pos);
  GstRkConfig *config = side->config;
  static const GstRkParams no_params;
  const GstRkParams *params = config ? &config->params : &no_params;
  gboolean host = (env->flags & RK_FLAG_HOST) && side->payload;
  gsize in_size = host ? gst_buffer_get_size (side->payload) :
      (env->flags & RK_FLAG_INLINE) ? env->payload_size : 0;
  gsize state_size = gst_rk_cuda_kernel_state_size (p->impl, config);
  gsize scratch_size = gst_rk_cuda_kernel_scratch_size (p->impl, config);
  gsize out_size = 0, extra_size = 0;
  GBytes *blob = NULL;
  gboolean new_blob;
  GError *err = NULL;
  GstClockTime pts;

  if (pos < gst_rk_kernel_get_flush_target (p->kernel))
    return stage_discard (p, pos);

  if (env->type != RK_MSG_CONTROL) {
    if (p->impl->validate && !p->impl->validate (config, params, in_size,
            &err)) {
      fail (p, err);
      return stage_discard (p, pos);
    }
    out_size = p->impl->output_size (params, in_size);
    extra_size = gst_rk_cuda_kernel_extra_size (p->impl, config, in_size);
  }

  /* New state, new tables, more scratch or bigger arena slots: only once
   * the device is done with the old ones. */
  new_blob = gst_rk_cuda_blob_check (&p->blob, p->impl, config, &blob);
  if (!p->have_state || p->state.size != state_size || new_blob ||
      scratch_size > p->work.size || (host && in_size > p->in_arena.size) ||
      slot_bytes (out_size, extra_size) > p->out_slot_size) {
    if (!quiescent (p, pos)) {
      if (blob)
        g_bytes_unref (blob);
      return STAGE_LATER;
    }
    if (new_blob) {
      if (!gst_rk_cuda_device_upload (p->dev, p->copy_stream, blob,
              p->name, &p->blob_mem, &err)) {
        g_bytes_unref (blob);
        goto device_error;
      }
      gst_rk_cuda_blob_set (&p->blob, config, blob);
      publish_sizes (p);
    }
    if (!ensure_state (p, state_size, &err) ||
        !gst_rk_cuda_device_mem_ensure (p->dev, scratch_size, p->name,
            &p->work, &err) || !ensure_arenas (p, host ? in_size : 0,
            slot_bytes (out_size, extra_size), &err))
      goto device_error;
  }
  /* An arena slot is free once the device consumed its previous user. */
  if (host && in_tail (p) < p->in_used[p->in_next % p->frames])
    return STAGE_LATER;

  pts = host ? GST_BUFFER_PTS (side->payload) :
      gst_rk_kernel_get_input_pts (p->kernel, pos);
  st->flags = 0;
  if (p->fresh_state && env->type != RK_MSG_CONTROL) {
    st->flags |= RK_CUDA_STAGE_INIT_STATE;
    p->fresh_state = FALSE;
  }
  st->in_size = (guint32) in_size;
  st->in_ptr = 0;
  st->out_arena = p->out_arena.ptr;
  st->out_slot_size = (guint32) p->out_slot_size;
  st->out_slots = p->frames;
  st->out_size = (guint32) out_size;
  st->extra_size = (guint32) extra_size;
  st->state_ptr = p->state.ptr;
  st->state_size = p->state.size;
  st->blob_ptr = gst_rk_cuda_blob_size (&p->blob) ? p->blob_mem.ptr : 0;
  st->blob_size = gst_rk_cuda_blob_size (&p->blob);
  st->scratch_ptr = p->work.ptr;
  st->scratch_size = p->work.size;
  st->pts = GST_CLOCK_TIME_IS_VALID (pts) ? pts : RK_CUDA_NO_TIME;
  memcpy (&st->params, params, sizeof (st->params));

  if (host) {
    if ((p->impl->flags & GST_RK_CUDA_KERNEL_PASSTHROUGH) &&
        env->type != RK_MSG_CONTROL)
      keep_input (p, pos, side->payload);
    if (!copy_in (p, side->payload, in_size, st, pos, &err)) {
      g_prefix_error (&err, "CUDA kernel %s: ", GST_OBJECT_NAME (p->kernel));
      fail (p, err);
      return stage_discard (p, pos);
    }
  } else {
    publish_seq (p, st, pos);
  }
  take_sidecar (p, pos);
  return STAGED;

device_error:
  g_prefix_error (&err, "CUDA kernel %s: ", GST_OBJECT_NAME (p->kernel));
  fail (p, err);
  return stage_discard (p, pos);
}

/* Stages what the runtime has published, as far as it can without waiting.
 * stage_lock held. */
static void
pump (GstRkCudaPersistent * p)
{
  guint64 head = __atomic_load_n (&p->in_header->head, __ATOMIC_ACQUIRE);

  while (p->staged < head && !g_atomic_int_get (&p->aborting)) {
    if (stage_one (p, p->staged) == STAGE_LATER) {
      g_atomic_int_set (&p->pending, 1);
      return;
    }
    p->staged++;
  }
  g_atomic_int_set (&p->pending, 0);
}

/* Wakes the poller from an idle sleep. While work flows it polls often on
 * its own, and a send then costs no system call. */
static void
kick_poller (GstRkCudaPersistent * p)
{
  if (!g_atomic_int_get (&p->napping))
    return;
  g_atomic_int_set (&p->kicked, 1);
  gst_rk_wakeup_notify (&p->poller_wakeup);
}

/* ---- The poller thread ---- */

static gboolean
poller_ready (gpointer data)
{
  GstRkCudaPersistent *p = data;

  return g_atomic_int_get (&p->kicked) || g_atomic_int_get (&p->stop);
}

static gpointer
poller_main (gpointer data)
{
  GstRkCudaPersistent *p = data;
  gint64 sleep_us = POLL_MIN_US, next_health = 0;

  while (!g_atomic_int_get (&p->stop)) {
    gboolean moved, busy;
    gint64 now;

    g_atomic_int_set (&p->kicked, 0);
    if (p->retired->len)
      reclaim_retired (p);
    /* A stager holding the lock pumps itself; it may be waiting for a
     * copy, and the health check must not wait behind it */
    if (g_atomic_int_get (&p->pending) &&
        gst_rk_mutex_trylock (&p->stage_lock)) {
      pump (p);
      gst_rk_mutex_unlock (&p->stage_lock);
    }

    gst_rk_mutex_lock (&p->sync_lock);
    moved = notify_progress (p);
    now = g_get_monotonic_time ();
    if (now >= next_health && !g_atomic_int_get (&p->failed)) {
      GError *err = NULL;

      if (!check_health (p, &err))
        fail (p, err);
      next_health = now + HEALTH_PERIOD_US;
    }
    busy = p->seen_in_tail != __atomic_load_n (&p->in_header->head,
        __ATOMIC_ACQUIRE) || p->seen_out_head !=
        __atomic_load_n (&p->out_header->tail, __ATOMIC_ACQUIRE);
    gst_rk_mutex_unlock (&p->sync_lock);

    if (moved)
      sleep_us = POLL_MIN_US;
    else
      sleep_us = MIN (sleep_us * 2, busy ? POLL_BUSY_MAX_US :
          POLL_IDLE_MAX_US);
    g_atomic_int_set (&p->napping, sleep_us > POLL_BUSY_MAX_US);
    gst_rk_wakeup_wait (&p->poller_wakeup, poller_ready, p, 0,
        g_get_monotonic_time () + sleep_us);
    g_atomic_int_set (&p->napping, 0);
  }
  return NULL;
}

/* ---- Lifecycle ---- */

static void
kept_free (gpointer data)
{
  Kept *k = data;

  gst_buffer_unref (k->buffer);
  g_free (k);
}

static void
free_all (GstRkCudaPersistent * p, gboolean device_done)
{
  if (device_done) {
    /* Nothing on the device can touch this memory any more. */
    g_clear_pointer (&p->copy_stream, p->ops->stream_free);
    g_clear_pointer (&p->fetch_stream, p->ops->stream_free);
    g_clear_pointer (&p->run_stream, p->ops->stream_free);
    g_ptr_array_set_size (p->held, 0);
    gst_rk_cuda_slots_clear (&p->in_arena);
    gst_rk_cuda_device_mem_free (p->dev, &p->out_arena);
    for (guint i = 0; i < p->retired->len; i++)
      gst_rk_cuda_device_mem_free (p->dev,
          &g_array_index (p->retired, Retired, i).mem);
    gst_rk_cuda_device_mem_free (p->dev, &p->state);
    gst_rk_cuda_device_mem_free (p->dev, &p->blob_mem);
    gst_rk_cuda_device_mem_free (p->dev, &p->work);
    gst_rk_cuda_device_mem_free (p->dev, &p->scratch);
    gst_rk_cuda_device_host_free (p->dev, &p->mapped);
    if (p->blocks_reserved)
      gst_rk_cuda_device_release_blocks (p->dev, p->grid_size, p->per_sm);
  }
  g_array_unref (p->retired);
  /* Left mapped when the device may still copy (it did not stop) */
  g_ptr_array_set_free_func (p->held, NULL);
  g_ptr_array_unref (p->held);
  g_queue_clear_full (&p->kept, kept_free);
  gst_rk_cuda_blob_clear (&p->blob);
  g_mutex_clear (&p->stage_lock);
  g_mutex_clear (&p->arena_lock);
  g_mutex_clear (&p->sync_lock);
  g_free (p);
}

/* Chooses the grid and checks that every block can stay resident. */
static gboolean
choose_grid (GstRkCudaPersistent * p, const GstRkLaunchOptions * opts,
    GError ** error)
{
  const GstRkKernelInfo *info = gst_rk_kernel_get_info (p->kernel);
  GstRkCudaDevice *dev = p->dev;
  guint per_sm;

  if (!dev->props.cooperative) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s cannot launch cooperative kernels: use mode=event-driven",
        dev->parent.name);
    return FALSE;
  }
  if (!dev->props.memory_pools) {
    /* Device memory changes while the kernel runs (state, tables, arena
     * slots); cuMemAlloc/cuMemFree would wait for it, forever */
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "%s has no memory pools (stream-ordered allocation), which "
        "persistent kernels need: use mode=event-driven", dev->parent.name);
    return FALSE;
  }
  p->block_size = opts->block_size;
  p->shared_size = opts->shared_memory_size;
  if (p->block_size > dev->props.max_block_size) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
        "block-size %u is more than the %u threads a block can have on %s",
        p->block_size, dev->props.max_block_size, dev->parent.name);
    return FALSE;
  }
  per_sm = p->ops->max_active_blocks (p->function, p->block_size,
      p->shared_size, error);
  if (per_sm == 0) {
    if (error && *error == NULL)
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_INVALID_ARGUMENT,
          "a block of %u threads with %" G_GSIZE_FORMAT " bytes of shared "
          "memory does not fit on an SM of %s", p->block_size, p->shared_size,
          dev->parent.name);
    return FALSE;
  }
  p->per_sm = per_sm;

  /* Default: one block for a message actor; the free part of the device
   * less some headroom for a frame kernel. */
  p->grid_size = opts->grid_size;
  if (p->grid_size == 0)
    p->grid_size = info->kind == GST_RK_KERNEL_KIND_FRAME ?
        gst_rk_cuda_device_default_grid (dev, per_sm) : 1;
  if (!gst_rk_cuda_device_reserve_blocks (dev, p->grid_size, per_sm,
          p->block_size, error))
    return FALSE;
  p->blocks_reserved = TRUE;
  return TRUE;
}

static gboolean
layout (GstRkCudaPersistent * p, const GstRkLaunchOptions * opts,
    GError ** error)
{
  gsize in_size, out_size, total;
  guint8 *base;

  p->in_capacity = opts->input_queue_capacity;
  p->out_capacity = opts->output_queue_capacity;
  in_size = ring_size (p->in_capacity);
  out_size = ring_size (p->out_capacity);
  total = RK_CTRL_SIZE + in_size + out_size +
      (gsize) p->in_capacity * RK_CUDA_STAGE_SIZE;
  if (!gst_rk_cuda_device_host_alloc (p->dev, total, p->name, &p->mapped,
          error))
    return FALSE;

  base = p->mapped.host;
  p->ctrl = (RkCudaControl *) base;
  p->in_header = (RkCudaRingHeader *) (base + RK_CTRL_SIZE);
  p->out_header = (RkCudaRingHeader *) (base + RK_CTRL_SIZE + in_size);
  p->stages = (RkCudaStage *) (base + RK_CTRL_SIZE + in_size + out_size);
  p->in_slots = (guint8 *) p->in_header + RK_RING_HEADER_SIZE;

  p->ctrl->command = RK_CMD_PAUSE;
  p->ctrl->status = RK_STATUS_IDLE;
  p->ctrl->checked_in = 0;
  return gst_rk_ring_format (p->in_header, in_size, p->in_capacity,
      SLOT_SIZE, error) &&
      gst_rk_ring_format (p->out_header, out_size, p->out_capacity,
      SLOT_SIZE, error) &&
      gst_rk_kernel_attach_rings (p->kernel, p->in_header, in_size,
      p->out_header, out_size, error);
}

/* Polls @done until it holds, checking the kernel's health meanwhile.
 * FALSE with @error when the kernel failed; FALSE without @error once
 * @deadline passed (the caller says what did not happen). */
static gboolean
poll_until (GstRkCudaPersistent * p,
    gboolean (*done) (GstRkCudaPersistent * p, guint64 want), guint64 want,
    gint64 deadline, GError ** error)
{
  while (!done (p, want)) {
    gboolean ok;

    gst_rk_mutex_lock (&p->sync_lock);
    ok = check_health (p, error);
    gst_rk_mutex_unlock (&p->sync_lock);
    if (!ok || g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (50);
  }
  return TRUE;
}

static gboolean
status_is (GstRkCudaPersistent * p, guint64 want)
{
  return __atomic_load_n (&p->ctrl->status, __ATOMIC_ACQUIRE) == want;
}

static gboolean
blocks_checked_in (GstRkCudaPersistent * p, guint64 want)
{
  return __atomic_load_n (&p->ctrl->checked_in, __ATOMIC_ACQUIRE) >= want;
}

static gboolean
wait_status (GstRkCudaPersistent * p, guint32 want, gint timeout_ms,
    GError ** error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  if (poll_until (p, status_is, want, deadline, error))
    return TRUE;
  if (error && *error == NULL)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "CUDA kernel %s did not acknowledge the command within %d ms",
        GST_OBJECT_NAME (p->kernel), timeout_ms);
  return FALSE;
}

/* Started: paused, and every block of the grid checked in. Block 0 pauses
 * before any grid barrier, so its status alone does not prove that the
 * other blocks are resident; one that is not would hang the first
 * message. */
static gboolean
wait_started (GstRkCudaPersistent * p, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () +
      (gint64) GST_RK_CUDA_START_TIMEOUT_MS * 1000;

  if (!wait_status (p, RK_STATUS_PAUSED, GST_RK_CUDA_START_TIMEOUT_MS, error))
    return FALSE;
  if (poll_until (p, blocks_checked_in, p->grid_size, deadline, error))
    return TRUE;
  if (error && *error == NULL)
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "only %" G_GUINT64_FORMAT " of its %u blocks started within %d ms "
        "(the others are not resident)",
        __atomic_load_n (&p->ctrl->checked_in, __ATOMIC_ACQUIRE),
        p->grid_size, GST_RK_CUDA_START_TIMEOUT_MS);
  return FALSE;
}

/* Whether the launch ended, waiting at most @timeout_ms */
static gboolean
wait_idle (GstRkCudaPersistent * p, gint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (p->ops->query (p->run_stream, NULL) == GST_RK_CUDA_STREAM_BUSY) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (100);
  }
  return TRUE;
}

/**
 * gst_rk_cuda_persistent_launch:
 *
 * Allocates the kernel's memory, formats and attaches its rings, launches
 * it cooperatively and waits until it runs (paused).
 *
 * Returns: (nullable): the controller, or %NULL with @error
 */
GstRkCudaPersistent *
gst_rk_cuda_persistent_launch (GstRkCudaDevice * dev, GstRkKernel * kernel,
    GError ** error)
{
  const GstRkLaunchOptions *opts = gst_rk_kernel_get_options (kernel);
  GstRkCudaPersistent *p = g_new0 (GstRkCudaPersistent, 1);
  GstRkConfig *config;
  gboolean ok;
  gchar *name;

  p->kernel = kernel;
  p->dev = dev;
  p->ops = dev->ops;
  p->impl = gst_rk_kernel_get_implementation (kernel);
  p->name = gst_rk_kernel_get_info (kernel)->name;
  g_mutex_init (&p->stage_lock);
  g_mutex_init (&p->arena_lock);
  g_mutex_init (&p->sync_lock);
  gst_rk_wakeup_init (&p->poller_wakeup);
  p->frames = MIN (opts->input_queue_capacity,
      GST_RK_CUDA_MAX_FRAMES_IN_FLIGHT);
  gst_rk_cuda_slots_init (&p->in_arena, dev, p->name, p->frames, TRUE,
      FALSE);
  p->retired = g_array_new (FALSE, FALSE, sizeof (Retired));
  p->held = g_ptr_array_new_with_free_func (held_free);
  g_queue_init (&p->kept);

  p->function = gst_rk_cuda_device_get_function (dev, p->impl,
      RK_CUDA_ENTRY_PERSISTENT, p->name, error);
  /* Pinned memory first: once the grid is reserved, the kernel counts as
   * resident, and the pool no longer grows */
  if (p->function == NULL || !layout (p, opts, error) ||
      !choose_grid (p, opts, error))
    goto fail;
  if ((p->run_stream = p->ops->stream_new (dev->ctx, error)) == NULL ||
      (p->copy_stream = p->ops->stream_new (dev->ctx, error)) == NULL ||
      (p->fetch_stream = p->ops->stream_new (dev->ctx, error)) == NULL)
    goto fail;
  if (!gst_rk_cuda_device_mem_alloc (dev, sizeof (RkCudaScratch), p->name,
          &p->scratch, error) || !p->ops->fill (p->copy_stream,
          p->scratch.ptr, 0, sizeof (RkCudaScratch), error))
    goto fail;

  config = gst_rk_kernel_get_config (kernel);
  ok = ensure_state (p, config->state_size, error);
  gst_rk_config_unref (config);
  if (!ok || !gst_rk_cuda_stream_sync (p->ops, p->copy_stream, error))
    goto fail;

  p->args.ctrl = dev_addr (p, p->ctrl);
  p->args.in_ring = dev_addr (p, p->in_header);
  p->args.out_ring = dev_addr (p, p->out_header);
  p->args.stages = dev_addr (p, p->stages);
  p->args.scratch = p->scratch.ptr;
  p->args.in_capacity = p->in_capacity;
  p->args.in_slot_size = SLOT_SIZE;
  p->args.out_capacity = p->out_capacity;
  p->args.out_slot_size = SLOT_SIZE;
  p->args.kernel_id = gst_rk_kernel_get_id (kernel);
  p->args.max_backoff_ns = MAX_BACKOFF_NS;
  p->args.heartbeat_ns = HEARTBEAT_NS;
  __atomic_thread_fence (__ATOMIC_RELEASE);

  if (!p->ops->launch (p->run_stream, p->function, p->grid_size,
          p->block_size, p->shared_size, TRUE, &p->args, error)) {
    g_prefix_error (error, "cannot launch CUDA kernel %s: ",
        GST_OBJECT_NAME (kernel));
    goto fail;
  }
  if (!wait_started (p, error)) {
    /* A launch that does not stop either keeps what it might still write
     * to. */
    g_prefix_error (error, "CUDA kernel %s did not start: ",
        GST_OBJECT_NAME (kernel));
    __atomic_store_n (&p->ctrl->command, RK_CMD_TERMINATE, __ATOMIC_RELEASE);
    if (!wait_idle (p, GST_RK_CUDA_TERMINATE_TIMEOUT_MS)) {
      free_all (p, FALSE);
      return NULL;
    }
    goto fail;
  }

  gst_rk_kernel_set_poll_interval (kernel, HOST_POLL_US);
  /* Nor can the GPU wake the host: spin for replies while inputs are out */
  gst_rk_kernel_set_receiver_spin (kernel, RECEIVER_SPIN_US);
  name = g_strdup_printf ("rkcuda-%.8s", GST_OBJECT_NAME (kernel));
  p->poller = g_thread_new (name, poller_main, p);
  g_free (name);
  GST_INFO_OBJECT (kernel, "persistent on %s: grid %u x %u, %u frames in "
      "flight", dev->parent.name, p->grid_size, p->block_size, p->frames);
  return p;

fail:
  free_all (p, TRUE);
  return NULL;
}

/**
 * gst_rk_cuda_persistent_command:
 * @command: RK_CMD_RUN or RK_CMD_PAUSE
 *
 * Waits until the kernel obeys, between two messages.
 */
gboolean
gst_rk_cuda_persistent_command (GstRkCudaPersistent * p, guint32 command,
    GError ** error)
{
  __atomic_store_n (&p->ctrl->command, command, __ATOMIC_RELEASE);
  kick_poller (p);
  return wait_status (p, command == RK_CMD_RUN ? RK_STATUS_RUNNING :
      RK_STATUS_PAUSED, GST_RK_CUDA_COMMAND_TIMEOUT_MS, error);
}

/* Block 0 writes EXITED before the grid's final barrier: only an idle
 * stream says that no block touches the kernel's memory any more. */
static gboolean
exited (GstRkCudaPersistent * p)
{
  return p->ops->query (p->run_stream, NULL) != GST_RK_CUDA_STREAM_BUSY;
}

/**
 * gst_rk_cuda_persistent_terminate:
 *
 * Tells the kernel to exit and waits at most
 * GST_RK_CUDA_TERMINATE_TIMEOUT_MS, then frees everything. A kernel that
 * does not exit in time may still write to its memory: that memory is then
 * left allocated (and the error says so) rather than freed under it.
 */
gboolean
gst_rk_cuda_persistent_terminate (GstRkCudaPersistent * p, GError ** error)
{
  gint64 deadline = g_get_monotonic_time () +
      GST_RK_CUDA_TERMINATE_TIMEOUT_MS * 1000;
  gboolean done;

  g_atomic_int_set (&p->terminating, 1);
  g_atomic_int_set (&p->aborting, 1);
  __atomic_store_n (&p->ctrl->command, RK_CMD_TERMINATE, __ATOMIC_RELEASE);
  while (!(done = exited (p)) && g_get_monotonic_time () < deadline)
    g_usleep (100);

  g_atomic_int_set (&p->stop, 1);
  gst_rk_wakeup_notify (&p->poller_wakeup);
  g_thread_join (p->poller);
  /* No stager runs past this: senders are gone and aborting is set. */
  gst_rk_mutex_lock (&p->stage_lock);
  gst_rk_mutex_unlock (&p->stage_lock);

  if (done) {
    gst_rk_mutex_lock (&p->sync_lock);
    count_progress (p);
    gst_rk_mutex_unlock (&p->sync_lock);
  } else {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT,
        "CUDA kernel %s did not stop within %d ms; its device memory stays "
        "allocated", GST_OBJECT_NAME (p->kernel),
        GST_RK_CUDA_TERMINATE_TIMEOUT_MS);
    gst_rk_cuda_device_abandon (p->dev);
  }
  free_all (p, done);
  return done;
}

/**
 * gst_rk_cuda_persistent_send:
 *
 * Stages what was sent (on the sender's thread, without waiting).
 */
void
gst_rk_cuda_persistent_send (GstRkCudaPersistent * p)
{
  gst_rk_mutex_lock (&p->stage_lock);
  pump (p);
  gst_rk_mutex_unlock (&p->stage_lock);
  kick_poller (p);
}

/**
 * gst_rk_cuda_persistent_flush:
 *
 * Hands the runtime's flush target to the device, which discards below it
 * in every state; what is not staged yet is staged as discarded.
 */
void
gst_rk_cuda_persistent_flush (GstRkCudaPersistent * p)
{
  __atomic_store_n (&p->ctrl->flush_target,
      gst_rk_kernel_get_flush_target (p->kernel), __ATOMIC_RELEASE);
  gst_rk_cuda_persistent_send (p);
}

/**
 * gst_rk_cuda_persistent_poll:
 *
 * Returns: %FALSE with @error when the kernel failed or its heartbeat
 * stopped for GST_RK_CUDA_WATCHDOG_MS.
 */
gboolean
gst_rk_cuda_persistent_poll (GstRkCudaPersistent * p, GError ** error)
{
  gboolean ok;

  gst_rk_mutex_lock (&p->sync_lock);
  notify_progress (p);
  ok = check_health (p, error);
  gst_rk_mutex_unlock (&p->sync_lock);
  if (!ok)
    g_atomic_int_set (&p->failed, 1);
  return ok;
}

static gboolean
in_mem (const GstRkCudaMem * mem, guint64 ptr, gsize size)
{
  return mem->ptr && ptr >= mem->ptr && ptr - mem->ptr <= mem->size &&
      size <= mem->size - (ptr - mem->ptr);
}

/* The kept input of message @id: the ones before it will not be asked for
 * (outputs are taken in order). arena_lock held. */
static GstBuffer *
take_kept (GstRkCudaPersistent * p, guint64 id)
{
  Kept *k;

  while ((k = g_queue_peek_head (&p->kept)) && k->message_id < id)
    kept_free (g_queue_pop_head (&p->kept));
  if (k == NULL || k->message_id != id)
    return NULL;
  g_queue_pop_head (&p->kept);
  {
    GstBuffer *buf = k->buffer;

    g_free (k);
    return buf;
  }
}

/**
 * gst_rk_cuda_persistent_fetch:
 *
 * Copies an output out of its arena slot (payload_ref is the slot's device
 * address) into a buffer (pooled for the main outputs, whose size repeats;
 * a new one for events), or hands on the input's own buffer
 * (RK_CUDA_REF_INPUT). The slot is the device's again once the runtime
 * releases the output.
 */
GstBuffer *
gst_rk_cuda_persistent_fetch (GstRkCudaPersistent * p,
    const GstRkEnvelope * env)
{
  gsize size = env->payload_size;
  gboolean known, ok = FALSE;
  GError *err = NULL;
  GstMapInfo map;
  GstBuffer *buf;

  if (env->payload_ref == RK_CUDA_REF_INPUT) {
    gst_rk_mutex_lock (&p->arena_lock);
    buf = take_kept (p, env->message_id);
    gst_rk_mutex_unlock (&p->arena_lock);
    if (buf == NULL || gst_buffer_get_size (buf) != size) {
      g_set_error (&err, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "CUDA kernel %s passed on an input it was not given (message %"
          G_GUINT64_FORMAT ")", GST_OBJECT_NAME (p->kernel), env->message_id);
      gst_clear_buffer (&buf);
      fail (p, err);
    }
    return buf;
  }

  if (env->type == RK_MSG_NOTIFY)
    buf = gst_buffer_new_allocate (NULL, size, NULL);
  else
    buf = gst_rk_kernel_alloc_output (p->kernel, size, &err);
  if (buf == NULL) {
    fail (p, err);
    return NULL;
  }
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_rk_mutex_lock (&p->arena_lock);
  known = in_mem (&p->out_arena, env->payload_ref, size);
  for (guint i = 0; !known && i < p->retired->len; i++)
    known = in_mem (&g_array_index (p->retired, Retired, i).mem,
        env->payload_ref, size);
  if (!known)
    g_set_error (&err, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "CUDA kernel %s published an output outside its arena",
        GST_OBJECT_NAME (p->kernel));
  gst_rk_mutex_unlock (&p->arena_lock);
  /* The slot stays allocated until the runtime releases this output, so
   * the copy needs no lock: the poller's, with the health check after it,
   * must not wait for a copy */
  if (known && p->ops->copy_to_host (p->fetch_stream, map.data,
          env->payload_ref, size, &err)) {
    if (!gst_rk_cuda_stream_sync (p->ops, p->fetch_stream, &err)) {
      g_prefix_error (&err, "CUDA kernel %s: ", GST_OBJECT_NAME (p->kernel));
      hold (p, buf, &map);
      fail (p, err);
      return NULL;
    }
    ok = TRUE;
  }
  if (ok)
    gst_rk_kernel_count_download (p->kernel, size);
  gst_buffer_unmap (buf, &map);
  if (!ok) {
    fail (p, err);
    gst_buffer_unref (buf);
    return NULL;
  }
  return buf;
}

/**
 * gst_rk_cuda_persistent_fill_stats:
 *
 * Adds the CUDA fields, and brings "processed" and "flushed" up to what the
 * device has done by now (the runtime read them just before).
 */
void
gst_rk_cuda_persistent_fill_stats (GstRkCudaPersistent * p,
    GstStructure * stats)
{
  guint64 new_discards, flushed = 0;

  gst_rk_mutex_lock (&p->sync_lock);
  new_discards = count_progress (p);
  gst_structure_get_uint64 (stats, "flushed", &flushed);
  gst_structure_set (stats,
      "processed", G_TYPE_UINT64, p->synced_processed,
      "flushed", G_TYPE_UINT64, flushed + new_discards,
      "heartbeat", G_TYPE_UINT64,
      __atomic_load_n (&p->ctrl->heartbeat, __ATOMIC_ACQUIRE), NULL);
  gst_rk_mutex_unlock (&p->sync_lock);
  gst_structure_set (stats,
      "grid-size", G_TYPE_UINT, p->grid_size,
      "block-size", G_TYPE_UINT, p->block_size,
      "frames-in-flight", G_TYPE_UINT, p->frames,
      "state-size", G_TYPE_UINT64,
      __atomic_load_n (&p->stats_state_size, __ATOMIC_RELAXED),
      "blob-size", G_TYPE_UINT64,
      __atomic_load_n (&p->stats_blob_size, __ATOMIC_RELAXED), NULL);
}
