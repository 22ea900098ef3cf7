/* A stateful counter actor for the CUDA backend, as
 * pipelines/examples/cpu/counter.c: every message increments a 64-bit
 * count in the kernel's device state and answers with the new count
 * (8 bytes, little-endian); a REQUEST gets it as its REPLY.
 *
 * Compiled at run time by NVRTC with rkuser-cuda.h included:
 *   gst-launch-1.0 fakesrc num-buffers=10 ! ringkernel \
 *       kernel-file=pipelines/examples/cuda/counter.cu ! fakesink dump=true
 */

typedef struct
{
  unsigned long long count;
} counter_state;

RK_USER_KERNEL (sizeof (counter_state), 0);

__device__ int
rk_kernel (rk_cuda_message *msg)
{
  counter_state *st = (counter_state *) msg->state;
  unsigned char *out;

  if (msg->thread != 0)         /* one count per message */
    return 0;
  out = rk_cuda_output (msg, sizeof (st->count));
  if (out == 0)
    return -1;
  st->count++;
  for (int i = 0; i < 8; i++)
    out[i] = (unsigned char) (st->count >> (8 * i));
  /* A DATA output answering a REQUEST goes back as its REPLY. */
  rk_cuda_emit (msg, RK_USER_MSG_DATA, sizeof (st->count));
  return 0;
}
