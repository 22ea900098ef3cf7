/* A stateful counter actor for the CPU backend.
 *
 * Its state is the number of messages it has seen; every message gets one
 * 8-byte little-endian answer: that count. The count lives in the kernel's
 * state, so it goes on across PAUSED -> READY -> PAUSED.
 *
 *   cc -shared -fPIC -I<gst-ringkernel>/runtime -o counter.so counter.c
 *   gst-launch-1.0 fakesrc num-buffers=5 sizetype=fixed sizemax=8 \
 *       ! ringkernel kernel-file=./counter.so ! fakesink dump=true
 */
#include <string.h>
#include "rkuser.h"

typedef struct
{
  uint64_t count;
} counter_state;

static int
counter_process (rk_cpu_message * msg)
{
  counter_state *st = msg->state;
  uint8_t *out;

  st->count++;
  out = msg->alloc (msg, sizeof (st->count));
  if (out == NULL)
    return -1;
  memcpy (out, &st->count, sizeof (st->count));     /* little-endian hosts */
  /* A DATA output answering a REQUEST goes back as its REPLY. */
  return msg->emit (msg, RK_USER_MSG_DATA);
}

static const rk_cpu_kernel counter = {
  .abi_version = RK_USER_ABI_VERSION,
  .name = "counter",
  .state_size = sizeof (counter_state),
  .process = counter_process,
};

const rk_cpu_kernel *rk_kernel (void);

const rk_cpu_kernel *
rk_kernel (void)
{
  return &counter;
}
