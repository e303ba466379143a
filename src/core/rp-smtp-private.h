/* rp-smtp-private.h: the parts of the SMTP client that need no network,
 * for the client itself, the unit tests and the fuzz target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-smtp.h"

G_BEGIN_DECLS

/* RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers send
 * longer ones (Exchange's banners, long "Learn more" URLs), so the limit is
 * generous but keeps a hostile peer from growing a reply without bound. */
#define RP_SMTP_MAX_REPLY_LINE  (16 * 1024)
#define RP_SMTP_MAX_REPLY_LINES 256

/**
 * RpSmtpReply:
 * @code: the three-digit reply code, 0 before the first line
 * @enhanced: the RFC 3463 enhanced status code ("5.1.1") of the first
 *   line that carries one, or %NULL
 * @lines: (element-type utf8): the text of each line, without the code,
 *   the separator and the enhanced status code; valid UTF-8
 * @complete: %TRUE once the last line ("250 …" rather than "250-…") was added
 *
 * One reply, assembled line by line with _rp_smtp_reply_add_line().
 */
typedef struct
{
  guint      code;
  char      *enhanced;
  GPtrArray *lines;
  gboolean   complete;
} RpSmtpReply;

/**
 * RpSmtpCaps:
 *
 * What an EHLO reply advertised.
 */
typedef struct
{
  RpSmtpCapabilities   flags;
  /* SIZE's argument; 0 when SIZE is absent or has no fixed limit. */
  guint64              size_limit;
  RpSmtpAuthMechanisms auth;
} RpSmtpCaps;

/* Writes @length bytes somewhere: to the transport when sending, into a
 * buffer in tests. */
typedef gboolean (*RpSmtpWriteFunc) (const void  *data,
                                     gsize        length,
                                     gpointer     user_data,
                                     GError     **error);

gboolean     _rp_smtp_parse_reply_line    (const char   *line,
                                           gsize         length,
                                           guint        *code,
                                           gboolean     *last,
                                           const char  **text,
                                           gsize        *text_length,
                                           GError      **error);
gboolean     _rp_smtp_parse_enhanced_code (const char   *text,
                                           gsize         length,
                                           guint         code,
                                           gsize        *consumed);

RpSmtpReply *_rp_smtp_reply_new           (void) G_GNUC_WARN_UNUSED_RESULT;
void         _rp_smtp_reply_free          (RpSmtpReply  *reply);
void         _rp_smtp_reply_clear         (RpSmtpReply  *reply);
gboolean     _rp_smtp_reply_add_line      (RpSmtpReply  *reply,
                                           const char   *line,
                                           gsize         length,
                                           GError      **error);
char        *_rp_smtp_reply_dup_text      (const RpSmtpReply *reply) G_GNUC_WARN_UNUSED_RESULT;
char        *_rp_smtp_reply_to_string     (const RpSmtpReply *reply) G_GNUC_WARN_UNUSED_RESULT;

void         _rp_smtp_caps_parse_line     (RpSmtpCaps   *caps,
                                           const char   *line);
void         _rp_smtp_caps_parse_reply    (RpSmtpCaps   *caps,
                                           const RpSmtpReply *reply);

gsize        _rp_smtp_message_size        (const guint8 *data,
                                           gsize         length,
                                           gboolean     *has_8bit);
gboolean     _rp_smtp_write_data          (const guint8 *data,
                                           gsize         length,
                                           RpSmtpWriteFunc write_func,
                                           gpointer      user_data,
                                           GError      **error);

gboolean     _rp_smtp_address_is_valid    (const char   *address,
                                           gboolean      allow_empty);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpSmtpReply, _rp_smtp_reply_free)

/* The object, shared by rp-smtp.c, rp-smtp-auth.c and rp-smtp-send.c. */
struct _RpSmtp
{
  GObject      parent_instance;

  /* Set by rp_smtp_new(); never change. */
  char        *host;
  guint16      port;
  RpSecurity   security;

  /* Touched only by the thread that runs the _sync calls. */
  RpTransport *transport;
  char        *ehlo_name;
  RpSmtpCaps   caps;
  RpSmtpReply *reply;          /* the last reply read */
  gboolean     greeted;        /* rp_smtp_connect_sync() succeeded */
};

gboolean     _rp_smtp_io_failed           (RpSmtp       *self);
gboolean     _rp_smtp_read_reply          (RpSmtp       *self,
                                           GCancellable *cancellable,
                                           GError      **error);
gboolean     _rp_smtp_write_line          (RpSmtp       *self,
                                           const char   *line,
                                           const char   *trace_text,
                                           gboolean      more,
                                           GCancellable *cancellable,
                                           GError      **error);
gboolean     _rp_smtp_command             (RpSmtp       *self,
                                           const char   *line,
                                           const char   *trace_text,
                                           GCancellable *cancellable,
                                           GError      **error);
gboolean     _rp_smtp_reply_is_positive   (RpSmtp       *self);
void         _rp_smtp_set_reply_error     (RpSmtp       *self,
                                           GError      **error,
                                           const char   *what);

G_END_DECLS
