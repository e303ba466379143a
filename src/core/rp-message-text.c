/* rp-message-text.c: charsets, line endings and snippets for message
 * summaries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-message"

#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "rp-message-private.h"

/* UTF-8 of U+FFFD REPLACEMENT CHARACTER, for bytes no charset explains. */
#define REPLACEMENT "\xef\xbf\xbd"

/* The snippet is cut at a space when one lies in its second half. */
#define SNIPPET_MIN_WORD_CUT (RP_MESSAGE_SNIPPET_LENGTH / 2)

/* windows-1252 0x80..0x9F; the rest of the charset is Latin-1. The five
 * unassigned bytes map to the C1 controls of the same value, as WHATWG's
 * encoding standard does. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* Auxiliary methods */

/* Counts well-formed multi-byte sequences and bytes that are not UTF-8.
 * NUL bytes count as text here: bodies with NULs are still UTF-8 text. */
static void
scan_utf8 (const guchar *data,
           gsize         length,
           gsize        *n_multibyte,
           gsize        *n_invalid)
{
  const guchar *p = data;
  const guchar *end = data + length;

  *n_multibyte = 0;
  *n_invalid = 0;

  while (p < end)
    {
      guchar c = *p;
      gunichar cp;
      guint need;
      guint i;

      if (c < 0x80)
        {
          p++;
          continue;
        }

      if (c >= 0xC2 && c <= 0xDF)
        {
          need = 1;
          cp = c & 0x1F;
        }
      else if (c >= 0xE0 && c <= 0xEF)
        {
          need = 2;
          cp = c & 0x0F;
        }
      else if (c >= 0xF0 && c <= 0xF4)
        {
          need = 3;
          cp = c & 0x07;
        }
      else
        {
          (*n_invalid)++;
          p++;
          continue;
        }

      if ((gsize) (end - p) <= need)
        {
          (*n_invalid)++;
          p++;
          continue;
        }

      for (i = 1; i <= need; i++)
        {
          if ((p[i] & 0xC0) != 0x80)
            break;
          cp = (cp << 6) | (p[i] & 0x3F);
        }

      /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
      if (i <= need ||
          (need == 2 && cp < 0x800) ||
          (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
          (cp >= 0xD800 && cp <= 0xDFFF))
        {
          (*n_invalid)++;
          p++;
          continue;
        }

      (*n_multibyte)++;
      p += need + 1;
    }
}

static gboolean
charset_is_utf8 (const char *charset)
{
  return g_ascii_strcasecmp (charset, "utf-8") == 0 ||
         g_ascii_strcasecmp (charset, "utf8") == 0;
}

/* Labels that mean "Western single byte": browsers read them all as
 * windows-1252, and so do we, since mail labelled latin1 or ascii is very
 * often windows-1252 (curly quotes, the euro sign). */
static gboolean
charset_is_western (const char *charset)
{
  static const char * const names[] = {
    "us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "iso8859-1",
    "iso_8859-1", "latin1", "l1", "windows-1252", "cp1252", "x-cp1252",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (charset, names[i]) == 0)
      return TRUE;

  return FALSE;
}

/* Pure ASCII bytes only mean ASCII when the charset is ASCII-compatible;
 * these are the ones that are not (stateful or wide encodings). */
static gboolean
charset_is_ascii_compatible (const char *charset)
{
  static const char * const prefixes[] = {
    "iso-2022", "iso2022", "utf-7", "utf7", "utf-16", "utf16", "utf-32",
    "utf32", "ucs", "unicode", "hz", "csiso2022",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (charset, prefixes[i], strlen (prefixes[i])) == 0)
      return FALSE;

  return TRUE;
}

/* Converts with iconv, replacing every byte the charset rejects with
 * U+FFFD and carrying on: one bad byte must not lose the rest of a body.
 * Returns FALSE, leaving @out alone, when iconv does not know @charset. */
static gboolean
append_with_iconv (GString    *out,
                   const char *charset,
                   const char *data,
                   gsize       length)
{
  char buffer[4096];
  iconv_t cd;
  char *inbuf = (char *) data;
  gsize inleft = length;

  cd = g_mime_iconv_open ("UTF-8", charset);
  if (cd == (iconv_t) -1)
    return FALSE;

  while (inleft > 0)
    {
      char *outbuf = buffer;
      gsize outleft = sizeof buffer;
      gsize ret;
      int saved_errno;

      ret = iconv (cd, &inbuf, &inleft, &outbuf, &outleft);
      saved_errno = errno;
      g_string_append_len (out, buffer, outbuf - buffer);

      if (ret != (gsize) -1)
        continue;
      if (saved_errno == E2BIG)
        continue;
      if (saved_errno == EILSEQ)
        {
          g_string_append (out, REPLACEMENT);
          inbuf++;
          inleft--;
          continue;
        }
      /* EINVAL: an incomplete sequence at the very end. */
      g_string_append (out, REPLACEMENT);
      break;
    }

  /* Returns a stateful decoder to its initial state; for UTF-8 output this
   * writes nothing, but it must not be skipped before the handle is reused. */
  {
    char *outbuf = buffer;
    gsize outleft = sizeof buffer;

    iconv (cd, NULL, NULL, &outbuf, &outleft);
    g_string_append_len (out, buffer, outbuf - buffer);
  }
  g_mime_iconv_close (cd);

  return TRUE;
}

static char *
finish (GString *out,
        gsize   *out_length)
{
  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

static gboolean
is_quoted_line (const char *line,
                gsize       length)
{
  gsize i = 0;

  while (i < length && (line[i] == ' ' || line[i] == '\t'))
    i++;

  return i < length && line[i] == '>';
}

static gboolean
is_blank_line (const char *line,
               gsize       length)
{
  gsize i;

  for (i = 0; i < length; i++)
    if (!g_ascii_isspace (line[i]))
      return FALSE;

  return TRUE;
}

/* Where the author's own words end: the "-- " signature separator (whose
 * trailing space some editors strip), or the banner of a top-posted
 * Outlook reply. */
static gboolean
is_end_of_own_text (const char *line,
                    gsize       length)
{
  gsize i;

  if (length > 0 && line[length - 1] == '\r')
    length--;

  if ((length == 3 && memcmp (line, "-- ", 3) == 0) ||
      (length == 2 && memcmp (line, "--", 2) == 0))
    return TRUE;

  if ((length >= 26 && g_ascii_strncasecmp (line, "-----Original Message-----", 26) == 0) ||
      (length >= 28 && g_ascii_strncasecmp (line, "----- Original Message -----", 28) == 0))
    return TRUE;

  if (length >= 20)
    {
      for (i = 0; i < length; i++)
        if (line[i] != '_')
          return FALSE;
      return TRUE;
    }

  return FALSE;
}

static const char *
line_end (const char *line)
{
  const char *eol = strchr (line, '\n');

  return eol != NULL ? eol : line + strlen (line);
}

/* "On Monday, Ann wrote:" and its translations: a line ending in a colon
 * right before a quote belongs to the quote. */
static gboolean
is_attribution (const char *line,
                gsize       length)
{
  const char *next;
  guint lines;

  while (length > 0 && g_ascii_isspace (line[length - 1]))
    length--;
  if (length == 0 || line[length - 1] != ':')
    return FALSE;

  next = line_end (line);
  for (lines = 0; *next != '\0' && lines < 3; lines++)
    {
      const char *eol;

      next++;
      eol = line_end (next);
      if (is_quoted_line (next, eol - next))
        return TRUE;
      if (!is_blank_line (next, eol - next))
        return FALSE;
      next = eol;
    }

  return FALSE;
}

/* Appends @line with runs of white space (and control characters) turned
 * into single spaces. Stops once the snippet has one character more than
 * it may keep, which is how the caller knows there was more. */
static void
append_collapsed (GString    *out,
                  const char *line,
                  gsize       length,
                  gsize      *n_chars,
                  gboolean   *pending_space)
{
  const char *p = line;
  const char *end = line + length;

  while (p < end && *n_chars <= RP_MESSAGE_SNIPPET_LENGTH)
    {
      const char *next = g_utf8_find_next_char (p, end);
      gunichar c = g_utf8_get_char (p);

      if (next == NULL)
        next = end;

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c) || c == 0xA0 || c == 0xFEFF)
        {
          *pending_space = TRUE;
        }
      else
        {
          if (*pending_space && out->len > 0)
            {
              g_string_append_c (out, ' ');
              (*n_chars)++;
            }
          *pending_space = FALSE;
          if (*n_chars <= RP_MESSAGE_SNIPPET_LENGTH)
            {
              g_string_append_len (out, p, next - p);
              (*n_chars)++;
            }
        }
      p = next;
    }
}

static char *
build_snippet (const char *text,
               gboolean    own_words_only)
{
  GString *out = g_string_new (NULL);
  const char *line = text;
  gsize n_chars = 0;
  gboolean pending_space = FALSE;
  const char *cut;
  const char *last_space = NULL;
  gsize i;

  while (*line != '\0' && n_chars <= RP_MESSAGE_SNIPPET_LENGTH)
    {
      const char *eol = line_end (line);
      gsize length = eol - line;

      if (own_words_only)
        {
          if (is_end_of_own_text (line, length))
            break;
          if (is_quoted_line (line, length) || is_attribution (line, length))
            {
              line = *eol != '\0' ? eol + 1 : eol;
              continue;
            }
        }

      append_collapsed (out, line, length, &n_chars, &pending_space);
      pending_space = TRUE;
      line = *eol != '\0' ? eol + 1 : eol;
    }

  if (n_chars <= RP_MESSAGE_SNIPPET_LENGTH)
    return g_string_free (out, FALSE);

  /* Too long: keep RP_MESSAGE_SNIPPET_LENGTH characters, at a word boundary
   * when there is one in the second half. */
  cut = out->str;
  for (i = 0; i < RP_MESSAGE_SNIPPET_LENGTH; i++)
    {
      if (*cut == ' ' && i >= SNIPPET_MIN_WORD_CUT)
        last_space = cut;
      cut = g_utf8_next_char (cut);
    }
  if (*cut != ' ' && last_space != NULL)
    cut = last_space;

  g_string_truncate (out, cut - out->str);
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *start;    /* at "=?" */
  const char *end;      /* after "?=" */
  const char *charset;
  gsize       charset_length;
  const char *payload;
  gsize       payload_length;
  char        encoding; /* 'B' or 'Q', upper case */
} EncodedWord;

/* Recognises "=?charset?B?payload?=" (or ?Q?) at @p, without decoding. */
static gboolean
parse_encoded_word (const char  *p,
                    EncodedWord *word)
{
  const char *q;

  if (p[0] != '=' || p[1] != '?')
    return FALSE;

  word->start = p;
  word->charset = p + 2;
  for (q = word->charset; *q != '\0' && *q != '?' && !g_ascii_isspace (*q); q++)
    ;
  word->charset_length = q - word->charset;
  if (*q != '?' || word->charset_length == 0 || word->charset_length > 64)
    return FALSE;

  word->encoding = g_ascii_toupper (q[1]);
  if ((word->encoding != 'B' && word->encoding != 'Q') || q[2] != '?')
    return FALSE;

  word->payload = q + 3;
  for (q = word->payload; *q != '\0' && *q != '?' && !g_ascii_isspace (*q); q++)
    ;
  if (q[0] != '?' || q[1] != '=')
    return FALSE;
  word->payload_length = q - word->payload;
  word->end = q + 2;

  return TRUE;
}

static gboolean
same_charset (const EncodedWord *a,
              const EncodedWord *b)
{
  return a->charset_length == b->charset_length &&
         g_ascii_strncasecmp (a->charset, b->charset, a->charset_length) == 0;
}

static void
append_merged_words (GString     *out,
                     const GArray *run)
{
  const EncodedWord *first = &g_array_index (run, EncodedWord, 0);
  GByteArray *bytes = g_byte_array_new ();
  g_autofree char *encoded = NULL;

  for (guint i = 0; i < run->len; i++)
    {
      const EncodedWord *word = &g_array_index (run, EncodedWord, i);
      g_autofree char *payload = g_strndup (word->payload, word->payload_length);
      g_autofree guchar *decoded = NULL;
      gsize length = 0;

      /* Each word's base64 is complete on its own (RFC 2047 section 5). */
      decoded = g_base64_decode (payload, &length);
      g_byte_array_append (bytes, decoded, length);
    }

  encoded = g_base64_encode (bytes->data, bytes->len);
  g_string_append (out, "=?");
  g_string_append_len (out, first->charset, first->charset_length);
  g_string_append (out, "?B?");
  g_string_append (out, encoded);
  g_string_append (out, "?=");
  g_byte_array_unref (bytes);
}

static gboolean
has_c1_controls (const char *str)
{
  for (const char *p = str; (p = strchr (p, '\xC2')) != NULL; p++)
    if ((guchar) p[1] >= 0x80 && (guchar) p[1] < 0xA0)
      return TRUE;

  return FALSE;
}

/* Internal API */

/* Control characters (tabs left by folding, stray escapes) have no place
 * in a one-line field. C1 controls come from windows-1252 text labelled
 * iso-8859-1, like Outlook's en dash in "=?iso-8859-1?Q?=96?=": they are
 * read as windows-1252, as browsers do. Takes @str (valid UTF-8) and
 * returns the cleaned string, which may be a new one. */
char *
_rp_message_clean_line (char *str)
{
  if (str == NULL)
    return NULL;

  if (has_c1_controls (str))
    {
      GString *out = g_string_sized_new (strlen (str) + 16);

      for (const char *p = str; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (c >= 0x80 && c < 0xA0)
            c = _rp_message_cp1252_to_unichar ((guchar) c);
          /* The five bytes windows-1252 leaves unassigned stay controls. */
          g_string_append_unichar (out, c >= 0x80 && c < 0xA0 ? ' ' : c);
        }
      g_free (str);
      str = g_string_free (out, FALSE);
    }

  for (char *p = str; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7F)
      *p = ' ';

  return g_strstrip (str);
}

char *
_rp_message_dup_nonempty (const char *str)
{
  if (str == NULL || *str == '\0')
    return NULL;
  return _rp_message_ensure_utf8 (g_strdup (str));
}

/*
 * _rp_message_append_cp1252:
 *
 * Decodes windows-1252 without iconv: every byte has a meaning, so this
 * never fails, and it is the last resort for 8-bit text of unknown origin.
 */
void
_rp_message_append_cp1252 (GString    *out,
                           const char *data,
                           gsize       length)
{
  gsize i;

  for (i = 0; i < length; i++)
    {
      guchar c = (guchar) data[i];

      if (c < 0x80)
        g_string_append_c (out, (char) c);
      else
        g_string_append_unichar (out, _rp_message_cp1252_to_unichar (c));
    }
}

gunichar
_rp_message_cp1252_to_unichar (guchar byte)
{
  if (byte >= 0x80 && byte < 0xA0)
    return cp1252_high[byte - 0x80];
  return byte;
}

char *
_rp_message_text_to_utf8 (const char *data,
                          gsize       length,
                          const char *charset,
                          const char *fallback_charset,
                          gsize      *out_length)
{
  GString *out;
  gsize n_multibyte;
  gsize n_invalid;

  g_assert (data != NULL || length == 0);

  if (charset != NULL && *charset == '\0')
    charset = NULL;
  if (fallback_charset != NULL && *fallback_charset == '\0')
    fallback_charset = NULL;

  out = g_string_sized_new (length + 1);
  scan_utf8 ((const guchar *) data, length, &n_multibyte, &n_invalid);

  /* Well-formed multi-byte UTF-8 almost never happens by accident in
   * another charset, whereas UTF-8 mislabelled as latin1 (or not labelled)
   * is common: believe the bytes over the label. */
  if (n_invalid == 0 &&
      (n_multibyte > 0 || charset == NULL || charset_is_ascii_compatible (charset)))
    {
      g_string_append_len (out, data, length);
      return finish (out, out_length);
    }

  if (charset != NULL && !charset_is_utf8 (charset))
    {
      if (charset_is_western (charset))
        {
          _rp_message_append_cp1252 (out, data, length);
          return finish (out, out_length);
        }
      if (append_with_iconv (out, charset, data, length))
        return finish (out, out_length);
      /* An unknown charset is as good as no label at all. */
    }

  /* Unlabelled, labelled UTF-8 or labelled with a name iconv does not know,
   * and not valid UTF-8. Mostly-UTF-8 text with a few broken bytes stays
   * UTF-8; otherwise it is 8-bit text in the fallback or windows-1252. */
  if (n_multibyte > n_invalid)
    {
      g_autofree char *valid = g_utf8_make_valid (data, length);

      g_string_append (out, valid);
      return finish (out, out_length);
    }

  if (fallback_charset != NULL &&
      !charset_is_utf8 (fallback_charset) &&
      !charset_is_western (fallback_charset) &&
      charset_is_ascii_compatible (fallback_charset) &&
      append_with_iconv (out, fallback_charset, data, length))
    return finish (out, out_length);

  _rp_message_append_cp1252 (out, data, length);
  return finish (out, out_length);
}

gsize
_rp_message_normalize_newlines (char  *text,
                                gsize  length)
{
  gsize in;
  gsize out = 0;

  for (in = 0; in < length; in++)
    {
      char c = text[in];

      if (c == '\0')
        continue;
      if (c == '\r')
        {
          if (in + 1 < length && text[in + 1] == '\n')
            continue;
          c = '\n';
        }
      text[out++] = c;
    }

  if (out < length)
    text[out] = '\0';

  return out;
}

char *
_rp_message_ensure_utf8 (char *str)
{
  char *valid;

  if (str == NULL || g_utf8_validate (str, -1, NULL))
    return str;

  valid = g_utf8_make_valid (str, -1);
  g_free (str);

  return valid;
}

/*
 * _rp_message_make_snippet:
 * @text: a plain text body, UTF-8 with LF line endings
 *
 * The author's own words on one line: quoted lines, the attribution before
 * a quote and everything from the signature separator on are left out,
 * unless nothing else is left. White space collapses to single spaces and
 * a long text is cut at a word boundary with "…".
 *
 * Returns: (transfer full): the snippet, possibly ""
 */
char *
_rp_message_make_snippet (const char *text)
{
  char *snippet;

  g_assert (text != NULL);

  snippet = build_snippet (text, TRUE);
  if (*snippet == '\0')
    {
      g_free (snippet);
      snippet = build_snippet (text, FALSE);
    }

  return snippet;
}

/*
 * _rp_message_merge_encoded_words:
 * @text: an unfolded header value
 *
 * GMime 3.2.13 (Debian 12) joins the base64 of adjacent encoded words of
 * one charset before decoding, so padding in the middle turns into NUL
 * bytes and the text ends there: "=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?="
 * decodes to "Hello" (https://github.com/jstedfast/gmime/issues/133, fixed
 * in 3.2.14). Thunderbird writes such headers for every long subject.
 * This joins those runs into one encoded word first, which decodes the same
 * with a fixed GMime and keeps characters split between words whole.
 *
 * Returns: (transfer full) (nullable): the rewritten text, or %NULL when
 *   @text has nothing to merge
 */
char *
_rp_message_merge_encoded_words (const char *text)
{
  g_autoptr(GArray) run = g_array_new (FALSE, FALSE, sizeof (EncodedWord));
  GString *out = NULL;
  const char *copied = text;
  const char *p = text;

  g_assert (text != NULL);

  while ((p = strstr (p, "=?")) != NULL)
    {
      EncodedWord word;
      gboolean padded_inside = FALSE;
      const char *run_end;

      if (!parse_encoded_word (p, &word) || word.encoding != 'B')
        {
          p += 2;
          continue;
        }

      g_array_set_size (run, 0);
      g_array_append_val (run, word);
      run_end = word.end;
      for (;;)
        {
          const char *next = run_end;
          EncodedWord following;

          while (*next == ' ' || *next == '\t' || *next == '\r' || *next == '\n')
            next++;
          if (!parse_encoded_word (next, &following) || following.encoding != 'B' ||
              !same_charset (&word, &following))
            break;
          if (word.payload_length > 0 && word.payload[word.payload_length - 1] == '=')
            padded_inside = TRUE;
          g_array_append_val (run, following);
          word = following;
          run_end = following.end;
        }

      if (padded_inside)
        {
          if (out == NULL)
            out = g_string_new (NULL);
          g_string_append_len (out, copied, p - copied);
          append_merged_words (out, run);
          copied = run_end;
        }
      p = run_end;
    }

  if (out == NULL)
    return NULL;

  g_string_append (out, copied);
  return g_string_free (out, FALSE);
}
