/* A fake CUDA device for the tests (a test double, never shipped).
 *
 * It implements GstRkCudaOps over host memory: "device" and "mapped"
 * memory are aligned host allocations whose device address is their host
 * address, a stream's copies, fills and launches run in order but only
 * when needed (a sync or query of the stream, a stream waiting for it, a
 * free), so a missing wait or sync leaves stale data as a GPU may, and a
 * persistent launch starts a host thread that runs the real dispatcher
 * (backends/cuda/gstrkcudaloop.h) and the real kernel bodies
 * (the headers in backends/cuda/kernels, tests/rkcudacounter.h) with a grid of one
 * thread. So everything the CUDA backend does on the host, and the device
 * protocol itself, run here as they would with a GPU.
 *
 * It is as strict as the driver where a GPU would hang: one context per
 * device index, shared by every open; cooperative grids share a
 * process-wide budget of threads per SM, placed block by block (a grid
 * that cannot be resident beside the running ones fails to launch; an
 * SM holds blocks_per_sm blocks of 256 threads, fewer bigger ones); and
 * while any persistent kernel is
 * resident, calls the driver would make wait for the whole context
 * (pinned allocation and free, cuMemAlloc/cuMemFree without memory pools,
 * module load and unload) are tripwires: they fail with the reason, or
 * raise a critical where they cannot fail, and are counted.
 *
 * Faults can be injected to test the watchdog, error reporting and the
 * bounded terminate; and stream work that never finishes, slow job steps,
 * blocks that never start and grids slow to leave, to test the deadlines
 * and handshakes (issue 16, hazards 4 to 6). */
#ifndef __RK_FAKE_CUDA_H__
#define __RK_FAKE_CUDA_H__

#include <glib.h>

G_BEGIN_DECLS

#define RK_FAKE_CUDA_DEVICE_NAME "Fake CUDA device (test double)"

typedef enum
{
  RK_FAKE_CUDA_FAULT_NONE,
  /* persistent kernels stop working and beating, but still obey TERMINATE */
  RK_FAKE_CUDA_FAULT_STALL,
  /* persistent kernels ignore everything, TERMINATE too, until cleared */
  RK_FAKE_CUDA_FAULT_HANG,
  /* persistent kernels die with CUDA_ERROR_ILLEGAL_ADDRESS (700) */
  RK_FAKE_CUDA_FAULT_TRAP,
  /* launches fail with CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (701) */
  RK_FAKE_CUDA_FAULT_LAUNCH,
} RkFakeCudaFault;

void rk_fake_cuda_install (void);
void rk_fake_cuda_set_fault (RkFakeCudaFault fault);
void rk_fake_cuda_configure (guint sm_count, guint blocks_per_sm);
guint rk_fake_cuda_live_allocations (void);
guint rk_fake_cuda_running_kernels (void);
guint rk_fake_cuda_launches (void);
void rk_fake_cuda_set_memory_pools (gboolean pools);
guint rk_fake_cuda_tripwires (void);
gchar *rk_fake_cuda_take_tripwire (void);
void rk_fake_cuda_expect_tripwires (gboolean expect);
guint rk_fake_cuda_resident_blocks (void);
void rk_fake_cuda_set_devices (guint n);
void rk_fake_cuda_hang_streams (gboolean hang);
void rk_fake_cuda_set_step_time (guint ms);
void rk_fake_cuda_set_absent_blocks (guint n);
void rk_fake_cuda_set_exit_time (guint ms);

G_END_DECLS

#endif /* __RK_FAKE_CUDA_H__ */
