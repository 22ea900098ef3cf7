/* A user kernel built for another ABI version: must be refused. */
#include "rkuser.h"

static int
process (rk_cpu_message * msg)
{
  return 0;
}

static const rk_cpu_kernel k = {
  .abi_version = RK_USER_ABI_VERSION + 98,
  .name = "bad-abi",
  .process = process,
};

const rk_cpu_kernel *rk_kernel (void);
const rk_cpu_kernel *rk_kernel (void) { return &k; }
