/* Entry points that give nothing usable: must be refused. */
#include <stddef.h>
#include "rkuser.h"

static const rk_cpu_kernel no_process = {
  .abi_version = RK_USER_ABI_VERSION,
  .name = "no-process",
};

const rk_cpu_kernel *rk_kernel (void);
const rk_cpu_kernel *rk_kernel (void) { return NULL; }

const rk_cpu_kernel *rk_no_process (void);
const rk_cpu_kernel *rk_no_process (void) { return &no_process; }
