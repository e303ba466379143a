/* rp-message-stream.c: a read-only GMimeStream over a GBytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-message"

#include "config.h"

#include <errno.h>
#include <string.h>

#include "rp-message-private.h"

/* GMimeStream keeps the position and the bounds (bound_start, bound_end;
 * -1 for "up to the end") in the parent instance; positions are absolute
 * offsets into the buffer, also for substreams. */
struct _RpBytesStream
{
  GMimeStream  parent_instance;

  GBytes      *bytes;   /* shared with every substream, never written */
  const char  *data;
  gint64       length;
};

G_DEFINE_FINAL_TYPE (RpBytesStream, _rp_bytes_stream, GMIME_TYPE_STREAM)

/* Auxiliary methods */

static gint64
bound_end (RpBytesStream *self)
{
  GMimeStream *stream = GMIME_STREAM (self);

  if (stream->bound_end == -1 || stream->bound_end > self->length)
    return self->length;
  return stream->bound_end;
}

/* Overrides */

static ssize_t
rp_bytes_stream_read (GMimeStream *stream,
                      char        *buf,
                      size_t       len)
{
  RpBytesStream *self = (RpBytesStream *) stream;
  gint64 end = bound_end (self);
  gint64 n;

  if (stream->position < stream->bound_start)
    stream->position = stream->bound_start;
  n = MIN (end - stream->position, (gint64) MIN (len, G_MAXSSIZE));
  if (n <= 0)
    return 0;

  memcpy (buf, self->data + stream->position, (size_t) n);
  stream->position += n;

  return (ssize_t) n;
}

static ssize_t
rp_bytes_stream_write (GMimeStream *stream,
                       const char  *buf,
                       size_t       len)
{
  /* The raw message belongs to the caller (and to the store's file). */
  errno = EBADF;
  return -1;
}

static int
rp_bytes_stream_flush (GMimeStream *stream)
{
  return 0;
}

static int
rp_bytes_stream_close (GMimeStream *stream)
{
  return 0;
}

static gboolean
rp_bytes_stream_eos (GMimeStream *stream)
{
  return stream->position >= bound_end ((RpBytesStream *) stream);
}

static int
rp_bytes_stream_reset (GMimeStream *stream)
{
  stream->position = stream->bound_start;
  return 0;
}

static gint64
rp_bytes_stream_seek (GMimeStream     *stream,
                      gint64           offset,
                      GMimeSeekWhence  whence)
{
  RpBytesStream *self = (RpBytesStream *) stream;
  gint64 end = bound_end (self);
  gint64 real;

  switch (whence)
    {
    case GMIME_STREAM_SEEK_SET:
      real = offset;
      break;
    case GMIME_STREAM_SEEK_CUR:
      real = stream->position + offset;
      break;
    case GMIME_STREAM_SEEK_END:
      real = end + offset;
      break;
    default:
      errno = EINVAL;
      return -1;
    }

  if (real < stream->bound_start || real > end)
    {
      errno = EINVAL;
      return -1;
    }

  stream->position = real;
  return real;
}

static gint64
rp_bytes_stream_tell (GMimeStream *stream)
{
  return stream->position;
}

static gint64
rp_bytes_stream_length (GMimeStream *stream)
{
  gint64 end = bound_end ((RpBytesStream *) stream);

  return MAX (end - stream->bound_start, 0);
}

static GMimeStream *
rp_bytes_stream_substream (GMimeStream *stream,
                           gint64       start,
                           gint64       end)
{
  RpBytesStream *self = (RpBytesStream *) stream;
  RpBytesStream *sub = g_object_new (RP_TYPE_BYTES_STREAM, NULL);

  sub->bytes = g_bytes_ref (self->bytes);
  sub->data = self->data;
  sub->length = self->length;
  g_mime_stream_construct (GMIME_STREAM (sub), start, end);

  return GMIME_STREAM (sub);
}

static void
rp_bytes_stream_finalize (GObject *object)
{
  RpBytesStream *self = (RpBytesStream *) object;

  g_clear_pointer (&self->bytes, g_bytes_unref);

  G_OBJECT_CLASS (_rp_bytes_stream_parent_class)->finalize (object);
}

static void
_rp_bytes_stream_class_init (RpBytesStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GMimeStreamClass *stream_class = GMIME_STREAM_CLASS (klass);

  object_class->finalize = rp_bytes_stream_finalize;

  stream_class->read = rp_bytes_stream_read;
  stream_class->write = rp_bytes_stream_write;
  stream_class->flush = rp_bytes_stream_flush;
  stream_class->close = rp_bytes_stream_close;
  stream_class->eos = rp_bytes_stream_eos;
  stream_class->reset = rp_bytes_stream_reset;
  stream_class->seek = rp_bytes_stream_seek;
  stream_class->tell = rp_bytes_stream_tell;
  stream_class->length = rp_bytes_stream_length;
  stream_class->substream = rp_bytes_stream_substream;
}

static void
_rp_bytes_stream_init (RpBytesStream *self)
{
}

/* Internal API */

/*
 * _rp_bytes_stream_new:
 * @bytes: the data; referenced, never copied
 *
 * Returns: (transfer full): a seekable, read-only stream over @bytes
 */
GMimeStream *
_rp_bytes_stream_new (GBytes *bytes)
{
  RpBytesStream *self;
  gsize length = 0;

  g_assert (bytes != NULL);

  self = g_object_new (RP_TYPE_BYTES_STREAM, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->data = g_bytes_get_data (bytes, &length);
  self->length = (gint64) length;
  g_mime_stream_construct (GMIME_STREAM (self), 0, -1);

  return GMIME_STREAM (self);
}

/*
 * _rp_bytes_stream_peek:
 * @stream: any GMimeStream
 * @length: (out): the length of the returned region
 *
 * Lets the summary read a part's content in place when the parser made
 * it a substream of an #RpBytesStream.
 *
 * Returns: (nullable): the bytes between the bounds of @stream, or %NULL
 *   if @stream is not an #RpBytesStream
 */
const char *
_rp_bytes_stream_peek (GMimeStream *stream,
                       gsize       *length)
{
  RpBytesStream *self;
  gint64 start, end;

  *length = 0;
  if (!RP_IS_BYTES_STREAM (stream))
    return NULL;

  self = (RpBytesStream *) stream;
  start = CLAMP (stream->bound_start, 0, self->length);
  end = MAX (bound_end (self), start);
  *length = (gsize) (end - start);

  return self->data != NULL ? self->data + start : "";
}
