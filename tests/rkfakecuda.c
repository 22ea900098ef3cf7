/* A fake CUDA device for the tests: see rkfakecuda.h. */
#include <string.h>

#include "rkfakecuda.h"
#include "gstrkcudaops.h"
#include "gstrkcudaloop.h"
#include "gstrkerror.h"
#include "gstrksync.h"
#include "gstrkcudaecho.h"
#include "gstrkcudagray.h"
#include "gstrkcudablur.h"
#include "gstrkcudasobel.h"
#include "gstrkcudabgsub.h"
#include "gstrkcudaanomaly.h"
#include "gstrkcudafir.h"
#include "gstrkcudaspectrum.h"
#include "rkcudacounter.h"

typedef void (*PhaseFunc) (RkCudaJob * job, RkCudaThreads t, uint32_t phase);
typedef void (*InitFunc) (RkCudaJob * job, RkCudaThreads t);

/* The one-phase kernels, as phase functions */
static void
echo_phase (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  rk_cuda_echo_process (job, t);
}

static void
gray_phase (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  rk_cuda_gray_process (job, t);
}

static void
sobel_phase (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  rk_cuda_sobel_process (job, t);
}

static void
counter_phase (RkCudaJob * job, RkCudaThreads t, uint32_t phase)
{
  rk_test_counter_process (job, t);
}

/* The kernels this device "has a module for", by registry name: what
 * RK_CUDA_DEFINE_*ENTRIES makes of them in their .cu files. */
typedef struct
{
  const gchar *name;
  PhaseFunc process;
  guint phases;
  InitFunc init;
} FakeModule;

static const FakeModule kernels[] = {
  { "echo", echo_phase, 1, NULL },
  { "gray", gray_phase, 1, NULL },
  { "counter", counter_phase, 1, NULL },
  { "blur", rk_cuda_blur_process, 2, NULL },
  { "sobel", sobel_phase, 1, NULL },
  { "bgsub", rk_cuda_bgsub_process, 2, NULL },
  { "anomaly", rk_cuda_anomaly_process, 2, NULL },
  { "fir", rk_cuda_fir_process, 3, NULL },
  { "spectrum", rk_cuda_spectrum_process, 3, NULL },
};

/* One context per device index, shared by every open of it, as the
 * driver ops share the primary context: modules load once per context, and
 * the last close unloads them. */
struct _GstRkCudaContext
{
  gint index;
  gint refcount;                /* under fake.lock */
  guint32 loaded;               /* modules loaded, a bit per kernels[] */
  GHashTable *ptx;              /* PTX modules loaded (user kernels), by
                                 * name: GstRkCudaFunction[2] */
  GMutex lock;
  GRecMutex work_lock;          /* queued work: enqueueing and running it */
  GList *streams;
  GHashTable *allocations;      /* host pointer → itself */
};

struct _GstRkCudaStream
{
  GstRkCudaContext *ctx;
  GThread *kernel;              /* a persistent launch, while it runs */
  gint running;
  GError *error;                /* sticky, as a CUDA context error */
  RkCudaPersistentArgs args;
  GQueue work;                  /* FakeWork not run yet */
  guint64 queued, done;         /* work items ever queued, ever run */
};

/* Asynchronous work: a copy, a fill, a kernel launch, or a wait for
 * another stream's work queued so far. It runs only when something needs
 * it done (a sync or query of its stream, work of another stream that
 * waits for it, a free), never at once: so a missing wait or sync shows as
 * stale data, as it may on a GPU. */
typedef enum
{
  FAKE_WORK_COPY,
  FAKE_WORK_FILL,
  FAKE_WORK_LAUNCH,
  FAKE_WORK_WAIT,
} FakeWorkType;

typedef struct
{
  FakeWorkType type;
  gpointer dst;
  gconstpointer src;
  gsize size;
  guint8 value;
  const FakeModule *module;
  RkCudaEventArgs args;
  GstRkCudaStream *on;
  guint64 until;
} FakeWork;

struct _GstRkCudaFunction
{
  const FakeModule *module;     /* NULL: PTX, which the fake cannot run */
  gboolean persistent;
  const gchar *name;
};

/* An SM holds blocks_per_sm blocks of this many threads (fewer bigger
 * ones, more smaller ones) */
#define FAKE_BLOCK_THREADS 256u
#define FAKE_MAX_SMS 64u

static struct
{
  guint sm_count;
  guint blocks_per_sm;
  gint fault;
  gint live;
  gint running;
  gint launches;
  guint threads;
  GstRkCudaFunction functions[G_N_ELEMENTS (kernels)][2];
  gboolean no_pools;            /* cuMemAlloc/cuMemFree, not ...Async */
  gint hang_streams;            /* queued work never finishes */
  gint step_ms;                 /* least time of a persistent job's step */
  gint absent_blocks;           /* blocks of a persistent grid that never
                                 * start */
  gint exit_ms;                 /* a grid's time to leave after EXITED */
  guint devices;
  /* Under lock: the contexts, and the process-wide block budget */
  GMutex lock;
  GList *contexts;
  guint resident_blocks;        /* held by running persistent grids */
  guint sm_threads[FAKE_MAX_SMS];       /* their threads on each SM */
  /* Tripwires: calls the driver would make wait for the whole context
   * while a persistent kernel is resident (never ending: a hang) */
  gint tripwires;
  gint expect_tripwires;
  gchar *last_tripwire;
} fake = { 4, 2, 0, 0, 0, 0, 5 };

/* ---- Errors, worded as the driver ops word theirs ---- */

static void
set_cuda_error (GError ** error, const gchar * call, gint code,
    const gchar * name)
{
  g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
      "%s failed: %s (%d)", call, name, code);
}

/* ---- Tripwires ---- */

/* A call that waits for the whole context (or loads code into it) hangs
 * the driver while a persistent kernel is resident, in any context of the
 * process: it waits for a kernel that never ends. The fake fails it with
 * the reason and counts it; calls that cannot return an error (frees)
 * also raise a critical, fatal in the tests unless a test expects
 * tripwires. Returns whether the tripwire fired. */
static gboolean
tripwire (const gchar * call, const gchar * why, GError ** error)
{
  gchar *text;

  if (g_atomic_int_get (&fake.running) == 0)
    return FALSE;
  text = g_strdup_printf ("%s while a persistent kernel is resident: the "
      "driver would %s and hang", call, why);
  g_atomic_int_inc (&fake.tripwires);
  gst_rk_mutex_lock (&fake.lock);
  g_free (fake.last_tripwire);
  fake.last_tripwire = g_strdup (text);
  gst_rk_mutex_unlock (&fake.lock);
  if (error)
    g_set_error_literal (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE, text);
  else if (!g_atomic_int_get (&fake.expect_tripwires))
    g_critical ("fake CUDA device: %s", text);
  g_free (text);
  return TRUE;
}

/* ---- Devices and memory ---- */

static void
fake_probe (GstRkBackendInfo * info)
{
  info->available = TRUE;
  for (guint i = 0; i < MAX (fake.devices, 1); i++)
    gst_rk_backend_info_add_device (info, i, RK_FAKE_CUDA_DEVICE_NAME, FALSE);
}

static GstRkCudaContext *
fake_open (gint index, GstRkCudaDeviceProps * props, GError ** error)
{
  GstRkCudaContext *ctx = NULL;

  gst_rk_mutex_lock (&fake.lock);
  for (GList * l = fake.contexts; l && ctx == NULL; l = l->next)
    if (((GstRkCudaContext *) l->data)->index == index)
      ctx = l->data;
  if (ctx == NULL) {
    ctx = g_new0 (GstRkCudaContext, 1);
    ctx->index = index;
    g_mutex_init (&ctx->lock);
    g_rec_mutex_init (&ctx->work_lock);
    ctx->allocations = g_hash_table_new (NULL, NULL);
    ctx->ptx = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        g_free);
    fake.contexts = g_list_prepend (fake.contexts, ctx);
  }
  ctx->refcount++;
  gst_rk_mutex_unlock (&fake.lock);
  props->name = g_strdup (RK_FAKE_CUDA_DEVICE_NAME);
  props->sm_count = fake.sm_count;
  props->max_block_size = 1024;
  props->cooperative = TRUE;
  props->memory_pools = !fake.no_pools;
  return ctx;
}

static gpointer
fake_alloc (GstRkCudaContext * ctx, gsize size)
{
  gpointer p = g_aligned_alloc0 (1, MAX (size, 1), 64);

  gst_rk_mutex_lock (&ctx->lock);
  g_hash_table_add (ctx->allocations, p);
  gst_rk_mutex_unlock (&ctx->lock);
  g_atomic_int_inc (&fake.live);
  return p;
}

static void drain_all (GstRkCudaContext * ctx);

/* Freeing waits for the device's work, as cuMemFree does. */
static void
fake_free (GstRkCudaContext * ctx, gpointer p)
{
  gboolean known;

  drain_all (ctx);

  gst_rk_mutex_lock (&ctx->lock);
  known = g_hash_table_remove (ctx->allocations, p);
  gst_rk_mutex_unlock (&ctx->lock);
  g_assert_true (known);
  g_aligned_free (p);
  g_atomic_int_add (&fake.live, -1);
}

static gboolean
fake_host_alloc (GstRkCudaContext * ctx, gsize size, gpointer * host,
    guint64 * device, GError ** error)
{
  if (tripwire ("cuMemHostAlloc", "synchronise the context", error))
    return FALSE;
  *host = fake_alloc (ctx, size);
  *device = (guint64) (guintptr) * host;
  return TRUE;
}

static void
fake_host_free (GstRkCudaContext * ctx, gpointer host)
{
  tripwire ("cuMemFreeHost", "synchronise the context", NULL);
  fake_free (ctx, host);
}

/* With memory pools these are cuMemAllocAsync/cuMemFreeAsync, ordered on a
 * stream of their own; without, cuMemAlloc/cuMemFree, which may wait for
 * the whole context. */
static gboolean
fake_mem_alloc (GstRkCudaContext * ctx, gsize size, guint64 * device,
    GError ** error)
{
  if (fake.no_pools && tripwire ("cuMemAlloc", "synchronise the context",
          error))
    return FALSE;
  *device = (guint64) (guintptr) fake_alloc (ctx, size);
  return TRUE;
}

static void
fake_mem_free (GstRkCudaContext * ctx, guint64 device)
{
  if (fake.no_pools)
    tripwire ("cuMemFree", "synchronise the context", NULL);
  fake_free (ctx, (gpointer) (guintptr) device);
}

/* ---- Streams: work runs when needed, persistent kernels in a thread ---- */

static void run_job (const FakeModule * m, RkCudaJob * job);
static void run_step (const FakeModule * m, RkCudaJob * job, guint32 step);
static void drain (GstRkCudaStream * s, guint64 until);

static void
run_work (FakeWork * w)
{
  RkCudaJob *jobs;

  switch (w->type) {
    case FAKE_WORK_COPY:
      memcpy (w->dst, w->src, w->size);
      break;
    case FAKE_WORK_FILL:
      memset (w->dst, w->value, w->size);
      break;
    case FAKE_WORK_WAIT:
      drain (w->on, w->until);
      break;
    case FAKE_WORK_LAUNCH:
      jobs = (RkCudaJob *) (guintptr) w->args.jobs;
      if (w->args.step != RK_CUDA_ALL_STEPS) {
        run_step (w->module, &jobs[0], rk_cuda_job_step (jobs[0].flags,
                w->module->init != NULL, w->args.step));
      } else {
        for (guint i = 0; i < w->args.n_jobs; i++) {
          run_job (w->module, &jobs[i]);
          if (jobs[i].more)
            break;
        }
      }
      break;
  }
}

/* Runs @s's queued work up to item @until (counted from the first). */
static void
drain (GstRkCudaStream * s, guint64 until)
{
  FakeWork *w;

  gst_rk_rec_mutex_lock (&s->ctx->work_lock);
  while (s->done < until && (w = g_queue_pop_head (&s->work)) != NULL) {
    run_work (w);
    s->done++;
    g_free (w);
  }
  gst_rk_rec_mutex_unlock (&s->ctx->work_lock);
}

static void
drain_all (GstRkCudaContext * ctx)
{
  gst_rk_rec_mutex_lock (&ctx->work_lock);
  gst_rk_mutex_lock (&ctx->lock);
  for (GList * l = ctx->streams; l; l = l->next) {
    GstRkCudaStream *s = l->data;

    gst_rk_mutex_unlock (&ctx->lock);
    drain (s, G_MAXUINT64);
    gst_rk_mutex_lock (&ctx->lock);
  }
  gst_rk_mutex_unlock (&ctx->lock);
  gst_rk_rec_mutex_unlock (&ctx->work_lock);
}

static void
enqueue (GstRkCudaStream * s, FakeWork * w)
{
  gst_rk_rec_mutex_lock (&s->ctx->work_lock);
  g_queue_push_tail (&s->work, w);
  s->queued++;
  gst_rk_rec_mutex_unlock (&s->ctx->work_lock);
}

static GstRkCudaStream *
fake_stream_new (GstRkCudaContext * ctx, GError ** error)
{
  GstRkCudaStream *s = g_new0 (GstRkCudaStream, 1);

  s->ctx = ctx;
  gst_rk_mutex_lock (&ctx->lock);
  ctx->streams = g_list_prepend (ctx->streams, s);
  gst_rk_mutex_unlock (&ctx->lock);
  return s;
}

static void
join_kernel (GstRkCudaStream * s)
{
  if (s->kernel) {
    g_thread_join (s->kernel);
    s->kernel = NULL;
  }
}

static void stream_free (GstRkCudaStream * s);

/* cuStreamDestroy does not wait for a kernel still running on the stream,
 * and what it uses is freed next: freeing the stream of a persistent
 * kernel that has not ended is the backend's mistake. */
static void
fake_stream_free (GstRkCudaStream * s)
{
  if (g_atomic_int_get (&s->running))
    g_critical ("fake CUDA device: the stream of a persistent kernel freed "
        "while the kernel still runs: its memory would be freed under it");
  stream_free (s);
}

static void
stream_free (GstRkCudaStream * s)
{
  /* Work of other streams may wait for this one's */
  drain_all (s->ctx);
  join_kernel (s);
  gst_rk_mutex_lock (&s->ctx->lock);
  s->ctx->streams = g_list_remove (s->ctx->streams, s);
  gst_rk_mutex_unlock (&s->ctx->lock);
  g_clear_error (&s->error);
  g_free (s);
}

/* A context going away (its last close) frees what its users left behind,
 * as the driver does; a kernel still running is stopped first (it was told
 * to terminate, and a hang has been cleared by then). Unloading its
 * modules then must not happen while another context's persistent kernel
 * is resident. */
static void
fake_close (GstRkCudaContext * ctx)
{
  GHashTableIter it;
  gpointer p;

  gst_rk_mutex_lock (&fake.lock);
  if (--ctx->refcount > 0) {
    gst_rk_mutex_unlock (&fake.lock);
    return;
  }
  fake.contexts = g_list_remove (fake.contexts, ctx);
  gst_rk_mutex_unlock (&fake.lock);

  drain_all (ctx);
  while (ctx->streams)
    stream_free (ctx->streams->data);
  if (ctx->loaded || g_hash_table_size (ctx->ptx))
    tripwire ("cuModuleUnload", "synchronise the context", NULL);
  g_hash_table_unref (ctx->ptx);
  g_hash_table_iter_init (&it, ctx->allocations);
  while (g_hash_table_iter_next (&it, &p, NULL)) {
    g_aligned_free (p);
    g_atomic_int_add (&fake.live, -1);
  }
  g_hash_table_unref (ctx->allocations);
  g_mutex_clear (&ctx->lock);
  g_rec_mutex_clear (&ctx->work_lock);
  g_free (ctx);
}

/* The host side of a copy is read or written when the copy runs, as with
 * pinned memory: the caller keeps it until a sync says the copy ran. */
static gboolean
fake_copy_to_device (GstRkCudaStream * s, guint64 dst, gconstpointer src,
    gsize size, GError ** error)
{
  FakeWork *w = g_new0 (FakeWork, 1);

  w->type = FAKE_WORK_COPY;
  w->dst = (gpointer) (guintptr) dst;
  w->src = src;
  w->size = size;
  enqueue (s, w);
  return TRUE;
}

static gboolean
fake_copy_to_host (GstRkCudaStream * s, gpointer dst, guint64 src,
    gsize size, GError ** error)
{
  FakeWork *w = g_new0 (FakeWork, 1);

  w->type = FAKE_WORK_COPY;
  w->dst = dst;
  w->src = (gconstpointer) (guintptr) src;
  w->size = size;
  enqueue (s, w);
  return TRUE;
}

static gboolean
fake_fill (GstRkCudaStream * s, guint64 dst, guint8 value, gsize size,
    GError ** error)
{
  FakeWork *w = g_new0 (FakeWork, 1);

  w->type = FAKE_WORK_FILL;
  w->dst = (gpointer) (guintptr) dst;
  w->value = value;
  w->size = size;
  enqueue (s, w);
  return TRUE;
}

/* @waiter's later work runs after what @on has queued so far. */
static gboolean
fake_wait_stream (GstRkCudaStream * waiter, GstRkCudaStream * on,
    GError ** error)
{
  FakeWork *w = g_new0 (FakeWork, 1);

  w->type = FAKE_WORK_WAIT;
  w->on = on;
  gst_rk_rec_mutex_lock (&on->ctx->work_lock);
  w->until = on->queued;
  enqueue (waiter, w);
  gst_rk_rec_mutex_unlock (&on->ctx->work_lock);
  return TRUE;
}

/* Whether @s has work queued that a hang keeps from finishing */
static gboolean
hung (GstRkCudaStream * s)
{
  gboolean pending;

  if (!g_atomic_int_get (&fake.hang_streams))
    return FALSE;
  gst_rk_rec_mutex_lock (&s->ctx->work_lock);
  pending = s->done < s->queued;
  gst_rk_rec_mutex_unlock (&s->ctx->work_lock);
  return pending;
}

/* cuStreamSynchronize has no deadline: on a hung stream it waits until the
 * hang clears, and a wait the test never ends is a hang, reported. */
static gboolean
fake_sync (GstRkCudaStream * s, GError ** error)
{
  gint64 limit = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (hung (s)) {
    if (g_get_monotonic_time () > limit)
      g_error ("fake CUDA device: cuStreamSynchronize of a stream whose "
          "work never finishes: the driver would hang here");
    g_usleep (1000);
  }
  drain (s, G_MAXUINT64);
  join_kernel (s);
  if (s->error) {
    g_propagate_error (error, g_error_copy (s->error));
    return FALSE;
  }
  return TRUE;
}

static GstRkCudaStreamState
fake_query (GstRkCudaStream * s, GError ** error)
{
  /* A stream polled makes progress, as a GPU's would, unless hung */
  if (hung (s))
    return GST_RK_CUDA_STREAM_BUSY;
  drain (s, G_MAXUINT64);
  if (g_atomic_int_get (&s->running))
    return GST_RK_CUDA_STREAM_BUSY;
  if (s->error) {
    g_propagate_error (error, g_error_copy (s->error));
    return GST_RK_CUDA_STREAM_FAILED;
  }
  return GST_RK_CUDA_STREAM_IDLE;
}

/* ---- Kernels ---- */

/* The first look-up of a module's function in a context loads the module
 * (cuModuleLoadData, cuFuncLoad), which may wait for the context. */
static GstRkCudaFunction *
fake_get_function (GstRkCudaContext * ctx, const GstRkCudaKernel * kernel,
    const gchar * entry, GError ** error)
{
  gboolean persistent = g_str_equal (entry, RK_CUDA_ENTRY_PERSISTENT);

  for (guint i = 0; i < G_N_ELEMENTS (kernels); i++) {
    if (g_str_equal (kernels[i].name, kernel->name)) {
      GstRkCudaFunction *f = &fake.functions[i][persistent];
      gboolean ok = TRUE;

      gst_rk_mutex_lock (&ctx->lock);
      if (!(ctx->loaded & (1u << i))) {
        ok = !tripwire ("cuModuleLoadData", "load the module into a busy "
            "context", error);
        if (ok)
          ctx->loaded |= 1u << i;
      }
      gst_rk_mutex_unlock (&ctx->lock);
      if (!ok)
        return NULL;

      f->module = &kernels[i];
      f->persistent = persistent;
      return f;
    }
  }
  /* Another module with an image: PTX of a user kernel. It loads (so the
   * host's loading rules are checked) but cannot run. */
  if (kernel->image) {
    GstRkCudaFunction *f;

    gst_rk_mutex_lock (&ctx->lock);
    f = g_hash_table_lookup (ctx->ptx, kernel->name);
    if (f == NULL && !tripwire ("cuModuleLoadData", "load the module into "
            "a busy context", error)) {
      f = g_new0 (GstRkCudaFunction, 2);
      f[0].name = f[1].name = kernel->name;
      f[1].persistent = TRUE;
      g_hash_table_insert (ctx->ptx, g_strdup (kernel->name), f);
    }
    gst_rk_mutex_unlock (&ctx->lock);
    return f ? &f[persistent] : NULL;
  }
  if (!tripwire ("cuModuleLoadData", "load the module into a busy context",
          error))
    set_cuda_error (error, "cuModuleLoadData", 209,
        "CUDA_ERROR_NO_BINARY_FOR_GPU");
  return NULL;
}

static guint
fake_max_active_blocks (GstRkCudaFunction * function, guint block_size,
    gsize shared_size, GError ** error)
{
  return fake.blocks_per_sm * FAKE_BLOCK_THREADS / MAX (block_size, 1);
}

/* Places a cooperative grid's blocks on SMs with room for them, first fit,
 * as the block scheduler would; all or none. fake.lock held. */
static gboolean
place_grid (guint *sms, guint grid_size, guint block_size)
{
  guint room = fake.blocks_per_sm * FAKE_BLOCK_THREADS;
  guint n = MIN (fake.sm_count, FAKE_MAX_SMS), b;

  for (b = 0; b < grid_size; b++) {
    guint i = 0;

    while (i < n && fake.sm_threads[i] + block_size > room)
      i++;
    if (i == n)
      break;
    fake.sm_threads[i] += block_size;
    sms[b] = i;
  }
  if (b == grid_size)
    return TRUE;
  while (b-- > 0)
    fake.sm_threads[sms[b]] -= block_size;
  return FALSE;
}

/* One step over the grid: fake.threads threads, one after the other, the
 * highest index first (so that a kernel relying on thread 0 having run
 * earlier in the same step fails here too). Steps are separated by grid
 * barriers on a GPU, so running threads one by one within a step is one
 * of the schedules a GPU may produce. */
static void
run_step (const FakeModule * m, RkCudaJob * job, guint32 step)
{
  for (guint i = fake.threads; i > 0; i--) {
    RkCudaThreads t = { i - 1, fake.threads };

    if (step == RK_CUDA_STEP_ZERO)
      rk_cuda_job_reset_state (job, t);
    else if (step == RK_CUDA_STEP_INIT)
      m->init (job, t);
    else if (step != RK_CUDA_STEP_NONE)
      m->process (job, t, step);
  }
}

static void
run_job (const FakeModule * m, RkCudaJob * job)
{
  guint32 flags = job->flags;
  guint32 n = rk_cuda_job_n_steps (flags, m->phases, m->init != NULL);

  for (guint32 k = 0; k < n; k++)
    run_step (m, job, rk_cuda_job_step (flags, m->init != NULL, k));
}

/* A persistent kernel's job, step by step as rk_persistent runs it: the
 * leader beats after each step. */
static void
run_persistent_job (const FakeModule * m, RkCudaJob * job, RkCudaLoop * loop)
{
  guint32 flags = job->flags;
  guint32 n = rk_cuda_job_n_steps (flags, m->phases, m->init != NULL);
  gint step_ms = g_atomic_int_get (&fake.step_ms);

  for (guint32 k = 0; k < n; k++) {
    run_step (m, job, rk_cuda_job_step (flags, m->init != NULL, k));
    if (step_ms)
      g_usleep ((gulong) step_ms * 1000);
    rk_cuda_loop_step_done (loop);
  }
}

typedef struct
{
  GstRkCudaStream *stream;
  const FakeModule *module;
  guint grid_size;
  guint block_size;
  guint *sms;                   /* each block's SM */
} PersistentLaunch;

/* The persistent kernel, as rk_persistent runs it with one thread. */
static gpointer
persistent_main (gpointer data)
{
  PersistentLaunch *launch = data;
  GstRkCudaStream *s = launch->stream;
  RkCudaControl *ctrl = (RkCudaControl *) (guintptr) s->args.ctrl;
  RkCudaLoop loop;
  RkCudaJob job;

  /* The grid's blocks start, but for those told to stay away */
  for (guint b = MIN ((guint) g_atomic_int_get (&fake.absent_blocks),
          launch->grid_size); b < launch->grid_size; b++)
    rk_cuda_block_check_in (&s->args);
  rk_cuda_loop_init (&loop, &s->args);
  for (;;) {
    guint32 act;

    switch (g_atomic_int_get (&fake.fault)) {
      case RK_FAKE_CUDA_FAULT_STALL:
        if (__atomic_load_n (&ctrl->command, __ATOMIC_ACQUIRE) ==
            RK_CMD_TERMINATE) {
          __atomic_store_n (&ctrl->status, RK_STATUS_EXITED,
              __ATOMIC_RELEASE);
          goto out;
        }
        g_usleep (1000);
        continue;
      case RK_FAKE_CUDA_FAULT_HANG:
        g_usleep (1000);
        continue;
      case RK_FAKE_CUDA_FAULT_TRAP:
        set_cuda_error (&s->error, "cuStreamQuery", 700,
            "CUDA_ERROR_ILLEGAL_ADDRESS");
        goto out;
      default:
        break;
    }

    act = rk_cuda_loop_poll (&loop, &job);
    if (act == RK_CUDA_ACT_EXIT)
      break;
    if (act == RK_CUDA_ACT_PROCESS) {
      run_persistent_job (launch->module, &job, &loop);
      if (rk_cuda_loop_complete (&loop, &job) == RK_CUDA_ACT_EXIT)
        break;
    }
  }
out:
  /* The other blocks leave after the final barrier, some time after block
   * 0 said EXITED */
  if (g_atomic_int_get (&fake.exit_ms))
    g_usleep ((gulong) g_atomic_int_get (&fake.exit_ms) * 1000);
  gst_rk_mutex_lock (&fake.lock);
  fake.resident_blocks -= launch->grid_size;
  for (guint b = 0; b < launch->grid_size; b++)
    fake.sm_threads[launch->sms[b]] -= launch->block_size;
  gst_rk_mutex_unlock (&fake.lock);
  g_free (launch->sms);
  g_atomic_int_add (&fake.running, -1);
  g_atomic_int_set (&s->running, 0);
  g_free (launch);
  return NULL;
}

static gboolean
fake_launch (GstRkCudaStream * s, GstRkCudaFunction * f, guint grid_size,
    guint block_size, gsize shared_size, gboolean cooperative, gpointer args,
    GError ** error)
{
  if (g_atomic_int_get (&fake.fault) == RK_FAKE_CUDA_FAULT_LAUNCH) {
    set_cuda_error (error, cooperative ? "cuLaunchCooperativeKernel" :
        "cuLaunchKernel", 701, "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES");
    return FALSE;
  }
  if (f->module == NULL) {
    g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
        "%s: the fake device cannot run PTX (%s): that needs a GPU",
        cooperative ? "cuLaunchCooperativeKernel" : "cuLaunchKernel",
        f->name);
    return FALSE;
  }

  if (f->persistent) {
    PersistentLaunch *launch;
    guint *sms = g_new (guint, MAX (grid_size, 1)), held;
    gboolean fits;

    /* Every block of a cooperative grid must be resident at once, beside
     * the grids of the persistent kernels already running anywhere in the
     * process, on SMs with room for it. The driver checks the grid alone;
     * the blocks that do not fit would wait for SMs that never free, and
     * the grid barrier would hang: the fake refuses the launch instead. */
    gst_rk_mutex_lock (&fake.lock);
    held = fake.resident_blocks;
    fits = place_grid (sms, grid_size, block_size);
    if (fits)
      fake.resident_blocks += grid_size;
    gst_rk_mutex_unlock (&fake.lock);
    if (!fits) {
      g_set_error (error, GST_RK_ERROR, GST_RK_ERROR_DEVICE,
          "cuLaunchCooperativeKernel: a grid of %u blocks of %u threads does "
          "not fit beside the %u blocks running persistent kernels hold (%u "
          "SMs of %u threads): on a GPU the blocks would wait for SMs that "
          "never free, and the grid would hang", grid_size, block_size, held,
          fake.sm_count, fake.blocks_per_sm * FAKE_BLOCK_THREADS);
      g_free (sms);
      return FALSE;
    }
    g_atomic_int_inc (&fake.launches);

    launch = g_new0 (PersistentLaunch, 1);
    launch->sms = sms;
    launch->block_size = block_size;
    /* It starts after the stream's earlier work, and runs on its own */
    drain (s, G_MAXUINT64);
    g_assert_true (cooperative);
    g_assert_null (s->kernel);
    memcpy (&s->args, args, sizeof (s->args));
    launch->stream = s;
    launch->module = f->module;
    launch->grid_size = grid_size;
    g_atomic_int_set (&s->running, 1);
    g_atomic_int_inc (&fake.running);
    s->kernel = g_thread_new ("fake-cuda", persistent_main, launch);
  } else {
    const RkCudaEventArgs *a = args;
    FakeWork *w = g_new0 (FakeWork, 1);

    g_atomic_int_inc (&fake.launches);
    /* Several jobs per launch only with one block, as rk_event wants. */
    g_assert_true (a->n_jobs == 1 || grid_size == 1);
    g_assert_true (a->step == RK_CUDA_ALL_STEPS || a->n_jobs == 1);
    /* The arguments are copied at launch, as the driver does */
    w->type = FAKE_WORK_LAUNCH;
    w->module = f->module;
    w->args = *a;
    enqueue (s, w);
  }
  return TRUE;
}

static const GstRkCudaOps fake_ops = {
  .name = "fake",
  .probe = fake_probe,
  .open = fake_open,
  .close = fake_close,
  .host_alloc = fake_host_alloc,
  .host_free = fake_host_free,
  .mem_alloc = fake_mem_alloc,
  .mem_free = fake_mem_free,
  .stream_new = fake_stream_new,
  .stream_free = fake_stream_free,
  .copy_to_device = fake_copy_to_device,
  .copy_to_host = fake_copy_to_host,
  .fill = fake_fill,
  .wait_stream = fake_wait_stream,
  .sync = fake_sync,
  .query = fake_query,
  .get_function = fake_get_function,
  .max_active_blocks = fake_max_active_blocks,
  .launch = fake_launch,
};

/**
 * rk_fake_cuda_install:
 *
 * Makes the CUDA backend use the fake device. Call before anything probes
 * the backend (before rk_test_init()).
 */
void
rk_fake_cuda_install (void)
{
  gst_rk_cuda_set_ops (&fake_ops);
}

void
rk_fake_cuda_set_fault (RkFakeCudaFault fault)
{
  g_atomic_int_set (&fake.fault, fault);
}

/* Applies to devices opened afterwards (a new runtime), while no
 * persistent kernel runs. @blocks_per_sm counts blocks of 256 threads. */
void
rk_fake_cuda_configure (guint sm_count, guint blocks_per_sm)
{
  g_assert_cmpuint (sm_count, <=, FAKE_MAX_SMS);
  fake.sm_count = sm_count;
  fake.blocks_per_sm = blocks_per_sm;
}

guint
rk_fake_cuda_live_allocations (void)
{
  return (guint) g_atomic_int_get (&fake.live);
}

guint
rk_fake_cuda_running_kernels (void)
{
  return (guint) g_atomic_int_get (&fake.running);
}

guint
rk_fake_cuda_launches (void)
{
  return (guint) g_atomic_int_get (&fake.launches);
}

/* Without memory pools device memory is cuMemAlloc/cuMemFree (applies to
 * devices opened afterwards). */
void
rk_fake_cuda_set_memory_pools (gboolean pools)
{
  fake.no_pools = !pools;
}

/* Tripwires fired so far (see tripwire ()) */
guint
rk_fake_cuda_tripwires (void)
{
  return (guint) g_atomic_int_get (&fake.tripwires);
}

/* The last tripwire's message, or NULL; then forgets it and the count */
gchar *
rk_fake_cuda_take_tripwire (void)
{
  gchar *text;

  gst_rk_mutex_lock (&fake.lock);
  text = g_steal_pointer (&fake.last_tripwire);
  g_atomic_int_set (&fake.tripwires, 0);
  gst_rk_mutex_unlock (&fake.lock);
  return text;
}

/* While set, a tripwire in a call that cannot fail (a free) is only
 * counted; else it raises a critical (fatal in the tests). */
void
rk_fake_cuda_expect_tripwires (gboolean expect)
{
  g_atomic_int_set (&fake.expect_tripwires, expect);
}

/* Blocks the running persistent grids hold, process-wide */
guint
rk_fake_cuda_resident_blocks (void)
{
  guint n;

  gst_rk_mutex_lock (&fake.lock);
  n = fake.resident_blocks;
  gst_rk_mutex_unlock (&fake.lock);
  return n;
}

/* Devices the fake has (1 unless set): call before anything probes the
 * backend. They share the block budget, as if one GPU. */
void
rk_fake_cuda_set_devices (guint n)
{
  fake.devices = n;
}

/* While set, work queued on streams (copies, fills, event-driven
 * launches) does not finish: queries say busy, and a sync waits, as behind
 * a kernel that never ends on the same hardware queue. A free still runs
 * it (the driver would let it finish later). */
void
rk_fake_cuda_hang_streams (gboolean hang)
{
  g_atomic_int_set (&fake.hang_streams, hang);
}

/* Each step of a persistent kernel's job takes at least @ms (0: as fast as
 * it runs): a slow GPU, or one time-sliced with another process. */
void
rk_fake_cuda_set_step_time (guint ms)
{
  g_atomic_int_set (&fake.step_ms, ms);
}

/* The next persistent grids launched have @n blocks that never start, as
 * if SMs were held by another process (the driver would still launch) */
void
rk_fake_cuda_set_absent_blocks (guint n)
{
  g_atomic_int_set (&fake.absent_blocks, n);
}

/* A persistent grid takes @ms to end after block 0 reported EXITED (the
 * final barrier, the other blocks' way out) */
void
rk_fake_cuda_set_exit_time (guint ms)
{
  g_atomic_int_set (&fake.exit_ms, ms);
}
