/* Shared by the tests: initialisation and the test-only kernels. */
#ifndef __RK_TEST_H__
#define __RK_TEST_H__

#include <gst/gst.h>
#include "ringkernel.h"

G_BEGIN_DECLS

/* "counter": a stateful message kernel. Its state is a 64-bit count of the
 * messages it has seen, each adding its parameter "step" (1 by default);
 * each message yields one 8-byte little-endian buffer holding the count
 * after it. State that survives deactivation shows as a count that keeps
 * going; a step change shows from exactly the next message. */
typedef struct
{
  guint64 count;
} RkTestCounterState;

void rk_test_init (int *argc, char ***argv);
guint64 rk_test_read_u64 (GstBuffer * buf);
GstBuffer *rk_test_make_buffer (guint64 value, gsize size);
GstBuffer *rk_test_audio_buffer (guint rate, const gfloat * data,
    guint channels, guint first, guint frames);
void rk_test_assert_flushing_unblocks_send (GstRkKernel * kernel,
    gsize size);
guint64 rk_test_kernel_stat (GstRkKernel * kernel, const gchar * field);
guint64 rk_test_kernel_stat_settled (GstRkKernel * kernel,
    const gchar * field, guint64 expect);
void rk_test_remove_dir (const gchar * dir);
gboolean rk_test_backend_usable (GstRkBackendKind backend, gchar ** reason);
void rk_test_set_grid_size (GstElement * element);

G_END_DECLS

#endif /* __RK_TEST_H__ */
