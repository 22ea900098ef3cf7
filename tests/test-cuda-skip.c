/* Stands in for a CUDA test when the CUDA backend is not built. */
#include <stdio.h>

int
main (void)
{
  printf ("SKIP: the CUDA backend was not built: %s\n",
      RK_CUDA_SKIP_REASON);
  return 77;
}
