/* A vignette for the CPU backend: darkens RGBA or GRAY8 video towards the
 * corners. params->param[0] is the strength, 0 (none) to 1 (black
 * corners). Integer arithmetic throughout, so every backend can compute
 * the same bytes:
 *
 *   dx = 2x + 1 - w, dy = 2y + 1 - h          (half-pixel units)
 *   f  = 256 - s * (dx² + dy²) / (w² + h²)    (s = strength × 256, rounded)
 *   out = (in × f + 128) >> 8                 (alpha kept)
 *
 *   cc -shared -fPIC -I<gst-ringkernel>/runtime -o vignette.so vignette.c
 *   gst-launch-1.0 videotestsrc ! video/x-raw,format=RGBA \
 *       ! ringkernel kernel-file=./vignette.so params="params, param0=(double)0.9" \
 *       ! videoconvert ! autovideosink
 */
#include <string.h>
#include "rkuser.h"

#define FORMAT_GRAY8 1u                 /* RK_FORMAT_* of gstrkabi.h */
#define FORMAT_RGBA 2u

typedef struct
{
  const rk_params *p;
  const uint8_t *in;
  uint8_t *out;
  int64_t strength;
  int bpp;
} job;

static void
rows (uint32_t begin, uint32_t end, void *data)
{
  const job *j = data;
  const rk_params *p = j->p;
  int64_t w = p->width, h = p->height, norm = w * w + h * h;

  for (uint32_t y = begin; y < end; y++) {
    const uint8_t *s = j->in + p->in_offset[0] + (size_t) y * p->in_stride[0];
    uint8_t *d = j->out + p->out_offset[0] + (size_t) y * p->out_stride[0];
    int64_t dy = 2 * (int64_t) y + 1 - h;

    memcpy (d, s, p->in_stride[0]);     /* padding and alpha as they were */
    for (int64_t x = 0; x < w; x++) {
      int64_t dx = 2 * x + 1 - w;
      int64_t f = 256 - j->strength * (dx * dx + dy * dy) / norm;

      if (f < 0)
        f = 0;
      for (int c = 0; c < (j->bpp == 4 ? 3 : 1); c++)
        d[x * j->bpp + c] = (uint8_t) ((s[x * j->bpp + c] * f + 128) >> 8);
    }
  }
}

static int
vignette_process (rk_cpu_message * msg)
{
  const rk_params *p = msg->params;
  float strength = p->param[0];
  job j;

  if ((p->in_format != FORMAT_RGBA && p->in_format != FORMAT_GRAY8) ||
      msg->size < p->in_size)
    return -1;                          /* not video this kernel knows */
  j.p = p;
  j.in = msg->data;
  j.out = msg->alloc (msg, p->out_size);
  if (j.out == NULL)
    return -1;
  j.strength = (int64_t) ((strength < 0 ? 0 : strength > 1 ? 1 : strength) *
      256 + 0.5f);
  j.bpp = p->in_format == FORMAT_RGBA ? 4 : 1;
  msg->parallel_for (msg, p->height, rows, &j);
  return msg->emit (msg, RK_USER_MSG_DATA);
}

static const rk_cpu_kernel vignette = {
  .abi_version = RK_USER_ABI_VERSION,
  .name = "vignette",
  .flags = RK_USER_FLAG_FRAME,
  .process = vignette_process,
};

const rk_cpu_kernel *rk_kernel (void);

const rk_cpu_kernel *
rk_kernel (void)
{
  return &vignette;
}
