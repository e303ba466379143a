/* rp-message-html.c: HTML to plain text for snippets and search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-message"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rp-message-private.h"

/* A single pass over the bytes with no regular expressions and no DOM:
 * search indexes every message, and most HTML mail is machine-made tables
 * in which only the text matters. Nothing here can read past the end, so
 * malformed HTML only gives odd text. */

typedef enum
{
  TAG_OTHER,
  TAG_BREAK,      /* <br>: one line break, and they add up */
  TAG_BLOCK,      /* starts and ends on a line of its own */
  TAG_PARAGRAPH,  /* a block with an empty line before and after */
  TAG_CELL,       /* table cells are separated by a space */
  TAG_PRE,        /* white space inside is kept */
  TAG_HEAD,       /* metadata, never shown */
  TAG_BODY,       /* also ends a <head> that was never closed */
  TAG_RAW,        /* content is not text (script, style) and is dropped */
} TagKind;

typedef struct
{
  const char *name;
  TagKind     kind;
} TagInfo;

/* Sorted by strcmp() for bsearch(). */
static const TagInfo tags[] = {
  { "address", TAG_BLOCK },
  { "article", TAG_BLOCK },
  { "aside", TAG_BLOCK },
  { "blockquote", TAG_BLOCK },
  { "body", TAG_BODY },
  { "br", TAG_BREAK },
  { "caption", TAG_BLOCK },
  { "center", TAG_BLOCK },
  { "dd", TAG_BLOCK },
  { "details", TAG_BLOCK },
  { "div", TAG_BLOCK },
  { "dl", TAG_BLOCK },
  { "dt", TAG_BLOCK },
  { "fieldset", TAG_BLOCK },
  { "figcaption", TAG_BLOCK },
  { "figure", TAG_BLOCK },
  { "footer", TAG_BLOCK },
  { "form", TAG_BLOCK },
  { "h1", TAG_PARAGRAPH },
  { "h2", TAG_PARAGRAPH },
  { "h3", TAG_PARAGRAPH },
  { "h4", TAG_PARAGRAPH },
  { "h5", TAG_PARAGRAPH },
  { "h6", TAG_PARAGRAPH },
  { "head", TAG_HEAD },
  { "header", TAG_BLOCK },
  { "hr", TAG_BLOCK },
  { "iframe", TAG_RAW },
  { "legend", TAG_BLOCK },
  { "li", TAG_BLOCK },
  { "main", TAG_BLOCK },
  { "nav", TAG_BLOCK },
  { "ol", TAG_BLOCK },
  { "p", TAG_PARAGRAPH },
  { "pre", TAG_PRE },
  { "script", TAG_RAW },
  { "section", TAG_BLOCK },
  { "style", TAG_RAW },
  { "summary", TAG_BLOCK },
  { "table", TAG_BLOCK },
  { "td", TAG_CELL },
  { "template", TAG_RAW },
  { "th", TAG_CELL },
  { "title", TAG_RAW },
  { "tr", TAG_BLOCK },
  { "ul", TAG_BLOCK },
  { "xml", TAG_RAW },
};

typedef struct
{
  const char *name;
  gunichar    value;
} Entity;

/* The entities mail actually uses, sorted by strcmp() for bsearch(). */
static const Entity entities[] = {
  { "AElig", 0x00C6 }, { "Aacute", 0x00C1 }, { "Acirc", 0x00C2 }, { "Agrave", 0x00C0 },
  { "Aring", 0x00C5 }, { "Atilde", 0x00C3 }, { "Auml", 0x00C4 }, { "Ccedil", 0x00C7 },
  { "Dagger", 0x2021 }, { "ETH", 0x00D0 }, { "Eacute", 0x00C9 }, { "Ecirc", 0x00CA },
  { "Egrave", 0x00C8 }, { "Euml", 0x00CB }, { "Iacute", 0x00CD }, { "Icirc", 0x00CE },
  { "Igrave", 0x00CC }, { "Iuml", 0x00CF }, { "Ntilde", 0x00D1 }, { "OElig", 0x0152 },
  { "Oacute", 0x00D3 }, { "Ocirc", 0x00D4 }, { "Ograve", 0x00D2 }, { "Oslash", 0x00D8 },
  { "Otilde", 0x00D5 }, { "Ouml", 0x00D6 }, { "Prime", 0x2033 }, { "Scaron", 0x0160 },
  { "THORN", 0x00DE }, { "Uacute", 0x00DA }, { "Ucirc", 0x00DB }, { "Ugrave", 0x00D9 },
  { "Uuml", 0x00DC }, { "Yacute", 0x00DD }, { "Yuml", 0x0178 }, { "aacute", 0x00E1 },
  { "acirc", 0x00E2 }, { "acute", 0x00B4 }, { "aelig", 0x00E6 }, { "agrave", 0x00E0 },
  { "amp", 0x0026 }, { "apos", 0x0027 }, { "aring", 0x00E5 }, { "asymp", 0x2248 },
  { "atilde", 0x00E3 }, { "auml", 0x00E4 }, { "bdquo", 0x201E }, { "brvbar", 0x00A6 },
  { "bull", 0x2022 }, { "ccedil", 0x00E7 }, { "cedil", 0x00B8 }, { "cent", 0x00A2 },
  { "check", 0x2713 }, { "circ", 0x02C6 }, { "copy", 0x00A9 }, { "curren", 0x00A4 },
  { "dagger", 0x2020 }, { "darr", 0x2193 }, { "deg", 0x00B0 }, { "divide", 0x00F7 },
  { "eacute", 0x00E9 }, { "ecirc", 0x00EA }, { "egrave", 0x00E8 }, { "emsp", 0x2003 },
  { "ensp", 0x2002 }, { "eth", 0x00F0 }, { "euml", 0x00EB }, { "euro", 0x20AC },
  { "fnof", 0x0192 }, { "frac12", 0x00BD }, { "frac14", 0x00BC }, { "frac34", 0x00BE },
  { "ge", 0x2265 }, { "gt", 0x003E }, { "harr", 0x2194 }, { "hearts", 0x2665 },
  { "hellip", 0x2026 }, { "iacute", 0x00ED }, { "icirc", 0x00EE }, { "iexcl", 0x00A1 },
  { "igrave", 0x00EC }, { "infin", 0x221E }, { "iquest", 0x00BF }, { "iuml", 0x00EF },
  { "laquo", 0x00AB }, { "larr", 0x2190 }, { "ldquo", 0x201C }, { "le", 0x2264 },
  { "lrm", 0x200E }, { "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", 0x003C },
  { "macr", 0x00AF }, { "mdash", 0x2014 }, { "micro", 0x00B5 }, { "middot", 0x00B7 },
  { "minus", 0x2212 }, { "nbsp", 0x00A0 }, { "ndash", 0x2013 }, { "ne", 0x2260 },
  { "not", 0x00AC }, { "ntilde", 0x00F1 }, { "oacute", 0x00F3 }, { "ocirc", 0x00F4 },
  { "oelig", 0x0153 }, { "ograve", 0x00F2 }, { "ordf", 0x00AA }, { "ordm", 0x00BA },
  { "oslash", 0x00F8 }, { "otilde", 0x00F5 }, { "ouml", 0x00F6 }, { "para", 0x00B6 },
  { "permil", 0x2030 }, { "plusmn", 0x00B1 }, { "pound", 0x00A3 }, { "prime", 0x2032 },
  { "quot", 0x0022 }, { "raquo", 0x00BB }, { "rarr", 0x2192 }, { "rdquo", 0x201D },
  { "reg", 0x00AE }, { "rlm", 0x200F }, { "rsaquo", 0x203A }, { "rsquo", 0x2019 },
  { "sbquo", 0x201A }, { "scaron", 0x0161 }, { "sect", 0x00A7 }, { "shy", 0x00AD },
  { "sup1", 0x00B9 }, { "sup2", 0x00B2 }, { "sup3", 0x00B3 }, { "szlig", 0x00DF },
  { "thinsp", 0x2009 }, { "thorn", 0x00FE }, { "tilde", 0x02DC }, { "times", 0x00D7 },
  { "trade", 0x2122 }, { "uacute", 0x00FA }, { "uarr", 0x2191 }, { "ucirc", 0x00FB },
  { "ugrave", 0x00F9 }, { "uml", 0x00A8 }, { "uuml", 0x00FC }, { "yacute", 0x00FD },
  { "yen", 0x00A5 }, { "yuml", 0x00FF }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};

/* The longest tag or entity name we look up; longer ones are unknown. */
#define MAX_NAME 16

typedef struct
{
  GString  *out;
  gboolean  space;    /* white space seen since the last text was written */
  guint     breaks;   /* line breaks owed before the next text, at most 2 */
  guint     pre;      /* nesting depth of <pre> */
  gboolean  in_head;  /* inside <head>, whose text is never shown */
} Html;

/* Auxiliary methods */

static int
compare_name (const void *key,
              const void *element)
{
  /* Both tables start with the name, so one comparison serves both. */
  return strcmp (key, *(const char * const *) element);
}

static TagKind
lookup_tag (const char *name)
{
  const TagInfo *info = bsearch (name, tags, G_N_ELEMENTS (tags), sizeof tags[0], compare_name);

  return info != NULL ? info->kind : TAG_OTHER;
}

/* Characters that only shape the layout of the HTML (soft hyphens, joiners,
 * direction marks, the byte order mark). Newsletters pad their preview
 * text with hundreds of them. */
static gboolean
is_invisible (gunichar c)
{
  return c == 0x00AD || c == 0x034F || (c >= 0x200B && c <= 0x200F) ||
         c == 0x2060 || c == 0xFEFF;
}

static gboolean
is_html_space (gunichar c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         c == 0x00A0 || c == 0x2002 || c == 0x2003 || c == 0x2009;
}

static void
flush_pending (Html *h)
{
  if (h->out->len > 0)
    {
      if (h->breaks > 0)
        g_string_append_len (h->out, "\n\n", MIN (h->breaks, 2));
      else if (h->space)
        g_string_append_c (h->out, ' ');
    }
  h->space = FALSE;
  h->breaks = 0;
}

static void
want_breaks (Html  *h,
             guint  n)
{
  if (!h->in_head)
    h->breaks = MAX (h->breaks, n);
}

static void
emit_text (Html       *h,
           const char *text,
           gsize       length)
{
  if (h->in_head)
    return;
  flush_pending (h);
  g_string_append_len (h->out, text, length);
}

static void
emit_unichar (Html     *h,
              gunichar  c)
{
  if (h->in_head || is_invisible (c))
    return;

  if (is_html_space (c) || c < 0x20 || c == 0x7F)
    {
      if (h->pre == 0)
        {
          h->space = TRUE;
          return;
        }
      if (h->out->len == 0)
        return;
      flush_pending (h);
      g_string_append_c (h->out, c == '\n' ? '\n' : ' ');
      return;
    }

  flush_pending (h);
  g_string_append_unichar (h->out, c);
}

/* Text between markup: runs of printable ASCII are copied as they are,
 * everything else goes through emit_unichar(). */
static void
emit_run (Html       *h,
          const char *p,
          const char *end)
{
  while (p < end)
    {
      const char *q = p;
      gunichar c;

      while (q < end && (guchar) *q > 0x20 && (guchar) *q < 0x7F)
        q++;
      if (q > p)
        {
          emit_text (h, p, q - p);
          p = q;
          continue;
        }

      if ((guchar) *p < 0x80)
        {
          if (*p != '\0')
            emit_unichar (h, (guchar) *p);
          p++;
          continue;
        }

      c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* Not UTF-8: keep the byte, the final check repairs it. */
          emit_text (h, p, 1);
          p++;
          continue;
        }
      emit_unichar (h, c);
      p = g_utf8_next_char (p);
    }
}

static gunichar
numeric_reference (guint32 value)
{
  /* The HTML standard reads 0x80..0x9F as windows-1252, as browsers do. */
  if (value >= 0x80 && value < 0xA0)
    return _rp_message_cp1252_to_unichar ((guchar) value);
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
    return 0xFFFD;
  return value;
}

/* @p is at '&'. Returns where the text continues. */
static const char *
parse_entity (Html       *h,
              const char *p,
              const char *end)
{
  const char *q = p + 1;
  char name[MAX_NAME + 1];
  const Entity *entity;
  gsize length;

  if (q < end && *q == '#')
    {
      gboolean hex;
      guint32 value = 0;
      const char *digits;

      q++;
      hex = q < end && (*q == 'x' || *q == 'X');
      if (hex)
        q++;
      digits = q;
      while (q < end && (hex ? g_ascii_isxdigit (*q) : g_ascii_isdigit (*q)))
        {
          guint digit = hex ? (guint) g_ascii_xdigit_value (*q) : (guint) (*q - '0');

          /* Saturates instead of overflowing: anything this big is invalid. */
          value = MIN (value * (hex ? 16 : 10) + digit, 0x110000);
          q++;
        }
      if (q == digits)
        {
          emit_text (h, "&", 1);
          return p + 1;
        }
      if (q < end && *q == ';')
        q++;
      emit_unichar (h, numeric_reference (value));
      return q;
    }

  while (q < end && g_ascii_isalnum (*q) && (gsize) (q - p - 1) < MAX_NAME)
    q++;
  length = q - p - 1;
  if (length > 0 && length < MAX_NAME)
    {
      memcpy (name, p + 1, length);
      name[length] = '\0';
      entity = bsearch (name, entities, G_N_ELEMENTS (entities), sizeof entities[0],
                        compare_name);
      if (entity != NULL)
        {
          if (q < end && *q == ';')
            q++;
          emit_unichar (h, entity->value);
          return q;
        }
    }

  /* A bare ampersand ("Tom & Jerry") or an entity we do not know. */
  emit_text (h, "&", 1);
  return p + 1;
}

/* Skips the attributes of a tag. Quoted values may contain '>'; when a
 * quote never closes, the tag ends at its first '>' instead. */
static const char *
skip_attributes (const char *p,
                 const char *end)
{
  const char *start = p;

  while (p < end && *p != '>')
    {
      if (*p == '=')
        {
          p++;
          while (p < end && g_ascii_isspace (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              const char *close = memchr (p + 1, *p, end - p - 1);

              if (close == NULL)
                {
                  const char *gt = memchr (start, '>', end - start);

                  return gt != NULL ? gt + 1 : end;
                }
              p = close + 1;
              continue;
            }
          continue;
        }
      p++;
    }

  return p < end ? p + 1 : end;
}

/* Finds the end of "</name ...>" for raw text elements such as <script>. */
static const char *
skip_raw_text (const char *p,
               const char *end,
               const char *name)
{
  gsize length = strlen (name);

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);

      if (lt == NULL)
        return end;
      if ((gsize) (end - lt) > length + 1 && lt[1] == '/' &&
          g_ascii_strncasecmp (lt + 2, name, length) == 0 &&
          (lt + 2 + length == end || !g_ascii_isalnum (lt[2 + length])))
        return skip_attributes (lt + 2 + length, end);
      p = lt + 1;
    }

  return end;
}

/* @p is at '<'. Returns where the text continues. */
static const char *
parse_markup (Html       *h,
              const char *p,
              const char *end)
{
  char name[MAX_NAME + 1];
  const char *q;
  gboolean closing;
  gsize length = 0;
  TagKind kind;

  if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
    {
      q = memmem (p + 4, end - p - 4, "-->", 3);
      return q != NULL ? q + 3 : end;
    }

  if (end - p >= 9 && memcmp (p, "<![CDATA[", 9) == 0)
    {
      q = memmem (p + 9, end - p - 9, "]]>", 3);
      emit_run (h, p + 9, q != NULL ? q : end);
      return q != NULL ? q + 3 : end;
    }

  if (end - p >= 2 && (p[1] == '!' || p[1] == '?'))
    {
      q = memchr (p, '>', end - p);
      return q != NULL ? q + 1 : end;
    }

  closing = end - p >= 2 && p[1] == '/';
  q = p + 1 + closing;
  if (q >= end || !g_ascii_isalpha (*q))
    {
      /* "a < b" is text. */
      emit_text (h, "<", 1);
      return p + 1;
    }

  while (q < end && (g_ascii_isalnum (*q) || *q == '-' || *q == ':'))
    {
      if (length < MAX_NAME)
        name[length] = g_ascii_tolower (*q);
      length++;
      q++;
    }
  name[MIN (length, MAX_NAME)] = '\0';
  kind = length <= MAX_NAME ? lookup_tag (name) : TAG_OTHER;
  q = skip_attributes (q, end);

  switch (kind)
    {
    case TAG_BREAK:
      if (!h->in_head)
        h->breaks = MIN (h->breaks + 1, 2);
      break;

    case TAG_BLOCK:
      want_breaks (h, 1);
      break;

    case TAG_PARAGRAPH:
      want_breaks (h, 2);
      break;

    case TAG_CELL:
      if (!closing && !h->in_head)
        h->space = TRUE;
      break;

    case TAG_PRE:
      if (closing)
        h->pre = h->pre > 0 ? h->pre - 1 : 0;
      else
        h->pre++;
      want_breaks (h, 1);
      break;

    case TAG_HEAD:
      h->in_head = !closing;
      break;

    case TAG_BODY:
      h->in_head = FALSE;
      break;

    case TAG_RAW:
      if (!closing)
        return skip_raw_text (q, end, name);
      break;

    case TAG_OTHER:
    default:
      break;
    }

  return q;
}

/* Public API */

/**
 * rp_html_to_text:
 * @html: HTML, UTF-8 (other bytes are repaired)
 * @length: the length of @html in bytes, or -1 if it is nul-terminated
 *
 * Converts HTML to plain text for snippets and search: tags are dropped,
 * the contents of `<head>`, `<script>`, `<style>` and comments too; blocks,
 * paragraphs, list items and `<br>` become line breaks (at most one empty
 * line in a row); entities are decoded; runs of white space become one
 * space. Never fails, whatever the input.
 *
 * Returns: (transfer full): the text, valid UTF-8
 */
char *
rp_html_to_text (const char *html,
                 gssize      length)
{
  Html h = { 0 };
  const char *p;
  const char *end;

  g_return_val_if_fail (html != NULL || length == 0, NULL);

  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (html);

  p = html;
  end = html + length;
  h.out = g_string_sized_new (length / 4 + 16);

  while (p < end)
    {
      const char *q = p;

      while (q < end && *q != '<' && *q != '&')
        q++;
      emit_run (&h, p, q);
      if (q == end)
        break;
      p = *q == '<' ? parse_markup (&h, q, end) : parse_entity (&h, q, end);
    }

  return _rp_message_ensure_utf8 (g_string_free (h.out, FALSE));
}
