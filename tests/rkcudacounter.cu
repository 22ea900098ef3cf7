/* The tests' "counter" kernel as a CUDA module */
#include "gstrkcudaentry.cuh"
#include "rkcudacounter.h"

RK_CUDA_DEFINE_ENTRIES (rk_test_counter_process)
