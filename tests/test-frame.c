/* Frame layouts computed without libgstvideo equal GstVideoInfo's. */
#include <gst/video/video.h>
#include "ringkernel.h"
#include "gstrkframe.h"

static void
test_layouts_match_video_info (void)
{
  static const gchar *formats[] = { "GRAY8", "RGBA", "BGRA", "RGBx", "BGRx",
    "NV12", "I420"
  };
  static const guint sizes[][2] = { {1, 1}, {2, 2}, {3, 5}, {7, 3}, {17, 9},
  {640, 480}, {641, 481}, {1920, 1080}, {3840, 2160}
  };

  for (guint f = 0; f < G_N_ELEMENTS (formats); f++) {
    for (guint s = 0; s < G_N_ELEMENTS (sizes); s++) {
      GstVideoInfo vi;
      guint32 offset[3], stride[3], size;
      guint32 rk = gst_rk_format_from_string (formats[f]);

      g_assert_cmpuint (rk, !=, RK_FORMAT_UNKNOWN);
      g_assert_cmpstr (gst_rk_format_to_string (rk), ==, formats[f]);
      g_assert_true (gst_video_info_set_format (&vi,
              gst_video_format_from_string (formats[f]), sizes[s][0],
              sizes[s][1]));
      g_assert_true (gst_rk_frame_layout (rk, sizes[s][0], sizes[s][1],
              offset, stride, &size));
      g_assert_cmpuint (size, ==, GST_VIDEO_INFO_SIZE (&vi));
      for (guint p = 0; p < GST_VIDEO_INFO_N_PLANES (&vi); p++) {
        g_assert_cmpuint (offset[p], ==, GST_VIDEO_INFO_PLANE_OFFSET (&vi, p));
        g_assert_cmpuint (stride[p], ==, GST_VIDEO_INFO_PLANE_STRIDE (&vi, p));
      }
    }
  }
}

static void
test_refusals (void)
{
  guint32 offset[3], stride[3], size;
  GError *err = NULL;
  guint32 fmt, w, h;
  GstCaps *caps;

  g_assert_false (gst_rk_frame_layout (RK_FORMAT_F32LE, 4, 4, offset, stride,
          &size));
  g_assert_false (gst_rk_frame_layout (RK_FORMAT_RGBA, 0, 4, offset, stride,
          &size));
  g_assert_false (gst_rk_frame_layout (RK_FORMAT_RGBA, 65536, 65536, offset,
          stride, &size));

  caps = gst_caps_from_string ("video/x-raw,format=YUY2,width=4,height=4");
  g_assert_false (gst_rk_video_caps_parse (caps, &fmt, &w, &h, &err));
  g_assert_cmpstr (err->message, ==, "video format YUY2 is not supported");
  g_clear_error (&err);
  gst_caps_unref (caps);

  caps = gst_caps_from_string ("video/x-raw,format=RGBA,width=[1,4],height=4");
  g_assert_false (gst_rk_video_caps_parse (caps, &fmt, &w, &h, &err));
  g_assert_cmpstr (err->message, ==, "caps are not fixed raw video caps");
  g_clear_error (&err);
  gst_caps_unref (caps);
}

static void
test_caps_with_formats (void)
{
  GstCaps *in = gst_caps_from_string ("video/x-raw,format=RGBA,width=8,"
      "height=2,colorimetry=sRGB,framerate=30/1");
  GstCaps *out = gst_rk_video_caps_with_formats (in, "GRAY8");
  GstCaps *expect = gst_caps_from_string ("video/x-raw,format=GRAY8,"
      "width=8,height=2,framerate=30/1");

  g_assert_true (gst_caps_is_equal (out, expect));
  gst_caps_unref (in);
  gst_caps_unref (out);
  gst_caps_unref (expect);
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/frame/layouts-match-video-info",
      test_layouts_match_video_info);
  g_test_add_func ("/frame/refusals", test_refusals);
  g_test_add_func ("/frame/caps-with-formats", test_caps_with_formats);
  return g_test_run ();
}
