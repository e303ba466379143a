/* rp-store.h: the local mail store (SQLite + the raw bytes of every message)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rp-message.h"

G_BEGIN_DECLS

/**
 * RpFolderRole:
 *
 * PERSISTED: stored in folder.role; never renumber.
 */
typedef enum
{
  RP_FOLDER_ROLE_NONE   = 0,
  RP_FOLDER_ROLE_INBOX  = 1,
  RP_FOLDER_ROLE_DRAFTS = 2,
  RP_FOLDER_ROLE_OUTBOX = 3,
  RP_FOLDER_ROLE_SENT   = 4,
  RP_FOLDER_ROLE_TRASH  = 5,
  RP_FOLDER_ROLE_JUNK   = 6,
} RpFolderRole;

#define RP_FOLDER_ROLE_LAST RP_FOLDER_ROLE_JUNK

/**
 * RpMessageFlags:
 *
 * PERSISTED: stored in message.flags; never renumber.
 */
typedef enum /*< flags >*/
{
  RP_MESSAGE_FLAG_NONE      = 0,
  RP_MESSAGE_FLAG_SEEN      = 1 << 0,
  RP_MESSAGE_FLAG_FLAGGED   = 1 << 1,
  RP_MESSAGE_FLAG_ANSWERED  = 1 << 2,
  RP_MESSAGE_FLAG_FORWARDED = 1 << 3,
  RP_MESSAGE_FLAG_DRAFT     = 1 << 4,
} RpMessageFlags;

typedef struct
{
  gint64        id;
  gint64        account_id;
  gint64        parent_id;   /* 0 for top-level folders */
  char         *name;
  RpFolderRole  role;
  guint         total;
  guint         unread;
} RpFolderInfo;

/* A message to add. The caller fills the inputs; the store fills the outputs. */
typedef struct
{
  /* in */
  gint64             folder_id;
  const char        *uidl;       /* POP3 UIDL, or NULL for local mail */
  GBytes            *raw;
  RpMessageSummary  *summary;    /* NULL: parsed inside the call */
  RpMessageFlags     flags;
  gint64             arrived;    /* Unix time; 0 means now */
  /* out */
  gint64             id;         /* the stored message (the existing one for a duplicate) */
  gboolean           duplicate;
} RpStoreNewMessage;

typedef struct
{
  gint64 account_id;
  char  *account_name;
  guint  messages;
  guint64 bytes;
} RpStoreUsage;

#define RP_STORE_DEFAULT_QUOTA (G_GUINT64_CONSTANT (5) * 1000 * 1000 * 1000)

#define RP_TYPE_STORE (rp_store_get_type ())

G_DECLARE_FINAL_TYPE (RpStore, rp_store, RP, STORE, GObject)

/* Opens (creating and migrating as needed) the database at @path, or at
 * $XDG_DATA_HOME/rapport/rapport.db when @path is NULL. Thread-safe: any
 * thread may call any function; writes are serialised, reads never wait
 * for them (WAL). Signals are emitted in the main context of the thread
 * that opened the store. */
RpStore      *rp_store_open_sync            (const char         *path,
                                             GCancellable       *cancellable,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
const char   *rp_store_get_path             (RpStore            *self);
int           rp_store_get_schema_version   (RpStore            *self);

/* Accounts (the store's part: name and the special folders). */
gint64        rp_store_ensure_account       (RpStore            *self,
                                             const char         *name,
                                             GError            **error);
gint64        rp_store_lookup_account       (RpStore            *self,
                                             const char         *name);
gboolean      rp_store_remove_account       (RpStore            *self,
                                             gint64              account_id,
                                             GError            **error);

/* Folders. */
GPtrArray    *rp_store_list_folders         (RpStore            *self,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
gint64        rp_store_get_special_folder   (RpStore            *self,
                                             gint64              account_id,
                                             RpFolderRole        role);
RpFolderInfo *rp_store_get_folder           (RpStore            *self,
                                             gint64              folder_id,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* Finds a folder by name ("Inbox", "Sent", a user folder's name, or a path
 * "Parent/Child"), in @account_id or, with 0, in any account. Special
 * folders also answer to their English and translated names. */
gint64        rp_store_find_folder          (RpStore            *self,
                                             gint64              account_id,
                                             const char         *name);
gint64        rp_store_create_folder        (RpStore            *self,
                                             gint64              account_id,
                                             gint64              parent_id,
                                             const char         *name,
                                             GError            **error);
gboolean      rp_store_rename_folder        (RpStore            *self,
                                             gint64              folder_id,
                                             const char         *name,
                                             GError            **error);
gboolean      rp_store_move_folder          (RpStore            *self,
                                             gint64              folder_id,
                                             gint64              new_parent_id,
                                             GError            **error);
/* Deletes a user folder, its subfolders and their messages. */
gboolean      rp_store_delete_folder        (RpStore            *self,
                                             gint64              folder_id,
                                             GError            **error);
void          rp_folder_info_free           (RpFolderInfo       *info);
const char   *rp_folder_role_to_string      (RpFolderRole        role);
const char   *rp_folder_role_get_display_name (RpFolderRole      role);

/* Messages. Adds @n messages of @account_id in one transaction: when this
 * returns TRUE, all of them (with their search index rows and server_message
 * rows) survive kill -9 and, as far as fsync goes, power loss. Duplicates
 * (same account and UIDL, or same Message-ID with identical bytes) are not
 * stored again. */
gboolean      rp_store_add_messages_sync    (RpStore            *self,
                                             gint64              account_id,
                                             RpStoreNewMessage  *messages,
                                             guint               n,
                                             GCancellable       *cancellable,
                                             GError            **error);
/* Which of @uidls (POP3 UIDLs of @account_id) the store already has. */
GHashTable   *rp_store_get_known_uidls      (RpStore            *self,
                                             gint64              account_id,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
/* UIDLs of @account_id whose stored copy the user deleted for good. */
GHashTable   *rp_store_get_deleted_uidls    (RpStore            *self,
                                             gint64              account_id,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
GBytes       *rp_store_get_raw              (RpStore            *self,
                                             gint64              message_id,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      rp_store_move_messages        (RpStore            *self,
                                             const gint64       *ids,
                                             guint               n,
                                             gint64              folder_id,
                                             GError            **error);
gboolean      rp_store_copy_messages        (RpStore            *self,
                                             const gint64       *ids,
                                             guint               n,
                                             gint64              folder_id,
                                             GError            **error);
gboolean      rp_store_set_flags            (RpStore            *self,
                                             const gint64       *ids,
                                             guint               n,
                                             RpMessageFlags      set,
                                             RpMessageFlags      unset,
                                             GError            **error);
/* Deletes for good (emptying Trash); the server_message rows stay, with no
 * message, so that the fetcher neither fetches them again nor forgets that
 * the user deleted them. */
gboolean      rp_store_delete_messages      (RpStore            *self,
                                             const gint64       *ids,
                                             guint               n,
                                             GError            **error);

/* Usage. */
GPtrArray    *rp_store_get_usage            (RpStore            *self,
                                             GError            **error) G_GNUC_WARN_UNUSED_RESULT;
guint64       rp_store_get_total_bytes      (RpStore            *self);
gboolean      rp_store_is_near_quota        (RpStore            *self,
                                             guint64             quota);
void          rp_store_usage_free           (RpStoreUsage       *usage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpFolderInfo, rp_folder_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RpStoreUsage, rp_store_usage_free)

G_END_DECLS
