/* rp-crm-private.h: what the CRM's files share, and the store's hook
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rp-crm.h"
#include "rp-store-private.h"

G_BEGIN_DECLS

/* Called by the store inside the transaction that adds messages, on the
 * writer's connection: links every new (non-duplicate) message to the
 * records whose addresses it carries in From, To or Cc, and counts its
 * addresses for completion. One indexed statement per message. Sets
 * @linked when a message was linked to a record (the store then queues
 * "crm-changed" after its commit). */
gboolean     _rp_crm_on_messages_added  (RpStoreConn        *conn,
                                         RpStoreNewMessage  *messages,
                                         guint               n,
                                         gboolean           *linked,
                                         GError            **error);
/* Called by rp_store_copy_messages() inside its transaction once the copy
 * @copy_id of @source_id and its addresses are in: the copy gets the
 * links of the original (those made by hand too) and those its addresses
 * make. A copy is not a new use of its addresses. Sets @linked as above. */
gboolean     _rp_crm_on_message_copied  (RpStoreConn        *conn,
                                         gint64              source_id,
                                         gint64              copy_id,
                                         gboolean           *linked,
                                         GError            **error);

/* Fills address_word for the mail stored before schema version 4; runs
 * inside the migration's transaction. */
gboolean     _rp_crm_post_upgrade       (sqlite3            *db,
                                         GError            **error);
/* The completion words of a name (or company) and an address: casefolded
 * tokens with their ASCII forms, and the whole casefolded address; each
 * once. Either may be NULL. */
GPtrArray   *_rp_crm_words              (const char         *name,
                                         const char         *address) G_GNUC_WARN_UNUSED_RESULT;
/* " word1 word2 …": @words as one string, each after a space, the form of
 * crm_record.words and address_use.words (prefix test: instr() of " " and
 * the prefix). */
char        *_rp_crm_words_string       (GPtrArray          *words) G_GNUC_WARN_UNUSED_RESULT;
/* Before a record's addresses are rewritten or the record deleted: its
 * addresses go back to being collected ones in address_use (or leave it
 * when no mail ever carried them). _rp_crm_index_record() claims the
 * record's addresses again. */
gboolean     _rp_crm_release_addresses  (RpStoreConn        *conn,
                                         gint64              record_id,
                                         GError            **error);
/* Rewrites the completion words of @record_id from its name, company and
 * addresses (crm_word and crm_record.words) and marks its addresses as the
 * record's in address_use. */
gboolean     _rp_crm_index_record       (RpStoreConn        *conn,
                                         gint64              record_id,
                                         GError            **error);
/* Takes the writer and begins an immediate transaction; NULL with @error
 * set (the writer released) on failure. */
RpStoreConn *_rp_crm_write_begin        (RpStore            *store,
                                         GError            **error);
/* Commits when @ok (else rolls back) and releases the writer; returns
 * whether everything succeeded. After a commit, queues "crm-changed" with
 * @what (RpCrmChange flags). */
gboolean     _rp_crm_write_end          (RpStore            *store,
                                         RpStoreConn        *conn,
                                         gboolean            ok,
                                         RpCrmChange         what,
                                         GError            **error);
/* Back-fills the links of @record_id over all stored mail (one statement
 * for all of the record's addresses), on the writer inside a transaction. */
gboolean     _rp_crm_backfill_links     (RpStoreConn        *conn,
                                         gint64              record_id,
                                         GError            **error);
/* rp_crm_add_record() and rp_crm_update_record() inside the caller's
 * transaction on the writer (for imports: one commit for a whole file). */
gboolean     _rp_crm_insert_record      (RpStoreConn        *conn,
                                         RpCrmRecord        *record,
                                         GError            **error);
gboolean     _rp_crm_replace_record     (RpStoreConn        *conn,
                                         const RpCrmRecord  *record,
                                         GError            **error);
/* The id of the record owning @address (compared case-insensitively), 0
 * for none, -1 on error. */
gint64       _rp_crm_address_owner      (RpStoreConn        *conn,
                                         const char         *address,
                                         GError            **error);
/* Reads one record on @conn; NULL with @error when unknown. */
RpCrmRecord *_rp_crm_read_record        (RpStoreConn        *conn,
                                         gint64              record_id,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Reads the addresses of @record_id (primary first). */
GStrv        _rp_crm_read_addresses     (RpStoreConn        *conn,
                                         gint64              record_id,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* A trimmed copy of @address, or NULL with @error set when it is not a
 * plausible address (empty, no "@", spaces or angle brackets). */
char        *_rp_crm_normalize_address  (const char         *address,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Reads the vCards (3.0 or 4.0) of @data: one record per card, without
 * id, its addresses in order, its name from N when it has no FN. An input
 * without cards gives an empty array; one that is not UTF-8 fails with
 * RP_ERROR_INVALID_ARGUMENT naming @what (the file). Used by
 * rp_crm_import_vcard() and the fuzzer. (element-type RpCrmRecord) */
GPtrArray   *_rp_crm_parse_vcards       (const char         *data,
                                         gsize               length,
                                         const char         *what,
                                         GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Binds @text, or NULL for NULL or "". */
void         _rp_crm_bind_text          (sqlite3_stmt       *stmt,
                                         int                 column,
                                         const char         *text);
/* Duplicates a column, NULL for SQL NULL. */
char        *_rp_crm_column_dup         (sqlite3_stmt       *stmt,
                                         int                 column) G_GNUC_WARN_UNUSED_RESULT;
/* Steps a write statement to the end; sets @error on failure. */
gboolean     _rp_crm_step_done          (RpStoreConn        *conn,
                                         sqlite3_stmt       *stmt,
                                         const char         *what,
                                         GError            **error);

G_END_DECLS
