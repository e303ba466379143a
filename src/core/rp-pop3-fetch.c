/* rp-pop3-fetch.c: STAT, LIST, UIDL, RETR, TOP and DELE, one at a time or
 * pipelined (RFC 2449 section 6.6)
 *
 * A pipelined batch keeps a bounded window of commands in flight: the
 * server then streams one reply after the other and the link never idles
 * for a round trip between messages. The window is bounded so that the
 * commands we queue always fit in the socket buffers; a client that keeps
 * writing while the server is blocked writing a large reply would
 * otherwise deadlock (RFC 2449 warns of exactly this).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-pop3"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "rp-macros.h"
#include "rp-pop3-private.h"

/* At most 32 commands of at most 16 octets ("RETR 4294967295\r\n") are in
 * flight: about 512 octets, far below any socket buffer. */
#define PIPELINE_WINDOW 32

typedef struct
{
  RpPop3      *self;
  const char  *verb;
  const guint *msgnos;
  guint        n;
  guint        sent;
  guint        received;
  guint        window;
  gboolean     multiline;
} Pipeline;

/* Auxiliary methods */

static gboolean
pipelining_allowed (RpPop3 *self)
{
  return (self->capabilities & RP_POP3_CAPABILITY_PIPELINING) && !self->pipelining_disabled;
}

/* Bare LF lines are rare but real; the transport strips either ending, and
 * the POP3 wire format (RFC 1939) is CRLF. The message keeps CRLF, which
 * is what every server sends and what RFC 5322 says a message is. */
static const char crlf[] = "\r\n";

static gsize
size_hint (RpPop3 *self,
           guint   msgno)
{
  if (self->sizes == NULL || msgno >= self->sizes->len)
    return 0;

  return (gsize) MIN (g_array_index (self->sizes, guint64, msgno), G_MAXSIZE / 2);
}

static void
clear_info (gpointer data)
{
  RpPop3MessageInfo *info = data;

  g_clear_pointer (&info->uid, g_free);
}

static GArray *
new_info_array (void)
{
  GArray *infos = g_array_new (FALSE, TRUE, sizeof (RpPop3MessageInfo));

  g_array_set_clear_func (infos, clear_info);
  return infos;
}

static int
compare_info (gconstpointer a,
              gconstpointer b)
{
  const RpPop3MessageInfo *info_a = a;
  const RpPop3MessageInfo *info_b = b;

  return (info_a->msgno > info_b->msgno) - (info_a->msgno < info_b->msgno);
}

/* Reads and forgets a short multi-line reply (the UIDL queued behind a
 * refused LIST), keeping the last reply that explains the failure. */
static void
skip_multiline_reply (RpPop3       *self,
                      GCancellable *cancellable)
{
  g_autofree char *kept = g_strdup (self->last_reply);
  RpPop3Reply reply;
  gboolean done = FALSE;

  if (_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, NULL) &&
      reply.status == RP_POP3_REPLY_OK)
    {
      while (!done)
        {
          const char *line;
          gsize len;

          if (!_rp_pop3_read_multiline_line (self, &line, &len, &done, cancellable, NULL))
            break;
        }
    }

  g_free (self->last_reply);
  self->last_reply = g_steal_pointer (&kept);
}

/* Reads the lines of a LIST reply whose +OK was read. */
static gboolean
read_list_lines (RpPop3        *self,
                 GArray        *infos,
                 GCancellable  *cancellable,
                 GError       **error)
{
  guint max_msgno = 0;
  gboolean done = FALSE;

  for (;;)
    {
      RpPop3MessageInfo info = { 0, };
      const char *line;
      gsize len;

      if (!_rp_pop3_read_multiline_line (self, &line, &len, &done, cancellable, error))
        return FALSE;
      if (done)
        break;

      if (!_rp_pop3_parse_list_line (line, len, &info.msgno, &info.size))
        {
          g_free (self->last_reply);
          self->last_reply = _rp_pop3_sanitize_reply (line, len);
          _rp_pop3_protocol_error (self, error, _("an invalid line in the message list"));
          return FALSE;
        }
      g_array_append_val (infos, info);
      max_msgno = MAX (max_msgno, info.msgno);
    }

  g_array_sort (infos, compare_info);
  for (guint i = 1; i < infos->len; i++)
    {
      if (g_array_index (infos, RpPop3MessageInfo, i).msgno ==
          g_array_index (infos, RpPop3MessageInfo, i - 1).msgno)
        {
          _rp_pop3_protocol_error (self, error, _("a message list with a number twice"));
          return FALSE;
        }
    }

  /* Message numbers are 1…n in practice; the size table is indexed by them
   * and is only kept when that holds roughly, so that a hostile number
   * cannot make it huge. */
  g_clear_pointer (&self->sizes, g_array_unref);
  if (max_msgno <= 2 * infos->len + 64)
    {
      self->sizes = g_array_sized_new (FALSE, TRUE, sizeof (guint64), max_msgno + 1);
      g_array_set_size (self->sizes, max_msgno + 1);
      for (guint i = 0; i < infos->len; i++)
        {
          const RpPop3MessageInfo *info = &g_array_index (infos, RpPop3MessageInfo, i);

          g_array_index (self->sizes, guint64, info->msgno) = info->size;
        }
    }

  return TRUE;
}

/* Reads the lines of a UIDL reply whose +OK was read, into the sorted
 * @infos from LIST. */
static gboolean
read_uidl_lines (RpPop3        *self,
                 GArray        *infos,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gboolean done = FALSE;

  for (;;)
    {
      RpPop3MessageInfo key = { 0, };
      RpPop3MessageInfo *info;
      g_autofree char *uid = NULL;
      const char *line;
      gsize len;

      if (!_rp_pop3_read_multiline_line (self, &line, &len, &done, cancellable, error))
        return FALSE;
      if (done)
        break;

      if (!_rp_pop3_parse_uidl_line (line, len, &key.msgno, &uid))
        {
          g_free (self->last_reply);
          self->last_reply = _rp_pop3_sanitize_reply (line, len);
          _rp_pop3_protocol_error (self, error, _("an invalid line in the list of message ids"));
          return FALSE;
        }

      info = bsearch (&key, infos->data, infos->len, sizeof (RpPop3MessageInfo), compare_info);
      if (info == NULL || info->uid != NULL)
        {
          _rp_pop3_protocol_error (self, error,
                                   _("a list of message ids that does not match its "
                                     "message list"));
          return FALSE;
        }
      info->uid = g_steal_pointer (&uid);
    }

  for (guint i = 0; i < infos->len; i++)
    {
      if (g_array_index (infos, RpPop3MessageInfo, i).uid == NULL)
        {
          _rp_pop3_protocol_error (self, error,
                                   _("a list of message ids that does not match its "
                                     "message list"));
          return FALSE;
        }
    }

  return TRUE;
}

/* Reads one reply to RETR or TOP, the message included. */
static GBytes *
read_message (RpPop3        *self,
              const char    *verb,
              gsize          hint,
              GCancellable  *cancellable,
              GError       **error)
{
  RpPop3Body body;
  GBytes *bytes;

  if (!_rp_pop3_read_ok (self, verb, FALSE, NULL, NULL, cancellable, error))
    return NULL;

  _rp_pop3_body_init (&body, hint, 0);
  if (!_rp_pop3_read_body (self, &body, cancellable, error))
    {
      _rp_pop3_body_clear (&body);
      return NULL;
    }

  if (body.too_large)
    {
      _rp_pop3_body_clear (&body);
      g_set_error (error, RP_ERROR, RP_ERROR_MESSAGE_TOO_LARGE,
                   _("A message on %s is larger than %u MB, more than Rapport can "
                     "download. Remove it with another mail program or the provider’s "
                     "web mail."),
                   self->host, (guint) (RP_POP3_MAX_MESSAGE_SIZE / (1024 * 1024)));
      return NULL;
    }

  bytes = _rp_pop3_body_steal (&body);
  return bytes;
}

static void
pipeline_init (Pipeline    *pipeline,
               RpPop3      *self,
               const char  *verb,
               const guint *msgnos,
               guint        n,
               gboolean     multiline)
{
  pipeline->self = self;
  pipeline->verb = verb;
  pipeline->msgnos = msgnos;
  pipeline->n = n;
  pipeline->sent = 0;
  pipeline->received = 0;
  pipeline->window = pipelining_allowed (self) ? PIPELINE_WINDOW : 1;
  pipeline->multiline = multiline;
}

/* Tops the window up once it is half empty, so that commands go out in
 * batches rather than one write per reply. Without PIPELINING the window
 * is one command: the next goes out when the last reply is in. */
static gboolean
pipeline_fill (Pipeline      *pipeline,
               GCancellable  *cancellable,
               GError       **error)
{
  if (pipeline->sent == pipeline->n ||
      pipeline->sent - pipeline->received > pipeline->window / 2)
    return TRUE;

  while (pipeline->sent < pipeline->n && pipeline->sent - pipeline->received < pipeline->window)
    {
      char command[32];

      g_snprintf (command, sizeof command, "%s %u",
                  pipeline->verb, pipeline->msgnos[pipeline->sent]);
      if (!_rp_pop3_send (pipeline->self, command, NULL, TRUE, cancellable, error))
        return FALSE;
      pipeline->sent++;
    }

  return _rp_pop3_flush (pipeline->self, cancellable, error);
}

/* After a batch stopped early, reads the replies still owed for commands
 * in flight and throws them away, so that the session stays usable (for
 * RSET or QUIT). If that fails the connection is closed, which also
 * keeps the session safe. The last reply stays the one that stopped the
 * batch. */
static void
pipeline_drain (Pipeline     *pipeline,
                GCancellable *cancellable)
{
  RpPop3 *self = pipeline->self;
  g_autofree char *kept = g_strdup (self->last_reply);

  while (pipeline->received < pipeline->sent && rp_pop3_is_connected (self))
    {
      RpPop3Reply reply;

      if (!_rp_pop3_read_reply (self, &reply, NULL, NULL, cancellable, NULL))
        break;
      pipeline->received++;

      if (reply.status == RP_POP3_REPLY_OK && pipeline->multiline)
        {
          RpPop3Body body;
          gboolean ok;

          /* A limit of one byte keeps nothing of the message. */
          _rp_pop3_body_init (&body, 0, 1);
          ok = _rp_pop3_read_body (self, &body, cancellable, NULL);
          _rp_pop3_body_clear (&body);
          if (!ok)
            break;
        }
      else if (reply.status != RP_POP3_REPLY_OK && reply.status != RP_POP3_REPLY_ERR)
        {
          _rp_pop3_fail (self);
          break;
        }
    }

  g_free (self->last_reply);
  self->last_reply = g_steal_pointer (&kept);
}

static gboolean
check_msgnos (const guint *msgnos,
              guint        n)
{
  for (guint i = 0; i < n; i++)
    {
      if (msgnos[i] == 0)
        return FALSE;
    }

  return TRUE;
}

/* Internal API */

/**
 * _rp_pop3_read_body:
 * @self: a session that just read +OK to a multi-line command
 * @body: an initialised accumulator
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Collects lines up to the terminator. When the connection ends first,
 * the error is returned and whatever arrived stays in @body, never marked
 * complete: a message whose end never came is not a message.
 *
 * Returns: %TRUE when the terminator was read
 */
gboolean
_rp_pop3_read_body (RpPop3        *self,
                    RpPop3Body    *body,
                    GCancellable  *cancellable,
                    GError       **error)
{
  RpTransport *transport = self->transport;

  for (;;)
    {
      const char *line;
      gsize len;
      guint ending;

      if (!rp_transport_read_line_ending_sync (transport, &line, &len, &ending, cancellable,
                                               error))
        {
          _rp_pop3_fail (self);
          return FALSE;
        }

      /* The ending goes in as it came: the message keeps the server's
       * bytes, and a "." cut off by a closed connection ends nothing. */
      if (_rp_pop3_body_feed_line (body, line, len, crlf + 2 - ending, ending))
        return TRUE;
    }
}

/* Public API */

/**
 * rp_pop3_stat_sync:
 * @self: a signed-in #RpPop3
 * @count: (out) (optional): number of messages
 * @size: (out) (optional): their total size in octets
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
rp_pop3_stat_sync (RpPop3        *self,
                   guint         *count,
                   guint64       *size,
                   GCancellable  *cancellable,
                   GError       **error)
{
  const char *text;
  gsize text_len;
  guint n;
  guint64 octets;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_rp_pop3_check_transaction (self, error) ||
      !_rp_pop3_send (self, "STAT", NULL, FALSE, cancellable, error) ||
      !_rp_pop3_read_ok (self, "STAT", FALSE, &text, &text_len, cancellable, error))
    return FALSE;

  if (!_rp_pop3_parse_stat (text, text_len, &n, &octets))
    {
      _rp_pop3_protocol_error (self, error, _("an invalid reply to STAT"));
      return FALSE;
    }

  if (count != NULL)
    *count = n;
  if (size != NULL)
    *size = octets;

  return TRUE;
}

/**
 * rp_pop3_list_sync:
 * @self: a signed-in #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the messages with their sizes (LIST). The sizes are also kept, so
 * that a later RETR allocates the message buffer once.
 *
 * Returns: (transfer full) (element-type RpPop3MessageInfo): the messages,
 *   sorted by number, @uid %NULL
 */
GArray *
rp_pop3_list_sync (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GArray) infos = NULL;

  g_return_val_if_fail (RP_IS_POP3 (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_rp_pop3_check_transaction (self, error) ||
      !_rp_pop3_send (self, "LIST", NULL, FALSE, cancellable, error) ||
      !_rp_pop3_read_ok (self, "LIST", FALSE, NULL, NULL, cancellable, error))
    return NULL;

  infos = new_info_array ();
  if (!read_list_lines (self, infos, cancellable, error))
    return NULL;

  return g_steal_pointer (&infos);
}

/**
 * rp_pop3_uidl_sync:
 * @self: a signed-in #RpPop3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists the messages with their sizes and unique ids (LIST and UIDL, sent
 * together when the server allows pipelining). The ids are what tells new
 * messages from ones already downloaded; a server without UIDL fails with
 * %RP_ERROR_SERVER_PERMANENT.
 *
 * Returns: (transfer full) (element-type RpPop3MessageInfo): the messages,
 *   sorted by number, each with its @uid
 */
GArray *
rp_pop3_uidl_sync (RpPop3        *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GArray) infos = NULL;
  gboolean pipelined;

  g_return_val_if_fail (RP_IS_POP3 (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_rp_pop3_check_transaction (self, error))
    return NULL;

  pipelined = pipelining_allowed (self);
  if (!_rp_pop3_send (self, "LIST", NULL, pipelined, cancellable, error) ||
      (pipelined && !_rp_pop3_send (self, "UIDL", NULL, FALSE, cancellable, error)))
    return NULL;

  if (!_rp_pop3_read_ok (self, "LIST", FALSE, NULL, NULL, cancellable, error))
    {
      if (pipelined && rp_pop3_is_connected (self))
        skip_multiline_reply (self, cancellable);
      return NULL;
    }

  infos = new_info_array ();
  if (!read_list_lines (self, infos, cancellable, error))
    return NULL;

  if (!pipelined && !_rp_pop3_send (self, "UIDL", NULL, FALSE, cancellable, error))
    return NULL;

  if (!_rp_pop3_read_ok (self, "UIDL", FALSE, NULL, NULL, cancellable, error) ||
      !read_uidl_lines (self, infos, cancellable, error))
    return NULL;

  return g_steal_pointer (&infos);
}

/**
 * rp_pop3_retr_sync:
 * @self: a signed-in #RpPop3
 * @msgno: the message number
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads one message, dot-unstuffed, with the CRLF line endings of the
 * wire, and otherwise exactly as the server sent it (no end-of-line
 * conversion, NUL bytes kept). A connection lost before the terminating
 * "." is an error; no partial message is returned.
 *
 * Returns: (transfer full): the message
 */
GBytes *
rp_pop3_retr_sync (RpPop3        *self,
                   guint          msgno,
                   GCancellable  *cancellable,
                   GError       **error)
{
  char command[32];

  g_return_val_if_fail (RP_IS_POP3 (self), NULL);
  g_return_val_if_fail (msgno > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_snprintf (command, sizeof command, "RETR %u", msgno);
  if (!_rp_pop3_check_transaction (self, error) ||
      !_rp_pop3_send (self, command, NULL, FALSE, cancellable, error))
    return NULL;

  return read_message (self, "RETR", size_hint (self, msgno), cancellable, error);
}

/**
 * rp_pop3_top_sync:
 * @self: a signed-in #RpPop3
 * @msgno: the message number
 * @lines: how many body lines to include after the header
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads the header and the first @lines lines of the body (TOP, an
 * optional command of RFC 1939).
 *
 * Returns: (transfer full): the header, the blank line and @lines lines
 */
GBytes *
rp_pop3_top_sync (RpPop3        *self,
                  guint          msgno,
                  guint          lines,
                  GCancellable  *cancellable,
                  GError       **error)
{
  char command[48];

  g_return_val_if_fail (RP_IS_POP3 (self), NULL);
  g_return_val_if_fail (msgno > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_snprintf (command, sizeof command, "TOP %u %u", msgno, lines);
  if (!_rp_pop3_check_transaction (self, error) ||
      !_rp_pop3_send (self, command, NULL, FALSE, cancellable, error))
    return NULL;

  return read_message (self, "TOP", 0, cancellable, error);
}

/**
 * rp_pop3_retr_many_sync:
 * @self: a signed-in #RpPop3
 * @msgnos: (array length=n_msgnos): the message numbers, in the order wanted
 * @n_msgnos: how many
 * @func: (scope call): receives each message in that order
 * @user_data: data for @func
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Downloads many messages as rp_pop3_retr_sync() would, but with up to 32
 * RETR commands in flight when the server announced PIPELINING, else one
 * at a time. Messages reach @func in order, each complete.
 *
 * The batch stops at the first failure: a -ERR for a message, a message
 * too large, or @func returning %FALSE (its error is returned). Every
 * message before the failing one has been delivered. The replies still in
 * flight are then read and discarded so that the session can go on (or
 * the connection is closed if that fails).
 *
 * Returns: %TRUE if every message was delivered
 */
gboolean
rp_pop3_retr_many_sync (RpPop3          *self,
                        const guint     *msgnos,
                        guint            n_msgnos,
                        RpPop3RetrFunc   func,
                        gpointer         user_data,
                        GCancellable    *cancellable,
                        GError         **error)
{
  Pipeline pipeline;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (msgnos != NULL || n_msgnos == 0, FALSE);
  g_return_val_if_fail (check_msgnos (msgnos, n_msgnos), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_rp_pop3_check_transaction (self, error))
    RP_RETURN (FALSE);

  pipeline_init (&pipeline, self, "RETR", msgnos, n_msgnos, TRUE);

  while (pipeline.received < pipeline.n)
    {
      guint msgno = msgnos[pipeline.received];
      g_autoptr(GBytes) message = NULL;

      if (!pipeline_fill (&pipeline, cancellable, error))
        RP_RETURN (FALSE);

      message = read_message (self, "RETR", size_hint (self, msgno), cancellable, error);
      pipeline.received++;

      if (message == NULL || !func (msgno, message, user_data, error))
        {
          pipeline_drain (&pipeline, cancellable);
          RP_RETURN (FALSE);
        }
    }

  RP_RETURN (TRUE);
}

/**
 * rp_pop3_dele_many_sync:
 * @self: a signed-in #RpPop3
 * @msgnos: (array length=n_msgnos): the message numbers
 * @n_msgnos: how many
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Marks messages for deletion, pipelined like rp_pop3_retr_many_sync().
 * The server deletes them only when rp_pop3_quit_sync() succeeds. Stops at
 * the first refusal; the marks set before it stay set until RSET.
 *
 * Returns: %TRUE if the server accepted every mark
 */
gboolean
rp_pop3_dele_many_sync (RpPop3        *self,
                        const guint   *msgnos,
                        guint          n_msgnos,
                        GCancellable  *cancellable,
                        GError       **error)
{
  Pipeline pipeline;

  RP_ENTRY;

  g_return_val_if_fail (RP_IS_POP3 (self), FALSE);
  g_return_val_if_fail (msgnos != NULL || n_msgnos == 0, FALSE);
  g_return_val_if_fail (check_msgnos (msgnos, n_msgnos), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_rp_pop3_check_transaction (self, error))
    RP_RETURN (FALSE);

  pipeline_init (&pipeline, self, "DELE", msgnos, n_msgnos, FALSE);

  while (pipeline.received < pipeline.n)
    {
      gboolean ok;

      if (!pipeline_fill (&pipeline, cancellable, error))
        RP_RETURN (FALSE);

      ok = _rp_pop3_read_ok (self, "DELE", FALSE, NULL, NULL, cancellable, error);
      pipeline.received++;

      if (!ok)
        {
          pipeline_drain (&pipeline, cancellable);
          RP_RETURN (FALSE);
        }
    }

  RP_RETURN (TRUE);
}
