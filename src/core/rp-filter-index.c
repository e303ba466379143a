/* rp-filter-index.c
 *
 * Which rule values occur in a message's field, found in one pass over
 * the field's case-folded text. Most of 200 rules test one field of a
 * message against a value that is not there ("From contains
 * person17@example.com"); each such test would be a strstr() of its own.
 * The index files every value of a text condition (contains, does not
 * contain, is, begins with, ends with) under a hash of its first three
 * bytes, then walks the field's text once, looking up each position's
 * three bytes in a bitmap and comparing only the values filed there.
 *
 * A value that does not occur in the field's whole text decides its
 * condition at once: "contains" is false, "does not contain" true, and
 * "is", "begins with" and "ends with" are false, since every single
 * address and name a rule compares is part of that text. Only a value that
 * does occur is then tested in full, as without the index.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-filter"

#include "config.h"

#include <string.h>

#include "rp-filter-private.h"

#define N_BUCKETS 4096

typedef struct
{
  const char *value;   /* borrowed from the compiled condition */
  gsize       len;
  guint       slot;
} Needle;

typedef struct
{
  GArray  *needles;                 /* Needle, by bucket once finished */
  GArray  *short_needles;           /* Needle, under three bytes */
  guint32 *bucket_start;            /* N_BUCKETS + 1 offsets into needles */
  guint64  bitmap[N_BUCKETS / 64];  /* buckets with a needle */
} FieldIndex;

struct _RpFilterIndex
{
  FieldIndex *fields[RP_FILTER_FIELD_LAST + 1];
  guint       n_slots;
};

/* Auxiliary methods */

static inline guint
bucket_of (const char *p)
{
  return (((guint) (guchar) p[0] * 31u + (guchar) p[1]) * 31u + (guchar) p[2]) & (N_BUCKETS - 1);
}

static int
needle_compare (gconstpointer a,
                gconstpointer b)
{
  guint ba = bucket_of (((const Needle *) a)->value);
  guint bb = bucket_of (((const Needle *) b)->value);

  return ba < bb ? -1 : ba > bb;
}

static void
field_index_free (FieldIndex *fi)
{
  g_array_unref (fi->needles);
  g_array_unref (fi->short_needles);
  g_free (fi->bucket_start);
  g_free (fi);
}

/* Internal API */

RpFilterIndex *
_rp_filter_index_new (void)
{
  return g_new0 (RpFilterIndex, 1);
}

void
_rp_filter_index_free (RpFilterIndex *index)
{
  if (index == NULL)
    return;
  for (guint i = 0; i <= RP_FILTER_FIELD_LAST; i++)
    g_clear_pointer (&index->fields[i], field_index_free);
  g_free (index);
}

gboolean
_rp_filter_index_field_is_indexed (RpFilterField field)
{
  return field == RP_FILTER_FIELD_FROM || field == RP_FILTER_FIELD_TO ||
         field == RP_FILTER_FIELD_CC || field == RP_FILTER_FIELD_TO_OR_CC ||
         field == RP_FILTER_FIELD_SUBJECT || field == RP_FILTER_FIELD_BODY ||
         field == RP_FILTER_FIELD_ACCOUNT;
}

int
_rp_filter_index_add (RpFilterIndex *index,
                      RpFilterField  field,
                      const char    *folded_value)
{
  FieldIndex *fi;
  Needle needle;

  g_assert (_rp_filter_index_field_is_indexed (field));
  g_assert (index->fields[field] == NULL || index->fields[field]->bucket_start == NULL);

  fi = index->fields[field];
  if (fi == NULL)
    {
      fi = index->fields[field] = g_new0 (FieldIndex, 1);
      fi->needles = g_array_new (FALSE, FALSE, sizeof (Needle));
      fi->short_needles = g_array_new (FALSE, FALSE, sizeof (Needle));
    }

  needle.value = folded_value;
  needle.len = strlen (folded_value);
  needle.slot = index->n_slots++;
  g_array_append_val (needle.len >= 3 ? fi->needles : fi->short_needles, needle);
  return needle.slot;
}

void
_rp_filter_index_finish (RpFilterIndex *index)
{
  for (guint f = 0; f <= RP_FILTER_FIELD_LAST; f++)
    {
      FieldIndex *fi = index->fields[f];

      if (fi == NULL || fi->bucket_start != NULL)
        continue;

      g_array_sort (fi->needles, needle_compare);
      fi->bucket_start = g_new0 (guint32, N_BUCKETS + 1);
      for (guint i = 0; i < fi->needles->len; i++)
        {
          guint b = bucket_of (g_array_index (fi->needles, Needle, i).value);

          fi->bucket_start[b + 1]++;
          fi->bitmap[b / 64] |= G_GUINT64_CONSTANT (1) << (b % 64);
        }
      for (guint b = 0; b < N_BUCKETS; b++)
        fi->bucket_start[b + 1] += fi->bucket_start[b];
    }
}

guint
_rp_filter_index_get_n_slots (RpFilterIndex *index)
{
  return index->n_slots;
}

void
_rp_filter_index_scan (RpFilterIndex *index,
                       RpFilterField  field,
                       const char    *folded_text,
                       guint8        *found)
{
  FieldIndex *fi = index->fields[field];
  gsize len;

  if (fi == NULL)
    return;
  g_assert (fi->bucket_start != NULL);

  for (guint i = 0; i < fi->short_needles->len; i++)
    {
      const Needle *n = &g_array_index (fi->short_needles, Needle, i);

      if (strstr (folded_text, n->value) != NULL)
        found[n->slot] = TRUE;
    }

  if (fi->needles->len == 0)
    return;

  len = strlen (folded_text);
  for (gsize i = 0; i + 3 <= len; i++)
    {
      const char *p = folded_text + i;
      guint b = bucket_of (p);

      if ((fi->bitmap[b / 64] & (G_GUINT64_CONSTANT (1) << (b % 64))) == 0)
        continue;
      for (guint32 k = fi->bucket_start[b]; k < fi->bucket_start[b + 1]; k++)
        {
          const Needle *n = &g_array_index (fi->needles, Needle, k);

          if (!found[n->slot] && n->len <= len - i && memcmp (p, n->value, n->len) == 0)
            found[n->slot] = TRUE;
        }
    }
}
