/* rp-message.c: what the store, the list and search need to know about a
 * message, extracted from its raw bytes with GMime
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-message"

#include "config.h"

#include <string.h>

#include "rp-macros.h"
#include "rp-message-private.h"

/* 1980-01-01T00:00:00Z: an earlier Date: is a broken clock, not mail. */
#define MIN_PLAUSIBLE_DATE G_GINT64_CONSTANT (315532800)
/* A Date: further than this ahead of the arrival time is a broken clock too. */
#define MAX_FUTURE_SKEW (24 * 60 * 60)

typedef enum
{
  HEADER_OTHER,
  HEADER_FROM,
  HEADER_TO,
  HEADER_CC,
  HEADER_REPLY_TO,
  HEADER_SENDER,
  HEADER_SUBJECT,
  HEADER_DATE,
  HEADER_MESSAGE_ID,
  HEADER_IN_REPLY_TO,
  HEADER_REFERENCES,
  HEADER_LIST_ID,
  N_HEADERS
} HeaderId;

static const char * const header_names[N_HEADERS] = {
  [HEADER_OTHER] = "",
  [HEADER_FROM] = "From",
  [HEADER_TO] = "To",
  [HEADER_CC] = "Cc",
  [HEADER_REPLY_TO] = "Reply-To",
  [HEADER_SENDER] = "Sender",
  [HEADER_SUBJECT] = "Subject",
  [HEADER_DATE] = "Date",
  [HEADER_MESSAGE_ID] = "Message-ID",
  [HEADER_IN_REPLY_TO] = "In-Reply-To",
  [HEADER_REFERENCES] = "References",
  [HEADER_LIST_ID] = "List-Id",
};

G_DEFINE_BOXED_TYPE (RpMessageSummary, rp_message_summary,
                     rp_message_summary_copy, rp_message_summary_free)

/* Auxiliary methods */

static gpointer
init_gmime_once (gpointer data)
{
  static const char *fallback_charsets[] = { "UTF-8", "windows-1252", NULL };
  GMimeParserOptions *options;

  g_mime_init ();

  /* Be as forgiving as GMime allows: real mail breaks every rule. The
   * options are shared by all threads and never changed after this. */
  options = g_mime_parser_options_new ();
  g_mime_parser_options_set_address_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_parameter_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_rfc2047_compliance_mode (options, GMIME_RFC_COMPLIANCE_LOOSE);
  g_mime_parser_options_set_allow_addresses_without_domain (options, TRUE);
  g_mime_parser_options_set_fallback_charsets (options, fallback_charsets);

  return options;
}

static HeaderId
identify_header (const char *name)
{
  guint i;

  /* Big messages are mostly Received: and DKIM headers: most names can be
   * ruled out by their first letter. */
  switch (g_ascii_tolower (name[0]))
    {
    case 'c': case 'd': case 'f': case 'i': case 'l':
    case 'm': case 'r': case 's': case 't':
      break;
    default:
      return HEADER_OTHER;
    }

  for (i = HEADER_OTHER + 1; i < N_HEADERS; i++)
    if (g_ascii_strcasecmp (name, header_names[i]) == 0)
      return (HeaderId) i;

  return HEADER_OTHER;
}

/* A header value, unfolded, as UTF-8 but still RFC 2047 encoded. 8-bit
 * bytes that are not UTF-8 are read in the charset of the message's text,
 * else as windows-1252: that is what the sender's software most likely
 * wrote them in. */
static char *
header_to_utf8 (RpMessageWalk *w,
                const char    *raw)
{
  char *text = g_mime_utils_header_unfold (raw);
  char *merged;

  if (text == NULL)
    return g_strdup ("");
  if (!g_utf8_validate (text, -1, NULL))
    {
      char *converted = _rp_message_text_to_utf8 (text, strlen (text), NULL, w->charset, NULL);

      g_free (text);
      text = converted;
    }

  merged = _rp_message_merge_encoded_words (text);
  if (merged != NULL)
    {
      g_free (text);
      text = merged;
    }

  return text;
}

static RpAddress *
address_new (const char *name,
             const char *addr)
{
  RpAddress *address = g_new0 (RpAddress, 1);

  address->name = _rp_message_clean_line (_rp_message_dup_nonempty (name));
  if (address->name != NULL && *address->name == '\0')
    g_clear_pointer (&address->name, g_free);

  address->address = _rp_message_clean_line (_rp_message_dup_nonempty (addr));
  if (address->address != NULL && *address->address == '\0')
    g_clear_pointer (&address->address, g_free);

  if (address->address != NULL)
    {
      char *at = strrchr (address->address, '@');

      /* Domains are case-insensitive, local parts are not (in theory). */
      if (at != NULL)
        for (char *p = at + 1; *p != '\0'; p++)
          *p = g_ascii_tolower (*p);
    }

  /* "bob@example.org <bob@example.org>" says nothing more than the address. */
  if (address->name != NULL && address->address != NULL &&
      g_ascii_strcasecmp (address->name, address->address) == 0)
    g_clear_pointer (&address->name, g_free);

  if (address->name == NULL && address->address == NULL)
    {
      rp_address_free (address);
      return NULL;
    }

  return address;
}

static RpAddress *
address_copy (const RpAddress *address)
{
  RpAddress *copy = g_new0 (RpAddress, 1);

  copy->name = g_strdup (address->name);
  copy->address = g_strdup (address->address);

  return copy;
}

/* Group members join the list; an empty group ("undisclosed-recipients:;")
 * stays as a name without an address. */
static void
append_address_list (GPtrArray           *out,
                     InternetAddressList *list,
                     guint                depth)
{
  int n = internet_address_list_length (list);

  for (int i = 0; i < n; i++)
    {
      InternetAddress *ia = internet_address_list_get_address (list, i);
      RpAddress *address = NULL;

      if (INTERNET_ADDRESS_IS_MAILBOX (ia))
        {
          address = address_new (internet_address_get_name (ia),
                                 internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)));
        }
      else if (INTERNET_ADDRESS_IS_GROUP (ia))
        {
          InternetAddressGroup *group = INTERNET_ADDRESS_GROUP (ia);
          InternetAddressList *members = internet_address_group_get_members (group);

          if (members != NULL && internet_address_list_length (members) > 0 && depth < 4)
            append_address_list (out, members, depth + 1);
          else
            address = address_new (internet_address_get_name (ia), NULL);
        }

      if (address != NULL)
        g_ptr_array_add (out, address);
    }
}

static void
add_addresses (RpMessageWalk *w,
               GPtrArray     *out,
               const char    *raw)
{
  g_autofree char *text = header_to_utf8 (w, raw);
  InternetAddressList *list = internet_address_list_parse (w->options, text);

  if (list == NULL)
    return;

  append_address_list (out, list, 0);
  g_object_unref (list);
}

static void
add_message_id (GPtrArray  *ids,
                const char *start,
                gsize       length)
{
  char *id = g_strndup (start, length);

  /* Folding inside an id ("<a@b\n .example>") is not part of it. */
  for (char *in = id, *out = id;; in++)
    {
      if (!g_ascii_isspace (*in))
        *out++ = *in;
      if (*in == '\0')
        break;
    }

  id = _rp_message_ensure_utf8 (id);
  if (*id == '\0')
    g_free (id);
  else
    g_ptr_array_add (ids, id);
}

/* Every <id>, and bare words with an '@', skipping comments and prose. */
static void
scan_message_ids (GPtrArray  *ids,
                  const char *raw)
{
  const char *p = raw;

  while (*p != '\0')
    {
      if (*p == '(')
        {
          guint depth = 0;

          for (; *p != '\0'; p++)
            {
              if (*p == '(')
                depth++;
              else if (*p == ')' && --depth == 0)
                {
                  p++;
                  break;
                }
            }
        }
      else if (*p == '<')
        {
          const char *gt = strchr (p, '>');

          if (gt == NULL)
            break;
          add_message_id (ids, p + 1, gt - p - 1);
          p = gt + 1;
        }
      else if (!g_ascii_isspace (*p) && *p != ',')
        {
          const char *end = p;

          while (*end != '\0' && !g_ascii_isspace (*end) && strchr ("<(,", *end) == NULL)
            end++;
          if (memchr (p, '@', end - p) != NULL)
            add_message_id (ids, p, end - p);
          p = end;
        }
      else
        {
          p++;
        }
    }
}

/* GMime's parser gives up at the first thing that is not a message id,
 * and mailers write "Your message of <id>" or ids without brackets; then
 * a lenient scan finds what GMime missed. */
static GStrv
parse_references (RpMessageWalk *w,
                  const char    *raw)
{
  GMimeReferences *refs = g_mime_references_parse (w->options, raw);
  GPtrArray *ids = g_ptr_array_new ();
  int n = refs != NULL ? g_mime_references_length (refs) : 0;
  guint n_brackets = 0;

  for (const char *p = raw; *p != '\0'; p++)
    if (*p == '<')
      n_brackets++;

  if (n > 0 && (guint) n >= n_brackets)
    {
      for (int i = 0; i < n; i++)
        {
          const char *id = g_mime_references_get_message_id (refs, i);

          if (id != NULL)
            add_message_id (ids, id, strlen (id));
        }
    }
  else
    {
      scan_message_ids (ids, raw);
    }
  g_ptr_array_add (ids, NULL);
  g_clear_pointer (&refs, g_mime_references_free);

  return (GStrv) g_ptr_array_free (ids, FALSE);
}

/* "Announcements <announce.example.org>" gives "announce.example.org". */
static char *
parse_list_id (const char *raw)
{
  g_autofree char *value = _rp_message_ensure_utf8 (g_mime_utils_header_unfold (raw));
  const char *lt;

  if (value == NULL)
    return NULL;

  lt = strrchr (value, '<');
  if (lt != NULL)
    {
      const char *gt = strchr (lt, '>');
      g_autofree char *id = NULL;

      if (gt == NULL)
        return NULL;
      id = _rp_message_clean_line (g_strndup (lt + 1, gt - lt - 1));
      return _rp_message_dup_nonempty (id);
    }

  value = _rp_message_clean_line (value);
  if (strpbrk (value, " ") != NULL)
    return NULL;
  return _rp_message_dup_nonempty (value);
}

/* GMime reads RFC 5322 dates and most of what mailers made of them; ISO
 * 8601 (from scripts) is the one common format it does not. */
static gboolean
parse_date (const char *raw,
            gint64     *date)
{
  GDateTime *dt = g_mime_utils_header_decode_date (raw);

  if (dt == NULL)
    {
      g_autofree char *text = g_strstrip (g_strdup (raw));
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      dt = g_date_time_new_from_iso8601 (text, utc);
    }
  if (dt == NULL)
    return FALSE;

  *date = g_date_time_to_unix (dt);
  g_date_time_unref (dt);

  return TRUE;
}

static gboolean
read_headers (RpMessageWalk *w,
              GMimeObject   *message,
              gint64        *date)
{
  RpMessageSummary *summary = w->summary;
  GMimeHeaderList *headers = g_mime_object_get_header_list (message);
  const char *first[N_HEADERS] = { NULL };
  int n = headers != NULL ? g_mime_header_list_get_count (headers) : 0;

  for (int i = 0; i < n; i++)
    {
      GMimeHeader *header = g_mime_header_list_get_header_at (headers, i);
      const char *name = g_mime_header_get_name (header);
      const char *raw = g_mime_header_get_raw_value (header);
      HeaderId id;

      if (name == NULL || raw == NULL)
        continue;

      /* Repeated recipient headers add up; for the rest the first wins. */
      id = identify_header (name);
      switch (id)
        {
        case HEADER_TO:
          add_addresses (w, summary->to, raw);
          break;
        case HEADER_CC:
          add_addresses (w, summary->cc, raw);
          break;
        case HEADER_REPLY_TO:
          add_addresses (w, summary->reply_to, raw);
          break;
        case HEADER_OTHER:
        case N_HEADERS:
          break;
        default:
          if (first[id] == NULL)
            first[id] = raw;
          break;
        }
    }

  if (first[HEADER_FROM] != NULL)
    {
      g_autoptr(GPtrArray) from = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);

      add_addresses (w, from, first[HEADER_FROM]);
      if (from->len > 0)
        summary->from = g_ptr_array_steal_index (from, 0);
    }

  if (first[HEADER_SENDER] != NULL)
    {
      g_autoptr(GPtrArray) sender =
        g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);

      add_addresses (w, sender, first[HEADER_SENDER]);
      for (guint i = 0; i < sender->len && summary->sender == NULL; i++)
        summary->sender = g_strdup (((RpAddress *) sender->pdata[i])->address);
    }

  if (first[HEADER_SUBJECT] != NULL)
    {
      g_autofree char *text = header_to_utf8 (w, first[HEADER_SUBJECT]);
      char *decoded = g_mime_utils_header_decode_text (w->options, text);

      summary->subject = _rp_message_clean_line (_rp_message_ensure_utf8 (decoded));
    }

  if (first[HEADER_MESSAGE_ID] != NULL)
    {
      g_autofree char *id = g_mime_utils_decode_message_id (first[HEADER_MESSAGE_ID]);

      summary->message_id = _rp_message_clean_line (_rp_message_dup_nonempty (id));
    }

  if (first[HEADER_IN_REPLY_TO] != NULL)
    {
      g_auto(GStrv) ids = parse_references (w, first[HEADER_IN_REPLY_TO]);

      /* Some mailers add the parent's id and then its parent's; the first
       * is the one replied to. */
      if (ids[0] != NULL)
        summary->in_reply_to = g_strdup (ids[0]);
    }

  if (first[HEADER_REFERENCES] != NULL)
    {
      g_strfreev (summary->references);
      summary->references = parse_references (w, first[HEADER_REFERENCES]);
    }

  if (first[HEADER_LIST_ID] != NULL)
    summary->list_id = parse_list_id (first[HEADER_LIST_ID]);

  return first[HEADER_DATE] != NULL && parse_date (first[HEADER_DATE], date);
}

static GPtrArray *
address_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) rp_address_free);
}

static GPtrArray *
attachment_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) rp_attachment_free);
}

static GPtrArray *
copy_addresses (GPtrArray *addresses)
{
  GPtrArray *copy = address_array_new ();

  for (guint i = 0; i < addresses->len; i++)
    g_ptr_array_add (copy, address_copy (addresses->pdata[i]));

  return copy;
}

/* Internal API */

/*
 * _rp_message_parser_options:
 *
 * Initialises GMime on first use, from whichever thread comes first.
 * GMime's FAQ: g_mime_init() must run once before any other call, and
 * objects must not be shared between threads; these options are only read.
 */
GMimeParserOptions *
_rp_message_parser_options (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, init_gmime_once, NULL);
}

void
_rp_message_init_gmime (void)
{
  (void) _rp_message_parser_options ();
}

/* Public API */

/**
 * rp_message_summary_parse:
 * @raw: the message as received
 * @arrival_time: when it arrived (Unix time), for a missing or absurd Date:
 *
 * Reads everything the store, the message list and search need from a
 * message. Never fails: garbage gives a summary of what could be found,
 * and every string is valid UTF-8. May be called from any thread, and
 * from several at once. @raw is read in place, never copied.
 *
 * Attachment sizes are the decoded sizes. An attached message counts as
 * its bytes in @raw, from its first header to the delimiter after it.
 *
 * Returns: (transfer full): the summary
 */
RpMessageSummary *
rp_message_summary_parse (GBytes *raw,
                          gint64  arrival_time)
{
  RpMessageSummary *summary;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  RpMessageWalk w = { 0 };
  gint64 date = 0;
  gboolean have_date = FALSE;

  g_return_val_if_fail (raw != NULL, NULL);

  RP_ENTRY;

  summary = g_new0 (RpMessageSummary, 1);
  summary->to = address_array_new ();
  summary->cc = address_array_new ();
  summary->reply_to = address_array_new ();
  summary->references = g_new0 (char *, 1);
  summary->attachments = attachment_array_new ();
  summary->size = g_bytes_get_size (raw);

  w.summary = summary;
  w.options = _rp_message_parser_options ();
  w.raw = g_bytes_get_data (raw, &w.raw_length);
  w.plain_parts = g_ptr_array_new ();
  w.html_parts = g_ptr_array_new ();
  w.alt_html_parts = g_ptr_array_new ();
  w.recovered = g_ptr_array_new_with_free_func (g_object_unref);

  stream = _rp_bytes_stream_new (raw);
  /* Some editors save a byte order mark before the first header. */
  if (w.raw_length >= 3 && memcmp (w.raw, "\xEF\xBB\xBF", 3) == 0)
    {
      GMimeStream *rest = g_mime_stream_substream (stream, 3, -1);

      g_object_unref (stream);
      stream = rest;
    }
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_persist_stream (parser, TRUE);
  message = g_mime_parser_construct_message (parser, w.options);

  if (message != NULL)
    {
      GMimeObject *body = g_mime_message_get_mime_part (message);

      w.charset = body != NULL ? _rp_message_first_text_charset (body) : NULL;
      have_date = read_headers (&w, GMIME_OBJECT (message), &date);
      _rp_message_walk_parts (&w, body);
      summary->body_text = _rp_message_assemble_body (&w);
    }
  else
    {
      /* GMime found no header at all. */
      summary->body_text = _rp_message_raw_as_text (w.raw, w.raw_length);
    }

  if (summary->subject == NULL)
    summary->subject = g_strdup ("");
  if (summary->body_text == NULL)
    summary->body_text = g_strdup ("");
  summary->snippet = _rp_message_make_snippet (summary->body_text);

  if (have_date && date >= MIN_PLAUSIBLE_DATE && date - MAX_FUTURE_SKEW <= arrival_time)
    {
      summary->date = date;
    }
  else
    {
      summary->date = arrival_time;
      summary->date_is_arrival = TRUE;
    }

  g_ptr_array_unref (w.plain_parts);
  g_ptr_array_unref (w.html_parts);
  g_ptr_array_unref (w.alt_html_parts);
  g_ptr_array_unref (w.recovered);
  g_clear_object (&message);
  g_object_unref (parser);
  g_object_unref (stream);

  RP_RETURN (summary);
}

/**
 * rp_message_summary_copy:
 * @summary: a summary
 *
 * Returns: (transfer full): a deep copy of @summary
 */
RpMessageSummary *
rp_message_summary_copy (const RpMessageSummary *summary)
{
  RpMessageSummary *copy;

  g_return_val_if_fail (summary != NULL, NULL);

  copy = g_new0 (RpMessageSummary, 1);
  *copy = *summary;

  copy->from = summary->from != NULL ? address_copy (summary->from) : NULL;
  copy->to = copy_addresses (summary->to);
  copy->cc = copy_addresses (summary->cc);
  copy->reply_to = copy_addresses (summary->reply_to);
  copy->sender = g_strdup (summary->sender);
  copy->subject = g_strdup (summary->subject);
  copy->message_id = g_strdup (summary->message_id);
  copy->in_reply_to = g_strdup (summary->in_reply_to);
  copy->references = g_strdupv (summary->references);
  copy->list_id = g_strdup (summary->list_id);
  copy->body_text = g_strdup (summary->body_text);
  copy->snippet = g_strdup (summary->snippet);

  copy->attachments = attachment_array_new ();
  for (guint i = 0; i < summary->attachments->len; i++)
    {
      const RpAttachment *attachment = summary->attachments->pdata[i];
      RpAttachment *attachment_copy = g_new0 (RpAttachment, 1);

      *attachment_copy = *attachment;
      attachment_copy->filename = g_strdup (attachment->filename);
      attachment_copy->content_type = g_strdup (attachment->content_type);
      attachment_copy->content_id = g_strdup (attachment->content_id);
      g_ptr_array_add (copy->attachments, attachment_copy);
    }

  return copy;
}

/**
 * rp_message_summary_free:
 * @summary: (nullable): a summary
 */
void
rp_message_summary_free (RpMessageSummary *summary)
{
  if (summary == NULL)
    return;

  g_clear_pointer (&summary->from, rp_address_free);
  g_clear_pointer (&summary->to, g_ptr_array_unref);
  g_clear_pointer (&summary->cc, g_ptr_array_unref);
  g_clear_pointer (&summary->reply_to, g_ptr_array_unref);
  g_clear_pointer (&summary->sender, g_free);
  g_clear_pointer (&summary->subject, g_free);
  g_clear_pointer (&summary->message_id, g_free);
  g_clear_pointer (&summary->in_reply_to, g_free);
  g_clear_pointer (&summary->references, g_strfreev);
  g_clear_pointer (&summary->list_id, g_free);
  g_clear_pointer (&summary->attachments, g_ptr_array_unref);
  g_clear_pointer (&summary->body_text, g_free);
  g_clear_pointer (&summary->snippet, g_free);
  g_free (summary);
}

/**
 * rp_address_format:
 * @address: an address
 *
 * Returns: (transfer full): "Name <address>", the address alone when there
 *   is no name, or the name alone for an empty group
 */
char *
rp_address_format (const RpAddress *address)
{
  g_return_val_if_fail (address != NULL, NULL);

  if (address->name != NULL && address->address != NULL)
    return g_strdup_printf ("%s <%s>", address->name, address->address);
  if (address->address != NULL)
    return g_strdup (address->address);

  return g_strdup (address->name != NULL ? address->name : "");
}

/**
 * rp_address_free:
 * @address: (nullable): an address
 */
void
rp_address_free (RpAddress *address)
{
  if (address == NULL)
    return;

  g_free (address->name);
  g_free (address->address);
  g_free (address);
}

/**
 * rp_attachment_free:
 * @attachment: (nullable): an attachment
 */
void
rp_attachment_free (RpAttachment *attachment)
{
  if (attachment == NULL)
    return;

  g_free (attachment->filename);
  g_free (attachment->content_type);
  g_free (attachment->content_id);
  g_free (attachment);
}
