/* A vignette for the CUDA backend, the same bytes as
 * pipelines/examples/cpu/vignette.c: darkens RGBA or GRAY8 video towards
 * the corners; params->param[0] is the strength, 0 (none) to 1 (black
 * corners). Integer arithmetic:
 *
 *   dx = 2x + 1 - w, dy = 2y + 1 - h          (half-pixel units)
 *   f  = 256 - s * (dx² + dy²) / (w² + h²)    (s = strength × 256, rounded)
 *   out = (in × f + 128) >> 8                 (alpha kept)
 *
 * One output byte per thread (rows copied with their padding).
 *   gst-launch-1.0 videotestsrc ! video/x-raw,format=RGBA \
 *       ! ringkernel kernel-file=pipelines/examples/cuda/vignette.cu \
 *         params="params, param0=(double)0.9" ! videoconvert ! autovideosink
 */

#define FORMAT_GRAY8 1u                 /* RK_FORMAT_* of gstrkabi.h */
#define FORMAT_RGBA 2u

RK_USER_KERNEL (0, RK_USER_FLAG_FRAME);

__device__ int
rk_kernel (rk_cuda_message *msg)
{
  const rk_params *p = msg->params;
  float strength = p->param[0];
  long long s, w = p->width, h = p->height, norm = w * w + h * h;
  unsigned int bpp = p->in_format == FORMAT_RGBA ? 4 : 1;
  unsigned long long n = (unsigned long long) p->in_stride[0] * p->height;
  unsigned char *out;

  if ((p->in_format != FORMAT_RGBA && p->in_format != FORMAT_GRAY8) ||
      msg->size < p->in_size)
    return -1;                          /* not video this kernel knows */
  out = rk_cuda_output (msg, p->out_size);
  if (out == 0)
    return -1;
  s = (long long) ((strength < 0 ? 0 : strength > 1 ? 1 : strength) * 256 +
      0.5f);
  for (unsigned long long i = msg->thread; i < n; i += msg->threads) {
    long long y = (long long) (i / p->in_stride[0]);
    long long b = (long long) (i % p->in_stride[0]), x = b / bpp;
    const unsigned char *src = msg->data + p->in_offset[0] + i;
    unsigned char *dst = out + p->out_offset[0] +
        (unsigned long long) y * p->out_stride[0] + b;
    long long dx = 2 * x + 1 - w, dy = 2 * y + 1 - h;
    long long f = 256 - s * (dx * dx + dy * dy) / norm;

    if (f < 0)
      f = 0;
    if (x < w && (bpp == 1 || b % 4 != 3))
      *dst = (unsigned char) ((*src * f + 128) >> 8);
    else
      *dst = *src;                      /* padding and alpha as they were */
  }
  if (msg->thread == 0)
    rk_cuda_emit (msg, RK_USER_MSG_DATA, p->out_size);
  return 0;
}
