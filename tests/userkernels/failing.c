/* A kernel whose process function fails on its third message. */
#include "rkuser.h"

typedef struct { uint64_t n; } state;

static int
process (rk_cpu_message * msg)
{
  state *st = msg->state;

  if (++st->n == 3)
    return 7;
  return msg->emit_input (msg, RK_USER_MSG_DATA);
}

static const rk_cpu_kernel k = {
  .abi_version = RK_USER_ABI_VERSION,
  .name = "failing",
  .state_size = sizeof (state),
  .process = process,
};

const rk_cpu_kernel *rk_kernel (void);
const rk_cpu_kernel *rk_kernel (void) { return &k; }
