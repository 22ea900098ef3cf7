/* A vignette for the Vulkan backend, the same bytes as
 * pipelines/examples/cpu/vignette.c: darkens RGBA or GRAY8 video towards
 * the corners; rk_params.param[0] is the strength, 0 (none) to 1 (black
 * corners). Integer arithmetic (64-bit: the device needs shaderInt64):
 *
 *   dx = 2x + 1 - w, dy = 2y + 1 - h          (half-pixel units)
 *   f  = 256 - s * (dx² + dy²) / (w² + h²)    (s = strength × 256, rounded)
 *   out = (in × f + 128) >> 8                 (alpha kept)
 *
 * One 32-bit word of output per invocation (rows copied with their
 * padding; video strides are multiples of 4).
 *   glslc -I<gst-ringkernel>/runtime -o vignette.spv vignette.comp
 *   gst-launch-1.0 videotestsrc ! video/x-raw,format=RGBA \
 *       ! ringkernel kernel-file=./vignette.spv \
 *         params="params, param0=(double)0.9" ! videoconvert ! autovideosink
 */
#version 450
#extension GL_ARB_gpu_shader_int64 : require
#include "rkuser.glsl"

#define FORMAT_GRAY8 1u                 /* RK_FORMAT_* of gstrkabi.h */
#define FORMAT_RGBA 2u

RK_USER_KERNEL (0, RK_USER_FLAG_FRAME);

void
rk_process ()
{
  float strength = rk_params.param[0];
  int64_t s, w = int64_t (rk_params.width), h = int64_t (rk_params.height);
  int64_t norm = w * w + h * h;
  uint bpp = rk_params.in_format == FORMAT_RGBA ? 4u : 1u;
  uint row_words = rk_params.in_stride[0] / 4u;
  uint n = row_words * rk_params.height;

  if ((rk_params.in_format != FORMAT_RGBA &&
          rk_params.in_format != FORMAT_GRAY8) ||
      rk_message.in_size < rk_params.in_size ||
      rk_out_capacity () < rk_params.out_size) {
    rk_fail ();                         /* not video this kernel knows */
    return;
  }
  s = int64_t ((strength < 0.0 ? 0.0 : strength > 1.0 ? 1.0 : strength) *
      256.0 + 0.5);
  for (uint i = rk_invocation (); i < n; i += rk_invocations ()) {
    uint y = i / row_words, bw = i % row_words;
    uint src = rk_params.in_offset[0] + y * rk_params.in_stride[0] + bw * 4u;
    uint word = 0u;
    int64_t dy = 2 * int64_t (y) + 1 - h;

    for (uint k = 0u; k < 4u; k++) {
      uint b = bw * 4u + k, x = b / bpp;
      uint v = rk_in_byte (src + k);

      if (x < rk_params.width && (bpp == 1u || k != 3u)) {
        int64_t dx = 2 * int64_t (x) + 1 - w;
        int64_t f = 256 - s * (dx * dx + dy * dy) / norm;

        v = uint ((int64_t (v) * max (f, int64_t (0)) + 128) >> 8);
      }
      word |= v << (8u * k);            /* padding and alpha as they were */
    }
    rk_out[(rk_params.out_offset[0] + y * rk_params.out_stride[0]) / 4u +
        bw] = word;
  }
  if (rk_invocation () == 0u)
    rk_emit (RK_USER_MSG_DATA, rk_params.out_size);
}
