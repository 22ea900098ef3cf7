/* Grid × block emulation: every item exactly once, from several callers. */
#include "ringkernel.h"
#include "gstrkcpupool.h"

typedef struct
{
  guint *hits;
} Job;

static void
mark (guint begin, guint end, gpointer data)
{
  Job *job = data;

  for (guint i = begin; i < end; i++)
    g_atomic_int_inc (&job->hits[i]);
}

static void
run_and_check (GstRkCpuPool * pool, guint n, guint blocks)
{
  Job job = { g_new0 (guint, MAX (n, 1)) };

  gst_rk_cpu_pool_run (pool, n, blocks, mark, &job);
  for (guint i = 0; i < n; i++)
    if (job.hits[i] != 1)
      g_error ("n=%u blocks=%u: item %u ran %u times", n, blocks, i,
          job.hits[i]);
  g_free (job.hits);
}

static void
test_coverage (void)
{
  static const guint ns[] = { 0, 1, 2, 7, 100, 1080, 4321 };
  static const guint blocks[] = { 0, 1, 2, 3, 4, 16, 5000 };
  /* 0: a one-core machine's pool, every block on the caller */
  static const guint helpers[] = { 3, 1, 0 };

  for (guint t = 0; t < G_N_ELEMENTS (helpers); t++) {
    GstRkCpuPool *pool = gst_rk_cpu_pool_new (helpers[t]);

    g_assert_cmpuint (gst_rk_cpu_pool_get_n_threads (pool), ==, helpers[t]);
    for (guint a = 0; a < G_N_ELEMENTS (ns); a++)
      for (guint b = 0; b < G_N_ELEMENTS (blocks); b++)
        run_and_check (pool, ns[a], blocks[b]);
    gst_rk_cpu_pool_free (pool);
  }
}

static gpointer
caller_main (gpointer data)
{
  for (guint i = 0; i < 300; i++)
    run_and_check (data, 1000 + i, 2 + i % 5);
  return NULL;
}

static void
test_concurrent_callers (void)
{
  GstRkCpuPool *pool = gst_rk_cpu_pool_new (2);
  GThread *t[3];

  for (guint i = 0; i < 3; i++)
    t[i] = g_thread_new ("caller", caller_main, pool);
  for (guint i = 0; i < 3; i++)
    g_thread_join (t[i]);
  gst_rk_cpu_pool_free (pool);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cpu-pool/coverage", test_coverage);
  g_test_add_func ("/cpu-pool/concurrent-callers", test_concurrent_callers);
  return g_test_run ();
}
