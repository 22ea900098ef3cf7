/* gst-ringkernel
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "gstrkcpupool.h"
#include "gstrksync.h"

typedef struct
{
  GstRkCpuRangeFunc func;
  gpointer user_data;
  guint n_items;
  guint n_blocks;
  guint next;                   /* next block to claim, atomic */
  guint users;                  /* helpers inside run_blocks(), under lock */
} Job;

struct _GstRkCpuPool
{
  GMutex lock;
  GCond work_cond;              /* helpers: a job arrived, or quit */
  GCond done_cond;              /* callers: a helper left a job */
  GQueue jobs;                  /* jobs with blocks left to claim */
  GThread **threads;
  guint n_threads;
  gboolean quit;
};

/* Claims and runs blocks until none are left. */
static void
run_blocks (Job * job)
{
  guint b;

  while ((b = g_atomic_int_add (&job->next, 1)) < job->n_blocks) {
    guint begin = (guint) ((guint64) job->n_items * b / job->n_blocks);
    guint end = (guint) ((guint64) job->n_items * (b + 1) / job->n_blocks);

    if (begin < end)
      job->func (begin, end, job->user_data);
  }
}

static gpointer
helper_main (gpointer data)
{
  GstRkCpuPool *pool = data;

  gst_rk_mutex_lock (&pool->lock);
  for (;;) {
    Job *job;

    while (!pool->quit && g_queue_is_empty (&pool->jobs))
      gst_rk_cond_wait (&pool->work_cond, &pool->lock);
    if (pool->quit)
      break;

    job = g_queue_peek_head (&pool->jobs);
    job->users++;
    gst_rk_mutex_unlock (&pool->lock);

    run_blocks (job);

    gst_rk_mutex_lock (&pool->lock);
    /* Every block is claimed: nobody else should pick this job up. */
    g_queue_remove (&pool->jobs, job);
    job->users--;
    g_cond_broadcast (&pool->done_cond);
  }
  gst_rk_mutex_unlock (&pool->lock);
  return NULL;
}

GstRkCpuPool *
gst_rk_cpu_pool_new (guint n_threads)
{
  GstRkCpuPool *pool = g_new0 (GstRkCpuPool, 1);
  guint i;

  g_mutex_init (&pool->lock);
  g_cond_init (&pool->work_cond);
  g_cond_init (&pool->done_cond);
  g_queue_init (&pool->jobs);
  pool->n_threads = n_threads;
  pool->threads = g_new0 (GThread *, MAX (n_threads, 1));
  for (i = 0; i < n_threads; i++)
    pool->threads[i] = g_thread_new ("rk-cpu-pool", helper_main, pool);
  return pool;
}

void
gst_rk_cpu_pool_free (GstRkCpuPool * pool)
{
  guint i;

  gst_rk_mutex_lock (&pool->lock);
  pool->quit = TRUE;
  g_cond_broadcast (&pool->work_cond);
  gst_rk_mutex_unlock (&pool->lock);
  for (i = 0; i < pool->n_threads; i++)
    g_thread_join (pool->threads[i]);
  g_free (pool->threads);
  g_mutex_clear (&pool->lock);
  g_cond_clear (&pool->work_cond);
  g_cond_clear (&pool->done_cond);
  g_free (pool);
}

/* Helper threads; the caller of gst_rk_cpu_pool_run() works too. */
guint
gst_rk_cpu_pool_get_n_threads (GstRkCpuPool * pool)
{
  return pool->n_threads;
}

/**
 * gst_rk_cpu_pool_run:
 * @n_items: size of the index space (rows, samples, ...)
 * @n_blocks: how many ranges to split it into (the grid size)
 *
 * Runs @func over [0, @n_items) in @n_blocks contiguous ranges and returns
 * when all are done.
 */
void
gst_rk_cpu_pool_run (GstRkCpuPool * pool, guint n_items, guint n_blocks,
    GstRkCpuRangeFunc func, gpointer user_data)
{
  Job job = { func, user_data, n_items, MIN (MAX (n_blocks, 1), MAX (n_items,
          1)), 0, 0
  };

  if (job.n_blocks == 1 || pool == NULL || pool->n_threads == 0) {
    if (n_items)
      func (0, n_items, user_data);
    return;
  }

  gst_rk_mutex_lock (&pool->lock);
  g_queue_push_tail (&pool->jobs, &job);
  g_cond_broadcast (&pool->work_cond);
  gst_rk_mutex_unlock (&pool->lock);

  run_blocks (&job);

  /* All blocks are claimed. Once no helper is inside the job, every claimed
   * block has finished and the job may leave the stack. */
  gst_rk_mutex_lock (&pool->lock);
  g_queue_remove (&pool->jobs, &job);
  while (job.users > 0)
    gst_rk_cond_wait (&pool->done_cond, &pool->lock);
  gst_rk_mutex_unlock (&pool->lock);
}
