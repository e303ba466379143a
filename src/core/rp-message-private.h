/* rp-message-private.h: internals of the MIME summary shared by its source
 * files and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gmime/gmime.h>

#include "rp-message.h"

G_BEGIN_DECLS

/* A read-only GMimeStream over the bytes of a GBytes. GMime's own memory
 * stream needs a GByteArray and would copy the whole message; this one lets
 * the parser and every part's content substream point into the caller's
 * buffer. It is declared by hand because GMime 3.2 has no autoptr cleanup
 * functions, which G_DECLARE_FINAL_TYPE needs. */
typedef struct _RpBytesStream RpBytesStream;
typedef struct
{
  GMimeStreamClass parent_class;
} RpBytesStreamClass;

#define RP_TYPE_BYTES_STREAM  (_rp_bytes_stream_get_type ())
#define RP_IS_BYTES_STREAM(o) (G_TYPE_CHECK_INSTANCE_TYPE ((o), RP_TYPE_BYTES_STREAM))

GType         _rp_bytes_stream_get_type  (void) G_GNUC_CONST;
GMimeStream  *_rp_bytes_stream_new       (GBytes      *bytes) G_GNUC_WARN_UNUSED_RESULT;
const char   *_rp_bytes_stream_peek      (GMimeStream *stream,
                                          gsize       *length);

/* The state of one parse, shared by rp-message.c (the headers) and
 * rp-message-parts.c (the MIME tree). Lives on the parsing thread's stack. */
typedef struct
{
  RpMessageSummary   *summary;
  GMimeParserOptions *options;
  const char         *raw;            /* the message, for offsets into it */
  gsize               raw_length;
  const char         *charset;        /* of the first text part, for 8-bit headers */
  GPtrArray          *plain_parts;    /* (element-type GMimePart) body text/plain */
  GPtrArray          *html_parts;     /* (element-type GMimePart) body text/html */
  GPtrArray          *alt_html_parts; /* (element-type GMimePart) html that lost to plain */
  GPtrArray          *recovered;      /* (element-type GMimeObject) re-parsed multiparts */
} RpMessageWalk;

/* GMime is initialised once per process, from any thread. */
void                 _rp_message_init_gmime     (void);
/* Shared, never modified after creation, so threads may use it at once. */
GMimeParserOptions  *_rp_message_parser_options (void);

/* rp-message-parts.c */
void         _rp_message_walk_parts          (RpMessageWalk *w,
                                              GMimeObject   *body);
char        *_rp_message_assemble_body       (RpMessageWalk *w) G_GNUC_WARN_UNUSED_RESULT;
const char  *_rp_message_first_text_charset  (GMimeObject   *object);
char        *_rp_message_raw_as_text         (const char    *raw,
                                              gsize          length) G_GNUC_WARN_UNUSED_RESULT;
/* The decoded size of a part's content, mostly without decoding it. */
gsize        _rp_message_part_decoded_size   (GMimePart     *part);

/* rp-message-text.c */

/* Text in @charset (or unlabelled when NULL) to valid UTF-8: a wrong label,
 * an unknown charset or broken bytes give best-effort text, never NULL.
 * @fallback_charset is tried before windows-1252 for unlabelled 8-bit text.
 * The result keeps NUL bytes and line endings as they were. */
char  *_rp_message_text_to_utf8        (const char *data,
                                        gsize       length,
                                        const char *charset,
                                        const char *fallback_charset,
                                        gsize      *out_length) G_GNUC_WARN_UNUSED_RESULT;
/* windows-1252 (the WHATWG reading of latin1 and us-ascii) to UTF-8. */
void   _rp_message_append_cp1252       (GString    *out,
                                        const char *data,
                                        gsize       length);
gunichar _rp_message_cp1252_to_unichar (guchar      byte) G_GNUC_CONST;
/* Drops NUL bytes and turns CRLF and lone CR into LF, in place. */
gsize  _rp_message_normalize_newlines  (char       *text,
                                        gsize       length);
/* The one-line preview of a plain text body. */
char  *_rp_message_make_snippet        (const char *text) G_GNUC_WARN_UNUSED_RESULT;
/* Works around GMime 3.2.13 losing text after padded base64 encoded words. */
char  *_rp_message_merge_encoded_words (const char *text) G_GNUC_WARN_UNUSED_RESULT;
/* A copy of @str made valid UTF-8, or %NULL for NULL or "". */
char  *_rp_message_dup_nonempty        (const char *str) G_GNUC_WARN_UNUSED_RESULT;
/* One line of text: control characters become spaces (C1 ones are read as
 * windows-1252), the ends are trimmed. Takes @str, returns the result. */
char  *_rp_message_clean_line          (char       *str) G_GNUC_WARN_UNUSED_RESULT;
/* Returns @str if it is valid UTF-8, else a repaired copy (and frees @str). */
char  *_rp_message_ensure_utf8         (char       *str) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
