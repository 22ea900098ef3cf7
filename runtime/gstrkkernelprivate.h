/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* The GstRkKernel structure, for the runtime's own files (runtime object,
 * dispatcher). Backends use the accessors in gstrkbackend.h instead. */

#ifndef __GST_RK_KERNEL_PRIVATE_H__
#define __GST_RK_KERNEL_PRIVATE_H__

#include "gstrkbackend.h"
#include "gstrkhlc.h"
#include "gstrklaunchoptionsprivate.h"
#include "gstrklatency.h"
#include "gstrkring.h"
#include "gstrkwakeup.h"

G_BEGIN_DECLS

/* What the host remembers of each input until its outputs come back: the
 * send time (latency) and the buffer metadata that outputs made on a device
 * (inline or arena payloads) get back. Indexed by input position; the
 * position tag tells a live entry from a reused one. */
typedef struct
{
  guint64 position;
  GstClockTime sent_ns;
  GstClockTime pts;
  GstClockTime dts;
  GstClockTime duration;
  guint64 offset;
  guint64 offset_end;
  guint32 buffer_flags;
  /* One cache line each: the sender writes one while the receiver reads
   * the one before */
  guint8 pad[64 - 7 * 8 - 4];
} GstRkOrigin;

struct _GstRkKernel
{
  GstObject parent;

  /* Set at creation and launch, then immutable. The clock and device are
   * the runtime's: a kernel holds no reference to its runtime, which
   * terminates the kernels still alive before it goes. */
  GstRkHlc *clock;
  guint32 id;
  const GstRkKernelInfo *info;
  const GstRkBackend *backend;
  GstRkDevice *device;
  gconstpointer impl;
  GstRkLaunchOptions opts;
  GstRkKernelMode mode;
  gpointer backend_data;
  gchar *selection_note;
  gint64 launch_time;
  /* Per-slot host references beside the rings, set when the rings are
   * attached. The device side finds them here, not beside the ring views,
   * which their owners write on every message. */
  GstRkSidecar *in_side;
  GstRkSidecar *out_side;
  guint32 in_mask, out_mask;

  /* Lifecycle, serialised by lock. Stats readers may look at device
   * memory: terminate waits until none is left before the backend frees it. */
  GMutex lock;
  GstRkKernelState state;
  guint stats_readers;
  GCond stats_done;

  /* The sender's and the receiver's fields are apart, each side's written
   * on every message: on one cache line the two threads took it from each
   * other once per message. 128 bytes of gap keep them apart whatever the
   * instance's alignment. */
  guint8 gap0[128];

  /* Producer side of the input ring, serialised by send_lock */
  GMutex send_lock;
  gboolean rings_attached;
  GstRkRingProducer in;
  GstRkConfig *config;
  GstStructure *params;
  guint64 received;             /* one writer (send_lock), atomic reads */
  guint64 clock_rejects;        /* atomic */
  guint64 next_call;            /* atomic */

  guint8 gap1[128];

  /* Consumer side of the output ring, serialised by recv_lock */
  GMutex recv_lock;
  GstRkRingConsumer out;
  GstRkOrigin *origins;
  guint32 origins_mask;
  GstRkLatencyHistogram latency;
  /* Calls waiting for their replies (correlation id → GstRkCall), and
   * outputs a caller took from the ring that belong to the regular consumer,
   * in order; n_stash mirrors the stash length for lock-free checks */
  GHashTable *calls;
  GQueue stash;
  gint n_stash;
  /* The ordered item stream: markers (GstRkMarker) in the order added, each
   * due once the outputs of the messages sent before it are out; an output
   * taken early and held behind a marker; first_marker_after mirrors the
   * head's position for lock-free readiness checks (G_MAXUINT64: none) */
  GQueue markers;
  guint64 first_marker_after;
  gboolean have_held;
  GstRkMessage held;
  gboolean held_before_error;   /* published before the fault */
  gboolean error_delivered;
  gboolean receiver_busy;       /* the receiver spins before it sleeps */
  gint device_outputs;          /* outputs stay on the device (atomic) */
  /* Counted by the receiver (atomics) */
  guint64 emitted;
  guint64 notifications;
  guint64 dropped;
  guint64 orphan_replies;
  /* Payloads a backend copied host → device and back (atomics) */
  guint64 uploads, upload_bytes, downloads, download_bytes;

  guint8 gap2[128];

  /* Counted by the device side on every message (atomics), on lines of
   * their own: the host's wake-up below is read on every send */
  guint64 processed;
  guint64 flushed;

  guint8 gap3[128];

  /* Waiting and control (atomics) */
  GstRkWakeup host_wakeup;      /* host threads: outputs or input space */
  GstRkWakeup device_wakeup;    /* host-thread dispatchers: inputs, space, commands */
  guint32 poll_interval_us;     /* 0: the device side always notifies */
  guint32 receiver_spin_us;     /* spin bound while inputs are in flight */
  gint flushing;
  guint64 flush_target;
  guint32 command;              /* RK_CMD_* for host-thread dispatchers */
  gint has_error;
  GError *error;                /* first device fault, under lock */
  guint64 error_at;             /* messages known good before the fault */
  guint64 error_out_head;       /* outputs published before the fault */

  /* Output buffers for kernels that make new ones */
  GMutex pool_lock;
  GstBufferPool *pool;
  gsize pool_size;
};

void gst_rk_kernel_make_output_room (GstRkKernel * kernel);

GstRkKernel *gst_rk_kernel_new_internal (GstRkHlc * clock, guint32 id,
    const GstRkKernelInfo * info, const gchar * label);
gboolean gst_rk_kernel_launch_internal (GstRkKernel * kernel,
    const GstRkBackend * backend, GstRkDevice * device, gconstpointer impl,
    const GstRkLaunchOptions * opts, const GstStructure * params,
    const gchar * selection_note, GError ** error);

G_END_DECLS

#endif /* __GST_RK_KERNEL_PRIVATE_H__ */
