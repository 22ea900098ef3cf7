/* Stands in for a CUDA test when the CUDA backend is not built. */
#include <stdio.h>

int
main (void)
{
  printf ("SKIP: the CUDA backend was not built (nvcc not found; meson "
      "option -Dcuda=enabled makes it required)\n");
  return 77;
}
