/* rp-pop3-private.h: the parts of the POP3 client that unit tests and the
 * fuzz target reach without a network, and what the files of the
 * session (rp-pop3.c, -auth.c, -io.c, -fetch.c) share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-error.h"
#include "rp-pop3.h"

G_BEGIN_DECLS

/* RFC 1939 limits a status line to 512 octets; real servers stay far below
 * this bound, and anything longer is hostile or broken. */
#define RP_POP3_MAX_STATUS_LINE 8192
/* Larger messages are refused with RP_ERROR_MESSAGE_TOO_LARGE: a GByteArray
 * cannot grow past 4 GiB, and no mail worth keeping is this big. */
#define RP_POP3_MAX_MESSAGE_SIZE ((gsize) 1024 * 1024 * 1024)

typedef enum
{
  RP_POP3_REPLY_INVALID,
  RP_POP3_REPLY_OK,
  RP_POP3_REPLY_ERR,
  RP_POP3_REPLY_CONTINUE,   /* "+ challenge" during SASL */
} RpPop3ReplyStatus;

/* Extended response codes (RFC 2449 section 8, RFC 3206). */
typedef enum
{
  RP_POP3_CODE_NONE,
  RP_POP3_CODE_AUTH,
  RP_POP3_CODE_SYS_TEMP,
  RP_POP3_CODE_SYS_PERM,
  RP_POP3_CODE_IN_USE,
  RP_POP3_CODE_LOGIN_DELAY,
  RP_POP3_CODE_OTHER,
} RpPop3ReplyCode;

typedef struct
{
  RpPop3ReplyStatus status;
  RpPop3ReplyCode   code;
  /* The human-readable text after the status and the code. */
  gsize             text_offset;
} RpPop3Reply;

/* The state of one multi-line response being collected. The data grows in
 * one buffer that becomes the message's GBytes without a copy. */
typedef struct
{
  GByteArray *data;
  gsize       max_size;
  guint       complete : 1;
  guint       too_large : 1;
} RpPop3Body;

/* Parsing, in rp-pop3-parse.c. */
gboolean           _rp_pop3_parse_status_line   (const char        *line,
                                                 gsize              len,
                                                 RpPop3Reply       *reply);
RpErrorCode        _rp_pop3_classify_error      (const char        *line,
                                                 gsize              len,
                                                 const RpPop3Reply *reply,
                                                 gboolean           during_auth);
RpPop3Capabilities _rp_pop3_parse_capa_line     (const char        *line,
                                                 gsize              len);
char              *_rp_pop3_parse_apop_timestamp (const char       *line,
                                                 gsize              len) G_GNUC_WARN_UNUSED_RESULT;
gboolean           _rp_pop3_parse_stat          (const char        *text,
                                                 gsize              len,
                                                 guint             *count,
                                                 guint64           *size);
gboolean           _rp_pop3_parse_list_line     (const char        *line,
                                                 gsize              len,
                                                 guint             *msgno,
                                                 guint64           *size);
gboolean           _rp_pop3_parse_uidl_line     (const char        *line,
                                                 gsize              len,
                                                 guint             *msgno,
                                                 char             **uid);
char              *_rp_pop3_sanitize_reply      (const char        *line,
                                                 gsize              len) G_GNUC_WARN_UNUSED_RESULT;

void               _rp_pop3_body_init           (RpPop3Body        *body,
                                                 gsize              size_hint,
                                                 gsize              max_size);
gboolean           _rp_pop3_body_feed_line      (RpPop3Body        *body,
                                                 const char        *line,
                                                 gsize              len,
                                                 const char        *eol,
                                                 gsize              eol_len);
GBytes            *_rp_pop3_body_steal          (RpPop3Body        *body) G_GNUC_WARN_UNUSED_RESULT;
void               _rp_pop3_body_clear          (RpPop3Body        *body);

/* Session internals shared by rp-pop3*.c. */
typedef enum
{
  RP_POP3_STATE_DISCONNECTED,
  RP_POP3_STATE_AUTHORIZATION,
  RP_POP3_STATE_TRANSACTION,
} RpPop3State;

struct _RpPop3
{
  GObject             parent_instance;

  char               *host;
  guint16             port;
  RpSecurity          security;
  RpTransport        *transport;

  RpPop3State         state;
  RpPop3Capabilities  capabilities;
  RpPop3AuthMethod    auth_method;
  /* The APOP timestamp from the greeting, brackets included. */
  char               *apop_timestamp;
  /* The last status line, made printable, for the "details" view. */
  char               *last_reply;
  /* For error messages only; never the password. */
  char               *user;
  /* Sizes from the last LIST, indexed by message number: the buffer for a
   * RETR is allocated once at the right size. */
  GArray             *sizes;
  /* Tests turn pipelining off to exercise the one-at-a-time path. */
  guint               pipelining_disabled : 1;
};

void      _rp_pop3_set_pipelining_enabled (RpPop3            *self,
                                           gboolean           enabled);
gboolean  _rp_pop3_check_connected        (RpPop3            *self,
                                           GError           **error);
gboolean  _rp_pop3_check_transaction      (RpPop3            *self,
                                           GError           **error);
gboolean  _rp_pop3_send                   (RpPop3            *self,
                                           const char        *command,
                                           const char        *trace_text,
                                           gboolean           more,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean  _rp_pop3_flush                  (RpPop3            *self,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean  _rp_pop3_read_reply             (RpPop3            *self,
                                           RpPop3Reply       *reply,
                                           const char       **text,
                                           gsize             *text_len,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean  _rp_pop3_read_body              (RpPop3            *self,
                                           RpPop3Body        *body,
                                           GCancellable      *cancellable,
                                           GError           **error);
void      _rp_pop3_set_reply_error        (RpPop3            *self,
                                           const char        *command,
                                           gboolean           during_auth,
                                           GError           **error);
gboolean  _rp_pop3_read_ok                (RpPop3            *self,
                                           const char        *command,
                                           gboolean           during_auth,
                                           const char       **text,
                                           gsize             *text_len,
                                           GCancellable      *cancellable,
                                           GError           **error);
gboolean  _rp_pop3_read_multiline_line    (RpPop3            *self,
                                           const char       **line,
                                           gsize             *len,
                                           gboolean          *done,
                                           GCancellable      *cancellable,
                                           GError           **error);
void      _rp_pop3_fail                   (RpPop3            *self);
void      _rp_pop3_protocol_error         (RpPop3            *self,
                                           GError           **error,
                                           const char        *what);

G_END_DECLS
