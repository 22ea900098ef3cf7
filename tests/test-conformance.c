/* Backend conformance: every kernel, on every backend present, gives the
 * outputs the CPU reference gives.
 *
 * Each case is a script (send, drain, deactivate, flush, reset, caps
 * change, ...) run once on the CPU backend and once on the backend under
 * test; the two transcripts (every output's type, id, correlation id, PTS
 * and bytes, then the counters, or the error the kernel stopped with) must
 * be equal. Outputs are also checked against what the test itself expects
 * (echo: the input; counter: a model of its count; gray: the BT.601
 * formula), so the CPU backend is tested too.
 *
 * A backend that is not present is skipped with its reason. A new backend
 * is covered by adding it to `backends` below; a new kernel by a script.
 * RK_TEST_BACKENDS (e.g. "vulkan") limits the run to some backends.
 * Built with RK_TEST_FAKE_CUDA (test "conformance-cuda"), the CUDA backend
 * runs on the fake device (tests/rkfakecuda.h).
 */
#include <math.h>
#include <string.h>
#include <gst/check/gstharness.h>
#include <gst/video/video.h>

#include "gstrkkernellayouts.h"
#include "rktest.h"
#ifdef RK_TEST_FAKE_CUDA
#include "rkfakecuda.h"
#endif
#include "gstrkregistryprivate.h"

#define SECOND G_USEC_PER_SEC
#define DRAIN_TIMEOUT_US (60 * SECOND)

static const GstRkBackendKind backends[] = {
  GST_RK_BACKEND_CPU, GST_RK_BACKEND_VULKAN, GST_RK_BACKEND_CUDA
};

/* ---- Scripts ---- */

typedef enum
{
  STEP_SEND,                    /* a message of @size bytes (-1: no payload) */
  STEP_FRAME,                   /* a random frame of the caps in force */
  STEP_CAPS,                    /* new caps from the next message on */
  STEP_CONTROL_RESET,           /* RK_CONTROL_RESET_STATE */
  STEP_DRAIN,                   /* wait until everything sent is consumed */
  STEP_DEACTIVATE,
  STEP_ACTIVATE,
  STEP_FLUSH,
  STEP_EXPECT_ERROR,            /* the kernel fails: record its error */
  STEP_STEP,                    /* counter: its "step" parameter is @size */
  STEP_PARAMS,                  /* parameters (a structure in @caps) */
  STEP_RAMP,                    /* a GRAY8 frame of smooth ramps */
  STEP_STILL,                   /* the last frame once more */
  STEP_AUDIO,                   /* @size F32 frames in [-1, 1) */
  STEP_TAPS,                    /* fir: @size taps of a decaying wave */
  STEP_END
} StepKind;

typedef struct
{
  StepKind kind;
  gint size;
  guint32 type;
  guint64 correlation;
  const gchar *caps;
  guint repeat;
} Step;

typedef struct
{
  const gchar *name;
  const gchar *kernel;
  GstRkKernelMode mode;
  guint32 capacity;
  const Step *steps;
} Script;

#define SEND(size) {STEP_SEND, (size), RK_MSG_DATA, 0, NULL, 1}
#define SEND_N(size, n) {STEP_SEND, (size), RK_MSG_DATA, 0, NULL, (n)}
#define REQUEST(size, corr) {STEP_SEND, (size), RK_MSG_REQUEST, (corr), NULL, 1}
#define FRAME(n) {STEP_FRAME, 0, RK_MSG_DATA, 0, NULL, (n)}
#define SHORT_FRAME(size) {STEP_FRAME, (size), RK_MSG_DATA, 0, NULL, 1}
#define CAPS(c) {STEP_CAPS, 0, 0, 0, (c), 1}
#define DO(kind) {(kind), 0, 0, 0, NULL, 1}
#define STEP(n) {STEP_STEP, (n), 0, 0, NULL, 1}
#define PARAMS(s) {STEP_PARAMS, 0, 0, 0, (s), 1}
#define RAMP_FRAME {STEP_RAMP, 0, RK_MSG_DATA, 0, NULL, 1}
#define STILL(n) {STEP_STILL, 0, RK_MSG_DATA, 0, NULL, (n)}
#define AUDIO(frames, n) {STEP_AUDIO, (frames), RK_MSG_DATA, 0, NULL, (n)}
#define TAPS(n) {STEP_TAPS, (n), 0, 0, NULL, 1}

/* Payload sizes around every boundary a backend may have: empty, 16-byte
 * units, the 64-byte envelope, inline room in ring slots (192), pages,
 * and more than a megabyte. */
static const Step echo_sizes[] = {
  SEND (-1), SEND (0), SEND (1), SEND (15), SEND (16), SEND (17), SEND (63),
  SEND (64), SEND (65), REQUEST (100, 0xABCDEF), SEND (191), SEND (192),
  SEND (193), REQUEST (255, 42), SEND (256), SEND (1000), SEND (4096),
  SEND (65537), SEND ((1 << 20) + 3), SEND (8), REQUEST (-1, 7),
  DO (STEP_DRAIN), DO (STEP_END)
};

/* Many small messages through queues of 16: backpressure and wrap-around,
 * with now and then one too large for a ring slot. */
static const Step echo_stream[] = {
  SEND_N (24, 700), SEND (300), SEND_N (64, 600), REQUEST (2000, 9),
  SEND_N (1, 700), DO (STEP_DRAIN), DO (STEP_END)
};

/* Device state: kept across deactivation and flushes, reset in order by a
 * control message; inline and host-buffer messages count alike. */
static const Step counter_state[] = {
  SEND (8), SEND (64), SEND (192), SEND (193), SEND (5000), DO (STEP_DRAIN),
  DO (STEP_DEACTIVATE), SEND_N (8, 3), DO (STEP_ACTIVATE), DO (STEP_DRAIN),
  DO (STEP_DEACTIVATE), SEND_N (8, 4), SEND (3000), DO (STEP_FLUSH),
  DO (STEP_ACTIVATE), REQUEST (8, 77), SEND (-1), DO (STEP_DRAIN),
  DO (STEP_CONTROL_RESET), SEND_N (16, 2), SEND (1000), DO (STEP_DRAIN),
  SEND_N (8, 500), DO (STEP_DRAIN), DO (STEP_END)
};

/* A parameter change applies from exactly the next message, while the
 * kernel runs (no drain between): a persistent dispatch must stop there. */
static const Step counter_params[] = {
  SEND_N (8, 3), STEP (5), SEND_N (8, 3), SEND (600), STEP (2), SEND_N (8, 40),
  STEP (7), REQUEST (100, 3), STEP (1), SEND_N (8, 5), DO (STEP_DRAIN),
  DO (STEP_END)
};

#define GRAY_CAPS(fmt, w, h) \
  "video/x-raw,format=" fmt ",width=" #w ",height=" #h ",framerate=30/1"

/* Every input format at odd and even sizes, caps changing mid-stream. */
static const Step gray_formats[] = {
  CAPS (GRAY_CAPS ("RGBA", 1, 1)), FRAME (1),
  CAPS (GRAY_CAPS ("RGBA", 33, 17)), FRAME (2),
  CAPS (GRAY_CAPS ("BGRA", 17, 33)), FRAME (2),
  CAPS (GRAY_CAPS ("RGBx", 3, 5)), FRAME (1),
  CAPS (GRAY_CAPS ("BGRx", 641, 479)), FRAME (1),
  CAPS (GRAY_CAPS ("NV12", 2, 2)), FRAME (1),
  CAPS (GRAY_CAPS ("NV12", 33, 17)), FRAME (2),
  CAPS (GRAY_CAPS ("I420", 17, 33)), FRAME (2),
  CAPS (GRAY_CAPS ("I420", 641, 479)), FRAME (1),
  CAPS (GRAY_CAPS ("RGBA", 1920, 1080)), FRAME (2),
  CAPS (GRAY_CAPS ("NV12", 1920, 1080)), FRAME (1),
  DO (STEP_DRAIN), DO (STEP_END)
};

/* A frame shorter than the caps say: the same error everywhere */
static const Step gray_short_frame[] = {
  CAPS (GRAY_CAPS ("RGBA", 64, 48)), FRAME (1), DO (STEP_DRAIN),
  SHORT_FRAME (1000), DO (STEP_EXPECT_ERROR), DO (STEP_END)
};

#define VIDEO_CAPS GRAY_CAPS

/* Blur: both pixel sizes at odd sizes (border clamping), radii from 0 to
 * more than the frame (every tap clamped), a change of sigma mid-stream. */
static const Step blur_frames[] = {
  CAPS (VIDEO_CAPS ("GRAY8", 37, 23)), FRAME (2),
  PARAMS ("params,sigma=0.0"), FRAME (1),
  PARAMS ("params,sigma=3.3"), FRAME (1),
  CAPS (VIDEO_CAPS ("RGBA", 33, 17)), FRAME (1),
  PARAMS ("params,sigma=16.0"), FRAME (1),
  CAPS (VIDEO_CAPS ("BGRx", 5, 3)), FRAME (1),
  CAPS (VIDEO_CAPS ("GRAY8", 1, 1)), FRAME (1),
  PARAMS ("params,sigma=0.7"),
  CAPS (VIDEO_CAPS ("RGBx", 160, 91)), FRAME (2),
  DO (STEP_DRAIN), DO (STEP_END)
};

/* Sobel: magnitudes and thresholds at odd sizes; the ramp frame has
 * gradients from 0 up to saturation, rising slowly (small integer roots,
 * where a float root off by an ulp would show). */
static const Step sobel_frames[] = {
  CAPS (VIDEO_CAPS ("GRAY8", 37, 23)), FRAME (2),
  PARAMS ("params,threshold=64"), FRAME (1),
  PARAMS ("params,threshold=1"), FRAME (1),
  PARAMS ("params,threshold=255"), FRAME (1),
  PARAMS ("params,threshold=0"),
  CAPS (VIDEO_CAPS ("GRAY8", 1, 1)), FRAME (1),
  CAPS (VIDEO_CAPS ("GRAY8", 2, 3)), FRAME (1),
  CAPS (VIDEO_CAPS ("GRAY8", 256, 64)), RAMP_FRAME,
  PARAMS ("params,threshold=100"), RAMP_FRAME,
  DO (STEP_DRAIN), DO (STEP_END)
};

/* Bgsub: with a learning rate of 1 a still frame has no foreground and a
 * new random one is all foreground, so motion rises and falls on cue;
 * the model survives deactivation and a caps change of the same size, a
 * reset starts it afresh in order, a new size starts afresh. */
static const Step bgsub_frames[] = {
  CAPS (VIDEO_CAPS ("GRAY8", 37, 23)),
  PARAMS ("params,learning-rate=1.0,motion-threshold=0.1"),
  FRAME (1), STILL (2), FRAME (1), STILL (1), FRAME (2), DO (STEP_DRAIN),
  DO (STEP_DEACTIVATE), STILL (1), DO (STEP_ACTIVATE), DO (STEP_DRAIN),
  DO (STEP_CONTROL_RESET), FRAME (1), FRAME (1), STILL (1),
  PARAMS ("params,learning-rate=0.05,threshold=10,motion-threshold=0.3"),
  FRAME (3), STILL (3),
  CAPS (VIDEO_CAPS ("RGBA", 37, 23)), FRAME (2), STILL (2),
  CAPS (VIDEO_CAPS ("BGRx", 33, 9)), FRAME (2), STILL (1),
  DO (STEP_DRAIN), DO (STEP_DEACTIVATE), FRAME (2), DO (STEP_FLUSH),
  DO (STEP_ACTIVATE), STILL (1), DO (STEP_DRAIN), DO (STEP_END)
};

#define AUDIO_CAPS(c) "audio/x-raw,format=F32LE,layout=interleaved," \
  "rate=48000,channels=" #c

/* FIR: 64 taps (head sums only) and 512 (tail through the FFTs), odd
 * channel counts, buffers of every length around the block of 64, a tap
 * change and a reset mid-stream. Compared within the descriptor's
 * tolerance (see compare ()). */
static const Step fir_stream[] = {
  CAPS (AUDIO_CAPS (3)), TAPS (64), AUDIO (1, 3), AUDIO (61, 1),
  AUDIO (64, 2), AUDIO (200, 1), AUDIO (0, 1), TAPS (512), AUDIO (63, 1),
  AUDIO (1, 2), AUDIO (700, 1), AUDIO (129, 2), DO (STEP_CONTROL_RESET),
  AUDIO (300, 1), CAPS (AUDIO_CAPS (17)), AUDIO (130, 2), TAPS (65),
  AUDIO (100, 2), DO (STEP_DRAIN), DO (STEP_END)
};

/* Anomaly: channels of uniform noise (|z| ≤ √3: the thresholds make about
 * 1 % of the samples anomalies), in buffers around the backends' chunk
 * sizes (Vulkan: 4096 frames), a threshold change, a reset and a new
 * channel count. Statistics in double: the same events, mean, stddev and
 * z within 1e-9 relative (same_anomaly ()). */
static const Step anomaly_stream[] = {
  CAPS (AUDIO_CAPS (5)),
  PARAMS ("params,z-threshold=1.72,min-samples=10"),
  AUDIO (7, 3), AUDIO (100, 2), AUDIO (0, 1), AUDIO (4097, 1),
  PARAMS ("params,z-threshold=1.69,min-samples=3"), AUDIO (500, 2),
  DO (STEP_CONTROL_RESET), AUDIO (2, 1), AUDIO (300, 1),
  CAPS (AUDIO_CAPS (70)), AUDIO (90, 2),
  DO (STEP_DRAIN), DO (STEP_END)
};

/* Spectrum: mixed down and per channel, a power-of-two FFT (129 bands)
 * and Bluestein (128 and 5 bands), intervals of a whole and a fractional
 * number of frames (the remainder adds a frame now and then), intervals
 * shorter than the FFT (one at the end), buffers that end anywhere, a
 * reset. Bands within 0.01 dB (same_spectrum ()). */
static const Step spectrum_stream[] = {
  CAPS (AUDIO_CAPS (3)),
  PARAMS ("params,bands=129,interval=(guint64)5000000"),
  AUDIO (100, 3), AUDIO (1000, 1), AUDIO (0, 1), AUDIO (333, 2),
  PARAMS ("params,bands=128,interval=(guint64)3333333,multi-channel=true"),
  AUDIO (500, 2), AUDIO (7, 5), DO (STEP_CONTROL_RESET), AUDIO (400, 1),
  PARAMS ("params,bands=5,interval=(guint64)1000000,threshold=-30"),
  AUDIO (97, 2), CAPS (AUDIO_CAPS (1)), AUDIO (250, 1),
  DO (STEP_DRAIN), DO (STEP_END)
};

static const Script scripts[] = {
  {"echo-sizes", "echo", GST_RK_KERNEL_MODE_PERSISTENT, 64, echo_sizes},
  {"echo-sizes", "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 64, echo_sizes},
  {"echo-stream", "echo", GST_RK_KERNEL_MODE_PERSISTENT, 16, echo_stream},
  {"echo-stream", "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 16, echo_stream},
  {"counter-state", "counter", GST_RK_KERNEL_MODE_PERSISTENT, 16,
      counter_state},
  {"counter-state", "counter", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 16,
      counter_state},
  {"counter-params", "counter", GST_RK_KERNEL_MODE_PERSISTENT, 64,
      counter_params},
  {"counter-params", "counter", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 64,
      counter_params},
  {"gray-formats", "gray", GST_RK_KERNEL_MODE_AUTO, 8, gray_formats},
  {"gray-short-frame", "gray", GST_RK_KERNEL_MODE_AUTO, 8,
      gray_short_frame},
  {"blur-frames", "blur", GST_RK_KERNEL_MODE_AUTO, 8, blur_frames},
  {"sobel-frames", "sobel", GST_RK_KERNEL_MODE_AUTO, 8, sobel_frames},
  {"bgsub-frames", "bgsub", GST_RK_KERNEL_MODE_AUTO, 8, bgsub_frames},
  {"fir-stream", "fir", GST_RK_KERNEL_MODE_AUTO, 8, fir_stream},
  {"anomaly-stream", "anomaly", GST_RK_KERNEL_MODE_AUTO, 64,
      anomaly_stream},
  {"spectrum-stream", "spectrum", GST_RK_KERNEL_MODE_AUTO, 64,
      spectrum_stream},
};

/* Streams through elements (test_element_stream): only kernel and mode */
static const Script streams[] = {
  {"stream", "echo", GST_RK_KERNEL_MODE_PERSISTENT, 16, NULL},
  {"stream", "echo", GST_RK_KERNEL_MODE_EVENT_DRIVEN, 16, NULL},
  {"stream", "counter", GST_RK_KERNEL_MODE_PERSISTENT, 16, NULL},
};

/* ---- Running a script ---- */

typedef struct
{
  guint32 type;
  guint64 message_id;
  guint64 correlation;
  GstClockTime pts;
  GBytes *bytes;                /* NULL: no payload */
} Output;

typedef struct
{
  GArray *outputs;              /* Output */
  GPtrArray *inputs;            /* GBytes or NULL, by message id - 1 */
  GPtrArray *input_caps;        /* the caps each input was sent under */
  GArray *resets;               /* message ids of RK_CONTROL_RESET_STATE */
  GArray *steps;                /* counter's step for each input */
  GArray *z_thresholds;         /* anomaly's z-threshold for each input */
  gchar *error;
  guint64 received, processed, emitted, flushed, dropped;
  gdouble tolerance;            /* F32 DATA outputs: |a - b| allowed */
  /* On CUDA an output of no bytes comes without a payload (the device
   * protocol clears an empty output's flags, gstrkcudaloop.h, and the event
   * path makes none): an empty input echoed comes back as none, where the
   * CPU passes the empty buffer on. Known, and only there. */
  gboolean empty_is_none;
} Transcript;

static void
output_clear (gpointer data)
{
  Output *o = data;

  g_clear_pointer (&o->bytes, g_bytes_unref);
}

static void
caps_unref (gpointer caps)
{
  if (caps)
    gst_caps_unref (caps);
}

static void
transcript_free (Transcript * t)
{
  g_array_unref (t->outputs);
  g_ptr_array_unref (t->inputs);
  g_ptr_array_unref (t->input_caps);
  g_array_unref (t->resets);
  g_array_unref (t->steps);
  g_array_unref (t->z_thresholds);
  g_free (t->error);
  g_free (t);
}

typedef struct
{
  const Script *script;
  GstRkKernel *kernel;
  Transcript *t;
  GstCaps *caps;
  GRand *rand;
  guint64 sent;
  guint step;
  gdouble z_threshold;          /* the last PARAMS' (anomaly) */
} Run;

/* Takes every output waiting, without blocking. */
static void
record (Run * r, GstRkMessage * msg)
{
  Output o = { msg->env.type, msg->env.message_id, msg->env.correlation_id,
    GST_CLOCK_TIME_NONE, NULL
  };

  if (msg->payload) {
    GstMapInfo map;

    o.pts = GST_BUFFER_PTS (msg->payload);
    gst_buffer_map (msg->payload, &map, GST_MAP_READ);
    o.bytes = g_bytes_new (map.data, map.size);
    gst_buffer_unmap (msg->payload, &map);
  }
  g_array_append_val (r->t->outputs, o);
  gst_rk_message_clear (msg);
}

static void
collect (Run * r)
{
  GstRkMessage msg;

  while (gst_rk_kernel_try_receive (r->kernel, &msg, NULL))
    record (r, &msg);
}

static GstBuffer *
make_payload (Run * r, gint size)
{
  GstBuffer *buf;
  GstMapInfo map;

  if (size < 0)
    return NULL;
  buf = gst_buffer_new_allocate (NULL, size, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (gint i = 0; i < size; i++)
    map.data[i] = (guint8) g_rand_int (r->rand);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* @frames frames of the caps' channels, uniform in [-1, 1) */
static GstBuffer *
make_audio (Run * r, gint frames)
{
  gint channels = 0;
  GstBuffer *buf;
  GstMapInfo map;

  g_assert_true (gst_structure_get_int (gst_caps_get_structure (r->caps, 0),
          "channels", &channels));
  buf = gst_buffer_new_allocate (NULL, (gsize) frames * channels * 4, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (gint i = 0; i < frames * channels; i++)
    ((gfloat *) map.data)[i] = (gfloat) g_rand_double_range (r->rand, -1, 1);
  gst_buffer_unmap (buf, &map);
  return buf;
}

/* FIR taps h[k] = cos (0.3 k) e^(-k / 100) / 8. The descriptor's tolerance
 * for other backends: 1e-5 × Σ|h| × max|x| (max|x| ≤ 1 here), the
 * largest of the script's. */
static void
fir_taps (guint n, GValue * array, gdouble * abs_sum)
{
  *abs_sum = 0;
  for (guint k = 0; k < n; k++) {
    GValue v = G_VALUE_INIT;
    gdouble h = cos (0.3 * k) * exp (-(gdouble) k / 100.0) / 8.0;

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, h);
    gst_value_array_append_and_take_value (array, &v);
    *abs_sum += fabs ((gfloat) h);
  }
}

static void
set_taps (Run * r, guint n)
{
  GstStructure *params = gst_structure_new_empty ("params");
  GValue array = G_VALUE_INIT;
  GError *err = NULL;
  gdouble abs_sum;

  gst_value_array_init (&array, n);
  fir_taps (n, &array, &abs_sum);
  gst_structure_take_value (params, "taps", &array);
  g_assert_true (gst_rk_kernel_set_params (r->kernel, params, &err));
  g_assert_no_error (err);
  gst_structure_free (params);
  r->t->tolerance = MAX (r->t->tolerance, 1e-5 * abs_sum);
}

/* GRAY8: pixel (x, y) = x (y + 1) / 8 mod 256 */
static GstBuffer *
make_ramp (GstCaps * caps)
{
  GstVideoInfo info;
  GstBuffer *buf;
  GstMapInfo map;

  g_assert_true (gst_video_info_from_caps (&info, caps));
  buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  memset (map.data, 0, map.size);
  for (gint y = 0; y < info.height; y++)
    for (gint x = 0; x < info.width; x++)
      map.data[y * GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) + x] =
          (guint8) (x * (y + 1) / 8);
  gst_buffer_unmap (buf, &map);
  return buf;
}

static gsize
frame_size (GstCaps * caps)
{
  GstVideoInfo info;

  g_assert_true (gst_video_info_from_caps (&info, caps));
  return GST_VIDEO_INFO_SIZE (&info);
}

/* Sends one message, taking outputs while the queues are full. */
static void
send_one (Run * r, GstBuffer * payload, guint32 type, guint64 correlation)
{
  GError *err = NULL;
  GstBuffer *copy = NULL;

  if (payload) {
    GstMapInfo map;

    GST_BUFFER_PTS (payload) = r->sent * GST_MSECOND;
    gst_buffer_map (payload, &map, GST_MAP_READ);
    g_ptr_array_add (r->t->inputs, g_bytes_new (map.data, map.size));
    gst_buffer_unmap (payload, &map);
    copy = payload;
  } else {
    g_ptr_array_add (r->t->inputs, NULL);
  }
  g_ptr_array_add (r->t->input_caps, r->caps ? gst_caps_ref (r->caps) : NULL);
  g_array_append_val (r->t->steps, r->step);
  g_array_append_val (r->t->z_thresholds, r->z_threshold);

  for (;;) {
    if (gst_rk_kernel_send (r->kernel, copy ? gst_buffer_ref (copy) : NULL,
            type, correlation, g_get_monotonic_time () + 2000, NULL, &err))
      break;
    g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
    g_clear_error (&err);
    collect (r);
  }
  gst_clear_buffer (&copy);
  r->sent++;
}

/* Waits until the kernel consumed everything sent; then, by the ordering
 * contract, every output of it is waiting. */
/* Everything sent so far is consumed and its outputs collected: a marker
 * in the item stream comes after them. */
static void
drain (Run * r)
{
  gint64 deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_US;
  static gint token;
  GstRkItem item;

  collect (r);
  gst_rk_kernel_add_marker (r->kernel, &token, NULL);
  for (;;) {
    if (!gst_rk_kernel_next_item (r->kernel, &item, deadline))
      g_error ("%s: %" G_GUINT64_FORMAT " messages sent, not drained after "
          "%d s", r->script->name, r->sent,
          (gint) (DRAIN_TIMEOUT_US / SECOND));
    if (item.type == GST_RK_ITEM_ERROR)
      g_error ("%s failed while draining: %s", r->script->name,
          item.error->message);
    if (item.type == GST_RK_ITEM_MARKER) {
      g_assert_true (item.marker == &token);
      break;
    }
    record (r, &item.msg);
  }
}

static void
expect_error (Run * r)
{
  gint64 deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_US;
  GError *err = NULL;

  while (gst_rk_kernel_check (r->kernel, &err)) {
    g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    g_usleep (1000);
  }
  r->t->error = g_strdup (err->message);
  g_error_free (err);
}

static void
read_counters (Run * r)
{
  GstStructure *s = gst_rk_kernel_get_stats (r->kernel);

  g_assert_true (gst_structure_get (s,
          "received", G_TYPE_UINT64, &r->t->received,
          "processed", G_TYPE_UINT64, &r->t->processed,
          "emitted", G_TYPE_UINT64, &r->t->emitted,
          "flushed", G_TYPE_UINT64, &r->t->flushed,
          "dropped", G_TYPE_UINT64, &r->t->dropped, NULL));
  gst_structure_free (s);
}

static Transcript *
run_script (const Script * script, GstRkBackendKind backend)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  Run r = { script, NULL, g_new0 (Transcript, 1), NULL,
    g_rand_new_with_seed (1234), 0, 1
  };
  GstRkLaunchOptions o;
  GError *err = NULL;

  r.t->outputs = g_array_new (FALSE, TRUE, sizeof (Output));
  r.t->empty_is_none = backend == GST_RK_BACKEND_CUDA;
  g_array_set_clear_func (r.t->outputs, output_clear);
  r.t->inputs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  r.t->input_caps = g_ptr_array_new_with_free_func (caps_unref);
  r.t->resets = g_array_new (FALSE, FALSE, sizeof (guint64));
  r.t->steps = g_array_new (FALSE, FALSE, sizeof (guint));
  r.t->z_thresholds = g_array_new (FALSE, FALSE, sizeof (gdouble));

  gst_rk_launch_options_init (&o);
  o.mode = script->mode;
  o.input_queue_capacity = o.output_queue_capacity = script->capacity;
  o.auto_activate = TRUE;
  r.kernel = gst_rk_runtime_launch (rt, script->kernel, NULL, backend, -1,
      &o, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (r.kernel), ==, backend);

  for (const Step * s = script->steps; s->kind != STEP_END; s++) {
    for (guint i = 0; i < s->repeat; i++) {
      switch (s->kind) {
        case STEP_SEND:
          send_one (&r, make_payload (&r, s->size), s->type, s->correlation);
          break;
        case STEP_FRAME:
          send_one (&r, make_payload (&r, s->size ? s->size :
                  (gint) frame_size (r.caps)), RK_MSG_DATA, 0);
          break;
        case STEP_AUDIO:
          send_one (&r, make_audio (&r, s->size), RK_MSG_DATA, 0);
          break;
        case STEP_TAPS:
          set_taps (&r, s->size);
          break;
        case STEP_STILL:{
          GBytes *last = g_ptr_array_index (r.t->inputs, r.t->inputs->len - 1);

          send_one (&r, gst_buffer_new_wrapped_bytes (last), RK_MSG_DATA, 0);
          break;
        }
        case STEP_RAMP:
          send_one (&r, make_ramp (r.caps), RK_MSG_DATA, 0);
          break;
        case STEP_CAPS:
          gst_clear_caps (&r.caps);
          r.caps = gst_caps_from_string (s->caps);
          g_assert_true (gst_rk_kernel_set_caps (r.kernel, r.caps, NULL,
                  &err));
          break;
        case STEP_CONTROL_RESET:
          g_assert_true (gst_rk_kernel_send_control (r.kernel,
                  RK_CONTROL_RESET_STATE, &err));
          g_ptr_array_add (r.t->inputs, NULL);
          g_ptr_array_add (r.t->input_caps, NULL);
          g_array_append_val (r.t->steps, r.step);
          g_array_append_val (r.t->z_thresholds, r.z_threshold);
          r.sent++;
          g_array_append_val (r.t->resets, r.sent);
          break;
        case STEP_STEP:{
          GstStructure *params = gst_structure_new ("params", "step",
              G_TYPE_INT, s->size, NULL);

          g_assert_true (gst_rk_kernel_set_params (r.kernel, params, &err));
          gst_structure_free (params);
          r.step = s->size;
          break;
        }
        case STEP_PARAMS:{
          GstStructure *params = gst_structure_from_string (s->caps, NULL);

          gst_structure_get_double (params, "z-threshold", &r.z_threshold);
          g_assert_true (gst_rk_kernel_set_params (r.kernel, params, &err));
          gst_structure_free (params);
          break;
        }
        case STEP_DRAIN:
          drain (&r);
          break;
        case STEP_DEACTIVATE:
          g_assert_true (gst_rk_kernel_deactivate (r.kernel, &err));
          break;
        case STEP_ACTIVATE:
          g_assert_true (gst_rk_kernel_activate (r.kernel, &err));
          break;
        case STEP_FLUSH:
          g_assert_true (gst_rk_kernel_flush (r.kernel, &err));
          break;
        case STEP_EXPECT_ERROR:
          expect_error (&r);
          break;
        default:
          g_assert_not_reached ();
      }
      g_assert_no_error (err);
    }
  }
  if (r.t->error == NULL)
    read_counters (&r);

  g_assert_true (gst_rk_kernel_terminate (r.kernel, &err) ||
      r.t->error != NULL);
  g_clear_error (&err);
  gst_object_unref (r.kernel);
  gst_clear_caps (&r.caps);
  g_rand_free (r.rand);
  gst_object_unref (rt);
  return r.t;
}

/* ---- What the test expects, independently of any backend ---- */

/* g_bytes_equal() may not be given empty bytes with no data */
static gboolean
same_bytes (GBytes * a, GBytes * b)
{
  gsize na, nb;
  gconstpointer da = g_bytes_get_data (a, &na), db = g_bytes_get_data (b,
      &nb);

  return na == nb && (na == 0 || memcmp (da, db, na) == 0);
}

/* The rkgray formula, stated once more */
static guint8
ref_luma (guint r, guint g, guint b)
{
  return (guint8) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

static void
check_gray (const Output * o, GBytes * input, GstCaps * caps)
{
  GstVideoInfo in, out;
  const guint8 *s, *d;
  gsize size;

  g_assert_true (gst_video_info_from_caps (&in, caps));
  gst_video_info_set_format (&out, GST_VIDEO_FORMAT_GRAY8, in.width,
      in.height);
  s = g_bytes_get_data (input, NULL);
  d = g_bytes_get_data (o->bytes, &size);
  g_assert_cmpuint (size, ==, GST_VIDEO_INFO_SIZE (&out));
  for (gint y = 0; y < in.height; y++) {
    const guint8 *row = s + GST_VIDEO_INFO_PLANE_OFFSET (&in, 0) +
        y * GST_VIDEO_INFO_PLANE_STRIDE (&in, 0);
    const guint8 *orow = d + y * GST_VIDEO_INFO_PLANE_STRIDE (&out, 0);

    for (gint x = 0; x < GST_VIDEO_INFO_PLANE_STRIDE (&out, 0); x++) {
      guint8 want = 0;

      if (x < in.width && GST_VIDEO_FORMAT_INFO_IS_YUV (in.finfo))
        want = row[x];
      else if (x < in.width)
        want = ref_luma (row[4 * x + in.finfo->poffset[0]],
            row[4 * x + in.finfo->poffset[1]],
            row[4 * x + in.finfo->poffset[2]]);
      if (orow[x] != want)
        g_error ("gray %dx%d: byte %d of row %d is %u, expected %u",
            in.width, in.height, x, y, orow[x], want);
    }
  }
}

/* Bgsub's motion events: each precedes its frame's mask, with the
 * frame's PTS, and they alternate up and down, starting up in each fresh
 * model (its frame count starts again). */
static void
check_bgsub (const Script * script, Transcript * t)
{
  guint n = 0;
  gboolean up = TRUE;
  guint64 last_frame = 0;

  for (guint i = 0; i < t->outputs->len; i++) {
    const Output *o = &g_array_index (t->outputs, Output, i);
    const Output *next;
    GstRkMotionEvent ev;

    if (o->type != RK_MSG_NOTIFY)
      continue;
    g_assert_cmpuint (i + 1, <, t->outputs->len);
    next = &g_array_index (t->outputs, Output, i + 1);
    g_assert_cmpuint (next->type, ==, RK_MSG_DATA);
    g_assert_cmpuint (next->message_id, ==, o->message_id);
    g_assert_cmpuint (g_bytes_get_size (o->bytes), ==, sizeof (ev));
    memcpy (&ev, g_bytes_get_data (o->bytes, NULL), sizeof (ev));
    g_assert_cmpuint (ev.timestamp, ==, next->pts);
    if (n > 0 && ev.frame <= last_frame)
      up = TRUE;
    g_assert_cmpuint (ev.active, ==, up);
    up = !up;
    last_frame = ev.frame;
    g_test_message ("%s: motion %s at message %" G_GUINT64_FORMAT
        ", frame %" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT "/%"
        G_GUINT64_FORMAT, script->name, ev.active ? "up" : "down",
        o->message_id, ev.frame, ev.foreground, ev.pixels);
    n++;
  }
  /* the first part of the script alone crosses 6 times */
  g_assert_cmpuint (n, >=, 6);
}

/* Anomaly: the audio passes through, each buffer after its events, which
 * are in (offset, channel) order and beyond the threshold their input was
 * sent under (a float, as the kernel takes it; a z within 1e-6 of it may
 * differ between backends) */
static void
check_anomaly (const Script * script, Transcript * t)
{
  guint events = 0;
  gboolean first = TRUE;
  GstRkAnomalyEvent last = { 0, };

  for (guint i = 0; i < t->outputs->len; i++) {
    const Output *o = &g_array_index (t->outputs, Output, i);
    GstRkAnomalyEvent ev;
    gdouble threshold;

    if (o->type == RK_MSG_DATA) {
      g_assert_true (same_bytes (o->bytes, g_ptr_array_index (t->inputs,
                  o->message_id - 1)));
      first = TRUE;
      continue;
    }
    g_assert_cmpuint (o->type, ==, RK_MSG_NOTIFY);
    memcpy (&ev, g_bytes_get_data (o->bytes, NULL), sizeof (ev));
    g_assert_true (first || ev.offset > last.offset ||
        (ev.offset == last.offset && ev.channel > last.channel));
    g_assert_cmpuint (o->message_id, >=, 1);
    g_assert_cmpuint (o->message_id, <=, t->z_thresholds->len);
    threshold = (gfloat) g_array_index (t->z_thresholds, gdouble,
        o->message_id - 1);
    g_assert_cmpfloat (threshold, >, 0.0);
    g_assert_cmpfloat (fabs (ev.z), >, threshold - 1e-6);
    last = ev;
    first = FALSE;
    events++;
  }
  g_test_message ("%s: %u anomalies", script->name, events);
  g_assert_cmpuint (events, >, 50);
}

/* Spectrum: the audio passes through; messages of each configuration */
static void
check_spectrum (const Script * script, Transcript * t)
{
  guint by_bands[3] = { 0, 0, 0 }, multi = 0;

  for (guint i = 0; i < t->outputs->len; i++) {
    const Output *o = &g_array_index (t->outputs, Output, i);
    GstRkSpectrumEvent ev;

    if (o->type == RK_MSG_DATA) {
      g_assert_true (same_bytes (o->bytes, g_ptr_array_index (t->inputs,
                  o->message_id - 1)));
      continue;
    }
    memcpy (&ev, g_bytes_get_data (o->bytes, NULL), sizeof (ev));
    g_assert_cmpuint (g_bytes_get_size (o->bytes), ==, sizeof (ev) +
        (gsize) ev.out_channels * ev.bands * 4);
    by_bands[ev.bands == 129 ? 0 : ev.bands == 128 ? 1 : 2]++;
    multi += ev.multi_channel;
  }
  g_test_message ("%s: %u, %u and %u messages (129, 128, 5 bands), %u "
      "multi-channel", script->name, by_bands[0], by_bands[1], by_bands[2],
      multi);
  /* 1966 frames in 240-frame intervals; 1435 in intervals of 159.99
   * (1035 before the reset, 400 after); 194, then 250 (new caps: afresh)
   * in 48 */
  g_assert_cmpuint (by_bands[0], ==, 8);
  g_assert_cmpuint (by_bands[1], ==, 6 + 2);
  g_assert_cmpuint (by_bands[2], ==, 4 + 5);
  g_assert_cmpuint (multi, ==, 8 + 9);
}

static void
check_expected (const Script * script, Transcript * t)
{
  guint64 count = 0;
  guint next_reset = 0;

  if (strcmp (script->kernel, "bgsub") == 0)
    check_bgsub (script, t);
  if (strcmp (script->kernel, "anomaly") == 0)
    check_anomaly (script, t);
  if (strcmp (script->kernel, "spectrum") == 0)
    check_spectrum (script, t);
  for (guint i = 0; i < t->outputs->len; i++) {
    const Output *o = &g_array_index (t->outputs, Output, i);
    GBytes *input;

    g_assert_cmpuint (o->message_id, >=, 1);
    g_assert_cmpuint (o->message_id, <=, t->inputs->len);
    input = g_ptr_array_index (t->inputs, o->message_id - 1);

    if (strcmp (script->kernel, "echo") == 0) {
      if (input == NULL)
        g_assert_null (o->bytes);
      else if (o->bytes == NULL && t->empty_is_none &&
          g_bytes_get_size (input) == 0)
        continue;
      else if (o->bytes == NULL || !same_bytes (o->bytes, input))
        g_error ("%s: output %u (message %" G_GUINT64_FORMAT ", %"
            G_GSIZE_FORMAT " bytes) is not its input (%" G_GSIZE_FORMAT
            " bytes)", script->name, i, o->message_id,
            o->bytes ? g_bytes_get_size (o->bytes) : 0,
            g_bytes_get_size (input));
    } else if (strcmp (script->kernel, "counter") == 0) {
      /* Each message processed adds its step; a reset starts again */
      guint64 v;

      g_assert_cmpuint (g_bytes_get_size (o->bytes), ==, sizeof (v));
      memcpy (&v, g_bytes_get_data (o->bytes, NULL), sizeof (v));
      while (next_reset < t->resets->len &&
          o->message_id > g_array_index (t->resets, guint64, next_reset)) {
        count = 0;
        next_reset++;
      }
      count += g_array_index (t->steps, guint, o->message_id - 1);
      g_assert_cmpuint (GUINT64_FROM_LE (v), ==, count);
    } else if (strcmp (script->kernel, "gray") == 0) {
      check_gray (o, input, g_ptr_array_index (t->input_caps,
              o->message_id - 1));
    }
  }
}

/* ---- Comparing with the reference ---- */

/* Equal F32 samples, within @tolerance; the largest difference in @worst */
static gboolean
close_floats (GBytes * a, GBytes * b, gdouble tolerance, gdouble * worst)
{
  gsize na, nb;
  const gfloat *fa = g_bytes_get_data (a, &na), *fb = g_bytes_get_data (b,
      &nb);

  if (na != nb || na % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < na / 4; i++) {
    gdouble d = fabs ((gdouble) fa[i] - fb[i]);

    if (!(d <= tolerance))
      return FALSE;
    *worst = MAX (*worst, d);
  }
  return TRUE;
}

static gboolean
close_double (gdouble a, gdouble b)
{
  return fabs (a - b) <= 1e-9 * MAX (fabs (a), fabs (b));
}

/* rkanomaly's events: the same sample, statistics within 1e-9 relative
 * (the descriptor's tolerance) */
static gboolean
same_anomaly (GBytes * a, GBytes * b)
{
  GstRkAnomalyEvent x, y;

  if (g_bytes_get_size (a) != sizeof (x) || g_bytes_get_size (b) !=
      sizeof (y))
    return FALSE;
  memcpy (&x, g_bytes_get_data (a, NULL), sizeof (x));
  memcpy (&y, g_bytes_get_data (b, NULL), sizeof (y));
  return x.channel == y.channel && x.offset == y.offset &&
      x.timestamp == y.timestamp && x.value == y.value &&
      close_double (x.mean, y.mean) && close_double (x.stddev, y.stddev) &&
      close_double (x.z, y.z);
}

/* rkspectrum's messages: the same header, bands within 0.01 dB (the
 * descriptor's tolerance) */
static gboolean
same_spectrum (GBytes * a, GBytes * b, gdouble * worst)
{
  gsize na, nb;
  const guint8 *da = g_bytes_get_data (a, &na), *db = g_bytes_get_data (b,
      &nb);
  gsize head = sizeof (GstRkSpectrumEvent);

  if (na != nb || na < head || memcmp (da, db, head) != 0)
    return FALSE;
  for (gsize i = head; i + 4 <= na; i += 4) {
    gfloat x, y;

    memcpy (&x, da + i, 4);
    memcpy (&y, db + i, 4);
    if (!(fabs ((gdouble) x - y) <= 0.01))
      return FALSE;
    *worst = MAX (*worst, fabs ((gdouble) x - y));
  }
  return TRUE;
}

/* Payloads equal as the script's kernel defines it */
static gboolean
same_output (const Script * script, Transcript * ref, const Output * a,
    const Output * b, gdouble * worst)
{
  if (ref->tolerance > 0 && a->type == RK_MSG_DATA)
    return close_floats (a->bytes, b->bytes, ref->tolerance, worst);
  if (strcmp (script->kernel, "anomaly") == 0 && a->type == RK_MSG_NOTIFY)
    return same_anomaly (a->bytes, b->bytes);
  if (strcmp (script->kernel, "spectrum") == 0 && a->type == RK_MSG_NOTIFY)
    return same_spectrum (a->bytes, b->bytes, worst);
  return same_bytes (a->bytes, b->bytes);
}

static void
compare (const Script * script, Transcript * ref, Transcript * t,
    const gchar * backend)
{
  guint n = MIN (ref->outputs->len, t->outputs->len);
  gdouble worst = 0;

  for (guint i = 0; i < n; i++) {
    const Output *a = &g_array_index (ref->outputs, Output, i);
    const Output *b = &g_array_index (t->outputs, Output, i);

    /* its metadata goes with the payload */
    gboolean lost = t->empty_is_none && b->bytes == NULL && a->bytes &&
        g_bytes_get_size (a->bytes) == 0;

    if (a->type != b->type || a->message_id != b->message_id ||
        a->correlation != b->correlation || (a->pts != b->pts && !lost) ||
        ((a->bytes == NULL) != (b->bytes == NULL) && !lost) ||
        (a->bytes && b->bytes && !same_output (script, ref, a, b, &worst)))
      g_error ("%s on %s: output %u differs from the CPU's: type %u/%u, "
          "id %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", correlation %"
          G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT ", PTS %" GST_TIME_FORMAT
          "/%" GST_TIME_FORMAT ", %" G_GSIZE_FORMAT "/%" G_GSIZE_FORMAT
          " bytes", script->name, backend, i, a->type, b->type,
          a->message_id, b->message_id, a->correlation, b->correlation,
          GST_TIME_ARGS (a->pts), GST_TIME_ARGS (b->pts),
          a->bytes ? g_bytes_get_size (a->bytes) : 0,
          b->bytes ? g_bytes_get_size (b->bytes) : 0);
  }
  if (ref->tolerance > 0 || strcmp (script->kernel, "spectrum") == 0)
    g_test_message ("%s on %s: largest difference %g (tolerance %g)",
        script->name, backend, worst, ref->tolerance > 0 ? ref->tolerance :
        0.01);
  g_assert_cmpuint (t->outputs->len, ==, ref->outputs->len);
  g_assert_cmpstr (t->error, ==, ref->error);
  g_assert_cmpuint (t->received, ==, ref->received);
  g_assert_cmpuint (t->processed, ==, ref->processed);
  g_assert_cmpuint (t->emitted, ==, ref->emitted);
  g_assert_cmpuint (t->flushed, ==, ref->flushed);
  g_assert_cmpuint (t->dropped, ==, ref->dropped);
}

typedef struct
{
  GstRkBackendKind backend;
  const Script *script;
} Case;

static void
test_script (gconstpointer data)
{
  const Case *c = data;
  const gchar *name = gst_rk_backend_kind_get_name (c->backend);
  Transcript *ref, *t;
  gchar *reason = NULL;

  if (!gst_rk_runtime_is_backend_available (c->backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  /* A kernel not ported to a backend falls back to the CPU: nothing to
   * compare (test-runtime covers the fallback) */
  if (gst_rk_registry_get_implementation (c->script->kernel,
          c->backend) == NULL) {
    g_test_skip ("no implementation of the kernel on this backend");
    return;
  }
  ref = run_script (c->script, GST_RK_BACKEND_CPU);
  check_expected (c->script, ref);
  if (c->backend == GST_RK_BACKEND_CPU) {
    t = ref;
  } else {
    t = run_script (c->script, c->backend);
    check_expected (c->script, t);
    compare (c->script, ref, t, name);
    transcript_free (t);
  }
  /* The scripts say how many outputs to expect through their counters */
  if (ref->error == NULL)
    g_assert_cmpuint (ref->received, ==, ref->processed + ref->flushed);
  else
    g_assert_true (g_str_has_prefix (ref->error, "buffer of 1000 bytes is "
            "smaller than a 64x48 RGBA frame"));
  transcript_free (ref);
}

/* ---- FIR: the output does not depend on the buffers ---- */

#define SPLIT_FRAMES 300
#define SPLIT_CHANNELS 2

/* The stream through fir with 512 taps in buffers of @cut frames: the
 * output samples, concatenated */
static GBytes *
fir_run_cut (GstRkBackendKind backend, const gfloat * samples, guint cut,
    gdouble * tolerance)
{
  GstRkRuntime *rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  GstCaps *caps = gst_caps_from_string (AUDIO_CAPS (2));
  GByteArray *out = g_byte_array_new ();
  GstRkLaunchOptions o;
  GError *err = NULL;
  guint sent = 0, received = 0;
  Run r = { NULL, };
  Transcript t = { 0, };

  gst_rk_launch_options_init (&o);
  o.auto_activate = TRUE;
  r.t = &t;
  r.kernel = gst_rk_runtime_launch (rt, "fir", NULL, backend, -1, &o, NULL,
      &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (r.kernel), ==, backend);
  g_assert_true (gst_rk_kernel_set_caps (r.kernel, caps, NULL, &err));
  set_taps (&r, 512);
  *tolerance = t.tolerance;

  while (received < sent || sent * cut < SPLIT_FRAMES) {
    GstRkMessage msg;

    if (sent * cut < SPLIT_FRAMES) {
      guint n = MIN (cut, SPLIT_FRAMES - sent * cut);
      GstBuffer *buf = gst_buffer_new_memdup (samples +
          (gsize) sent * cut * SPLIT_CHANNELS, n * SPLIT_CHANNELS * 4);

      if (gst_rk_kernel_send (r.kernel, buf, RK_MSG_DATA, 0,
              g_get_monotonic_time () + 1000, NULL, &err)) {
        sent++;
        continue;
      }
      g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
      g_clear_error (&err);
    }
    if (gst_rk_kernel_receive (r.kernel, &msg, g_get_monotonic_time () +
            10 * SECOND, &err)) {
      GstMapInfo map;

      gst_buffer_map (msg.payload, &map, GST_MAP_READ);
      g_byte_array_append (out, map.data, map.size);
      gst_buffer_unmap (msg.payload, &map);
      gst_rk_message_clear (&msg);
      received++;
    } else {
      g_assert_error (err, GST_RK_ERROR, GST_RK_ERROR_TIMEOUT);
      g_clear_error (&err);
    }
  }
  g_assert_true (gst_rk_kernel_terminate (r.kernel, &err));
  gst_object_unref (r.kernel);
  gst_caps_unref (caps);
  gst_object_unref (rt);
  return g_byte_array_free_to_bytes (out);
}

/* One buffer and buffers of one frame give identical bytes on the backend
 * itself, and match the CPU within the tolerance. */
static void
test_fir_split (gconstpointer data)
{
  GstRkBackendKind backend = GPOINTER_TO_INT (data);
  gfloat samples[SPLIT_FRAMES * SPLIT_CHANNELS];
  GRand *rand = g_rand_new_with_seed (5);
  GBytes *whole, *single, *ref;
  gchar *reason = NULL;
  gdouble tolerance, worst = 0;

  if (!gst_rk_runtime_is_backend_available (backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    g_rand_free (rand);
    return;
  }
  if (gst_rk_registry_get_implementation ("fir", backend) == NULL) {
    g_test_skip ("no implementation of the kernel on this backend");
    g_rand_free (rand);
    return;
  }
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (gfloat) g_rand_double_range (rand, -1, 1);
  whole = fir_run_cut (backend, samples, SPLIT_FRAMES, &tolerance);
  single = fir_run_cut (backend, samples, 1, &tolerance);
  ref = fir_run_cut (GST_RK_BACKEND_CPU, samples, 7, &tolerance);
  g_assert_cmpuint (g_bytes_get_size (whole), ==, sizeof (samples));
  g_assert_true (same_bytes (whole, single));
  g_assert_true (close_floats (ref, whole, tolerance, &worst));
  g_test_message ("fir split: largest difference to the CPU %g (tolerance "
      "%g)", worst, tolerance);
  g_bytes_unref (whole);
  g_bytes_unref (single);
  g_bytes_unref (ref);
  g_rand_free (rand);
}

/* ---- Anomaly: a burst beyond what a backend reports ---- */

/* z-threshold 0: nearly every sample of the 17000 is an anomaly */
static const Step burst_cpu[] = {
  CAPS (AUDIO_CAPS (1)), PARAMS ("params,z-threshold=0.0,min-samples=2"),
  AUDIO (17000, 1), DO (STEP_DRAIN), DO (STEP_END)
};

static const Step burst_fails[] = {
  CAPS (AUDIO_CAPS (1)), PARAMS ("params,z-threshold=0.0,min-samples=2"),
  AUDIO (17000, 1), DO (STEP_EXPECT_ERROR), DO (STEP_END)
};

/* The Vulkan backend reports at most 16384 anomalies per buffer: a buffer
 * with more fails the kernel, saying how many there were (the CPU's
 * count), rather than losing some. */
static void
test_anomaly_burst (gconstpointer data)
{
  static const Script cpu = { "anomaly-burst", "anomaly",
    GST_RK_KERNEL_MODE_AUTO, 32768, burst_cpu
  };
  static const Script fails = { "anomaly-burst", "anomaly",
    GST_RK_KERNEL_MODE_AUTO, 8, burst_fails
  };
  Transcript *ref, *t;
  gchar *reason = NULL, *want;

  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  ref = run_script (&cpu, GST_RK_BACKEND_CPU);
  g_assert_cmpuint (ref->outputs->len, >, 16385);
  t = run_script (&fails, GST_RK_BACKEND_VULKAN);
  want = g_strdup_printf ("rkanomaly found %u anomalies in one buffer, more "
      "than the 16384 the Vulkan backend reports per buffer: use smaller "
      "buffers, a higher z-threshold or backend=cpu",
      ref->outputs->len - 1);
  g_assert_cmpstr (t->error, ==, want);
  g_assert_cmpuint (t->outputs->len, ==, 0);
  g_free (want);
  transcript_free (t);
  transcript_free (ref);
}

/* ---- Kernels a backend lacks ---- */

/* rkstamp has no Vulkan port: asked for on Vulkan it runs on the CPU,
 * and the kernel says why */
static void
test_fallback (gconstpointer data)
{
  GstRkRuntime *rt;
  GstRkKernel *k;
  GError *err = NULL;
  gchar *reason = NULL;

  if (!gst_rk_runtime_is_backend_available (GST_RK_BACKEND_VULKAN, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  g_assert_null (gst_rk_registry_get_implementation ("stamp",
          GST_RK_BACKEND_VULKAN));
  rt = gst_rk_runtime_new (GST_RK_BACKEND_AUTO, -1);
  k = gst_rk_runtime_launch (rt, "stamp", NULL, GST_RK_BACKEND_VULKAN, -1,
      NULL, NULL, &err);
  g_assert_no_error (err);
  g_assert_cmpint (gst_rk_kernel_get_backend (k), ==, GST_RK_BACKEND_CPU);
  g_assert_cmpstr (gst_rk_kernel_get_selection_note (k), ==,
      "kernel stamp has no Vulkan implementation: running it on the CPU");
  g_assert_true (gst_rk_kernel_terminate (k, &err));
  gst_object_unref (k);
  gst_object_unref (rt);
}

/* ---- The same through an element ---- */

/* A frame through rkgray on @backend equals the reference luma (the CPU's
 * own element is checked the same way, not against itself). */
static void
test_element (gconstpointer data)
{
  GstRkBackendKind backend = GPOINTER_TO_INT (data);
  gchar *reason = NULL;
  GRand *rand;
  GstBuffer *frame, *out;
  GstHarness *h;
  GstCaps *caps;
  GstMapInfo map;
  gchar *desc;
  Output o = { 0, };
  GBytes *input;

  if (!gst_rk_runtime_is_backend_available (backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  rand = g_rand_new_with_seed (99);
  frame = gst_buffer_new_allocate (NULL, 37 * 21 * 4, NULL);
  gst_buffer_map (frame, &map, GST_MAP_WRITE);
  for (gsize i = 0; i < map.size; i++)
    map.data[i] = g_rand_int (rand);
  input = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (frame, &map);

  h = gst_harness_new_empty ();
  desc = g_strdup_printf ("rkgray backend=%s",
      gst_rk_backend_kind_get_name (backend));
  gst_harness_add_parse (h, desc);
  gst_harness_set_src_caps_str (h, GRAY_CAPS ("BGRx", 37, 21));
  g_assert_cmpint (gst_harness_push (h, frame), ==, GST_FLOW_OK);
  out = gst_harness_pull (h);
  g_assert_nonnull (out);
  g_assert_nonnull (gst_buffer_get_rk_hlc_meta (out));
  gst_buffer_map (out, &map, GST_MAP_READ);
  o.bytes = g_bytes_new (map.data, map.size);
  gst_buffer_unmap (out, &map);
  gst_buffer_unref (out);

  caps = gst_caps_from_string (GRAY_CAPS ("BGRx", 37, 21));
  check_gray (&o, input, caps);
  gst_caps_unref (caps);
  g_bytes_unref (o.bytes);
  g_bytes_unref (input);
  gst_harness_teardown (h);
  g_free (desc);
  g_rand_free (rand);
}

/* A stream through an element with queues of 16 into a sink that is slow
 * now and then: the sender blocks on a full queue while the kernel waits
 * for room for its outputs; everything arrives, once, in order. */
#define N_STREAM 20000

typedef struct
{
  guint64 n;
  gboolean ok;
} StreamSink;

static void
stream_handoff (GstElement * sink, GstBuffer * buf, GstPad * pad,
    gpointer data)
{
  StreamSink *s = data;
  GstRkHlcMeta *m = gst_buffer_get_rk_hlc_meta (buf);

  if (m == NULL || m->message_id != s->n + 1 ||
      GST_BUFFER_OFFSET (buf) != s->n * 16)
    s->ok = FALSE;
  if (++s->n % 64 == 0)
    g_usleep (1000);
}

static void
test_element_stream (gconstpointer data)
{
  const Case *c = data;
  gchar *reason = NULL, *desc;
  StreamSink sink = { 0, TRUE };
  GstElement *p, *e, *fs;
  GstMessage *m;
  GstBus *bus;
  GstStructure *stats;
  guint64 v;

  if (!gst_rk_runtime_is_backend_available (c->backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  desc = g_strdup_printf ("fakesrc num-buffers=%u sizetype=fixed sizemax=16 "
      "! rk%s name=e backend=%s mode=%s input-queue-capacity=16 "
      "output-queue-capacity=16 ! fakesink name=s signal-handoffs=true "
      "sync=false", N_STREAM, c->script->kernel,
      gst_rk_backend_kind_get_name (c->backend),
      gst_rk_kernel_mode_get_name (c->script->mode));
  p = gst_parse_launch (desc, NULL);
  g_free (desc);
  e = gst_bin_get_by_name (GST_BIN (p), "e");
  fs = gst_bin_get_by_name (GST_BIN (p), "s");
  bus = gst_element_get_bus (p);
  g_signal_connect (fs, "handoff", G_CALLBACK (stream_handoff), &sink);

  gst_element_set_state (p, GST_STATE_PLAYING);
  m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  g_assert_cmpint (GST_MESSAGE_TYPE (m), ==, GST_MESSAGE_EOS);
  gst_message_unref (m);
  g_assert_true (sink.ok);
  g_assert_cmpuint (sink.n, ==, N_STREAM);
  g_object_get (e, "stats", &stats, NULL);
  g_assert_true (gst_structure_get_uint64 (stats, "processed", &v));
  g_assert_cmpuint (v, ==, N_STREAM);
  g_assert_true (gst_structure_get_uint64 (stats, "flushed", &v));
  g_assert_cmpuint (v, ==, 0);
  g_assert_cmpstr (gst_structure_get_string (stats, "backend"), ==,
      gst_rk_backend_kind_get_name (c->backend));
  gst_structure_free (stats);

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (fs);
  gst_object_unref (e);
  gst_object_unref (p);
}

/* A kernel failure mid-stream is an element error, and the pipeline still
 * goes down to NULL. */
static void
test_element_error (gconstpointer data)
{
  GstRkBackendKind backend = GPOINTER_TO_INT (data);
  gchar *reason = NULL, *desc, *debug = NULL;
  GstElement *p, *src;
  GstFlowReturn ret;
  GstMessage *m;
  GError *err = NULL;
  GstBus *bus;
  GstState state;

  if (!gst_rk_runtime_is_backend_available (backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  desc = g_strdup_printf ("appsrc name=src caps=%s ! rkgray name=g "
      "backend=%s ! fakesink", GRAY_CAPS ("RGBA", 64, 48),
      gst_rk_backend_kind_get_name (backend));
  p = gst_parse_launch (desc, NULL);
  g_free (desc);
  src = gst_bin_get_by_name (GST_BIN (p), "src");
  bus = gst_element_get_bus (p);
  g_object_set (src, "format", GST_FORMAT_TIME, NULL);
  gst_element_set_state (p, GST_STATE_PLAYING);
  g_signal_emit_by_name (src, "push-buffer",
      gst_buffer_new_allocate (NULL, 1000, NULL), &ret);

  m = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND, GST_MESSAGE_ERROR);
  g_assert_nonnull (m);
  gst_message_parse_error (m, &err, &debug);
  desc = g_strdup_printf ("Ring kernel g failed on the %s backend.",
      gst_rk_backend_kind_get_display_name (backend));
  g_assert_cmpstr (err->message, ==, desc);
  g_assert_true (g_str_has_suffix (debug, "buffer of 1000 bytes is smaller "
          "than a 64x48 RGBA frame (12288 bytes)"));
  g_free (desc);
  g_free (debug);
  g_error_free (err);
  gst_message_unref (m);

  g_assert_cmpint (gst_element_set_state (p, GST_STATE_NULL), ==,
      GST_STATE_CHANGE_SUCCESS);
  gst_element_get_state (p, &state, NULL, 0);
  g_assert_cmpint (state, ==, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (p);
}

/* Stats stay readable while and after the kernel terminates, though the
 * backend frees the device memory the queues lived in: a reader thread
 * polls them throughout, and the counters survive. */
typedef struct
{
  GstRkKernel *k;
  gint stop;
  gint reads;
} StatsReader;

static gpointer
stats_reader_main (gpointer data)
{
  StatsReader *r = data;

  while (!g_atomic_int_get (&r->stop)) {
    gst_structure_free (gst_rk_kernel_get_stats (r->k));
    g_atomic_int_inc (&r->reads);
  }
  return NULL;
}

static void
test_stats_after_terminate (gconstpointer data)
{
  GstRkBackendKind backend = GPOINTER_TO_INT (data);
  GstRkRuntime *rt;
  GstRkLaunchOptions o;
  StatsReader r = { NULL, 0, 0 };
  GstStructure *s;
  GstRkMessage msg;
  GThread *reader;
  GError *err = NULL;
  gchar *reason = NULL;
  guint64 received = 0;
  guint depth = 1;

  if (!gst_rk_runtime_is_backend_available (backend, &reason)) {
    g_test_skip (reason);
    g_free (reason);
    return;
  }
  rt = gst_rk_runtime_new (backend, -1);
  gst_rk_launch_options_init (&o);
  o.input_queue_capacity = o.output_queue_capacity = 16;
  r.k = gst_rk_runtime_launch (rt, "echo", NULL, backend, -1, &o, NULL, &err);
  g_assert_no_error (err);
  for (guint i = 0; i < 5; i++)
    g_assert_true (gst_rk_kernel_send (r.k, rk_test_make_buffer (i, 64),
            RK_MSG_DATA, 0, GST_RK_WAIT_FOREVER, NULL, NULL));
  reader = g_thread_new ("stats", stats_reader_main, &r);
  while (g_atomic_int_get (&r.reads) < 10)
    g_usleep (100);
  gst_rk_kernel_terminate (r.k, &err);
  g_assert_no_error (err);
  g_atomic_int_set (&r.stop, 1);
  g_thread_join (reader);

  s = gst_rk_kernel_get_stats (r.k);
  g_assert_cmpstr (gst_structure_get_string (s, "state"), ==, "terminated");
  g_assert_true (gst_structure_get (s, "received", G_TYPE_UINT64, &received,
          "output-queue-depth", G_TYPE_UINT, &depth, NULL));
  g_assert_cmpuint (received, ==, 5);
  g_assert_cmpuint (depth, ==, 0);
  gst_structure_free (s);
  g_assert_false (gst_rk_kernel_try_receive (r.k, &msg, NULL));
  gst_object_unref (r.k);
  gst_object_unref (rt);
}

int
main (int argc, char **argv)
{
  const gchar *only = g_getenv ("RK_TEST_BACKENDS");

#ifdef RK_TEST_FAKE_CUDA
  rk_fake_cuda_install ();
#endif
  rk_test_init (&argc, &argv);
  if (only == NULL || strstr (only, "vulkan")) {
    g_test_add_data_func ("/conformance/vulkan/anomaly-burst", NULL,
        test_anomaly_burst);
    g_test_add_data_func ("/conformance/vulkan/fallback", NULL,
        test_fallback);
  }
  for (guint b = 0; b < G_N_ELEMENTS (backends); b++) {
    const gchar *name = gst_rk_backend_kind_get_name (backends[b]);
    gchar *path;

    if (only && !strstr (only, name))
      continue;

    for (guint s = 0; s < G_N_ELEMENTS (scripts); s++) {
      Case *c = g_new0 (Case, 1);

      c->backend = backends[b];
      c->script = &scripts[s];
      path = g_strdup_printf ("/conformance/%s/%s/%s", name,
          scripts[s].name, gst_rk_kernel_mode_get_name (scripts[s].mode));
      g_test_add_data_func_full (path, c, test_script, g_free);
      g_free (path);
    }
    path = g_strdup_printf ("/conformance/%s/element", name);
    g_test_add_data_func (path, GINT_TO_POINTER (backends[b]), test_element);
    g_free (path);
    path = g_strdup_printf ("/conformance/%s/stats-after-terminate", name);
    g_test_add_data_func (path, GINT_TO_POINTER (backends[b]),
        test_stats_after_terminate);
    g_free (path);
    path = g_strdup_printf ("/conformance/%s/fir-split", name);
    g_test_add_data_func (path, GINT_TO_POINTER (backends[b]),
        test_fir_split);
    g_free (path);
    path = g_strdup_printf ("/conformance/%s/element-error", name);
    g_test_add_data_func (path, GINT_TO_POINTER (backends[b]),
        test_element_error);
    g_free (path);
    for (guint s = 0; s < G_N_ELEMENTS (streams); s++) {
      Case *c = g_new0 (Case, 1);

      c->backend = backends[b];
      c->script = &streams[s];
      path = g_strdup_printf ("/conformance/%s/element-stream/%s/%s", name,
          streams[s].kernel, gst_rk_kernel_mode_get_name (streams[s].mode));
      g_test_add_data_func_full (path, c, test_element_stream, g_free);
      g_free (path);
    }
  }
  return g_test_run ();
}
