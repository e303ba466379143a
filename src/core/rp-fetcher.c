/* rp-fetcher.c
 *
 * The fetch, as data flows: connect and log in; UIDL; compare with what
 * the store already has; RETR the new messages, pipelined, in batches
 * (default 500); each batch is parsed and committed by a second thread
 * while the network thread already receives the next one, so the network,
 * the parsing and the fsync overlap. Only when every batch is committed are
 * DELEs sent, and only for UIDLs whose messages are durably stored; a POP3
 * server applies DELE at QUIT, so a kill -9 anywhere loses nothing and, as
 * UIDLs are committed with their messages, stores nothing twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-fetcher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rp-account-store.h"
#include "rp-error.h"
#include "rp-fetcher.h"
#include "rp-filter-private.h"
#include "rp-invitation.h"
#include "rp-pop3.h"
#include "rp-quirks.h"

/* At most this many batches wait for their commit while the network goes
 * on: enough to overlap, bounded so memory stays small. */
#define MAX_PENDING_BATCHES 2
/* Progress callbacks from the async wrapper reach the main loop at most
 * this often. */
#define PROGRESS_INTERVAL_USEC (250 * 1000)

struct _RpFetcher
{
  GObject              parent_instance;

  RpStore             *store;
  RpSecrets           *secrets;
  guint                timeout;

  RpFetchClassifyFunc  classify;
  gpointer             classify_data;
  GDestroyNotify       classify_destroy;
};

G_DEFINE_FINAL_TYPE (RpFetcher, rp_fetcher, G_TYPE_OBJECT)

enum {
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  GPtrArray *raws;       /* GBytes */
  GPtrArray *uidls;      /* char* */
  GPtrArray *summaries;  /* RpMessageSummary, parsed by the network thread */
} Batch;

/* Shared by the network thread and the commit thread. */
typedef struct
{
  RpFetcher           *self;
  const RpAccount     *account;
  gint64               inbox;
  gint64               sent;

  GAsyncQueue         *queue;         /* Batch*; a NULL-batch sentinel ends it */
  GThread             *thread;

  GMutex               lock;
  GCond                cond;
  guint                pending;       /* queued, not yet committed */
  GError              *error;         /* the first commit failure */
  GHashTable          *stored;        /* UIDLs committed in this run */
  RpFilterSet         *filters;       /* the rules, compiled once per fetch; commit thread only */
  guint                new_messages;
  guint                duplicates;
  guint64              bytes;
} Committer;

/* Auxiliary methods */

static void
batch_free (Batch *batch)
{
  g_ptr_array_unref (batch->raws);
  g_ptr_array_unref (batch->uidls);
  g_ptr_array_unref (batch->summaries);
  g_free (batch);
}

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->raws = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  batch->uidls = g_ptr_array_new_with_free_func (g_free);
  batch->summaries = g_ptr_array_new_with_free_func ((GDestroyNotify) rp_message_summary_free);
  return batch;
}

static void
default_classify (Committer         *c,
                  RpStoreNewMessage *msg)
{
  const RpMessageSummary *summary = msg->summary;

  msg->folder_id = c->inbox;

  /* Gmail's recent mode also hands out what the user sent from other
   * clients: it belongs in Sent, which is what counts as sent mail. */
  if (c->account->recent_mode && summary->from != NULL &&
      rp_account_is_own_address (c->account, summary->from->address))
    {
      msg->folder_id = c->sent;
      msg->flags |= RP_MESSAGE_FLAG_SEEN;
    }
}

static void
free_filter_actions (gpointer actions)
{
  if (actions != NULL)
    g_ptr_array_unref (actions);
}

/* The rules' copies, forwards and CRM links need the stored message, so
 * they run after the commit; a failure there is logged, never fatal. */
static void
run_filter_actions (Committer         *c,
                    RpStoreNewMessage *msgs,
                    GPtrArray         *actions)
{
  for (guint i = 0; i < actions->len; i++)
    {
      GPtrArray *deferred = g_ptr_array_index (actions, i);

      if (deferred != NULL && !msgs[i].duplicate)
        _rp_filter_set_run_deferred (c->filters, c->account->id, msgs[i].id,
                                     msgs[i].summary->from ? msgs[i].summary->from->address : NULL,
                                     deferred);
    }
}

static gpointer
commit_thread (gpointer data)
{
  Committer *c = data;
  Batch *batch;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  while ((batch = g_async_queue_pop (c->queue)) != NULL && batch->raws != NULL)
    {
      g_autofree RpStoreNewMessage *msgs = g_new0 (RpStoreNewMessage, batch->raws->len);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) filter_actions = g_ptr_array_new_full (batch->raws->len,
                                                                  free_filter_actions);
      gboolean failed;

      g_ptr_array_set_size (filter_actions, batch->raws->len);
      g_mutex_lock (&c->lock);
      failed = c->error != NULL;
      g_mutex_unlock (&c->lock);

      if (!failed)
        {
          for (guint i = 0; i < batch->raws->len; i++)
            {
              msgs[i].raw = g_ptr_array_index (batch->raws, i);
              msgs[i].uidl = g_ptr_array_index (batch->uidls, i);
              msgs[i].arrived = now;
              msgs[i].summary = g_ptr_array_index (batch->summaries, i);
              default_classify (c, &msgs[i]);
              /* The rules decide folder and flags before the message is
               * stored, so it never shows in the Inbox first. */
              if (c->filters != NULL)
                g_ptr_array_index (filter_actions, i) =
                  _rp_filter_set_classify (c->filters, c->account, &msgs[i]);
              if (c->self->classify != NULL)
                c->self->classify (c->account, &msgs[i], c->self->classify_data);
            }

          if (!rp_store_add_messages_sync (c->self->store, c->account->id, msgs,
                                           batch->raws->len, NULL, &error))
            failed = TRUE;
          else
            {
              /* Once committed: a CANCEL or a new version of an invitation
               * changes the calendar even before anyone opens the mail. */
              rp_invitation_apply_fetched (c->self->store, c->account, msgs, batch->raws->len);
            }
        }

      if (!failed && c->filters != NULL)
        run_filter_actions (c, msgs, filter_actions);

      g_mutex_lock (&c->lock);
      if (failed && c->error == NULL && error != NULL)
        c->error = g_steal_pointer (&error);
      if (!failed)
        {
          for (guint i = 0; i < batch->raws->len; i++)
            {
              g_hash_table_add (c->stored, g_strdup (msgs[i].uidl));
              if (msgs[i].duplicate)
                c->duplicates++;
              else
                {
                  c->new_messages++;
                  c->bytes += g_bytes_get_size (msgs[i].raw);
                }
            }
        }
      c->pending--;
      g_cond_broadcast (&c->cond);
      g_mutex_unlock (&c->lock);

      batch_free (batch);
    }

  /* The end-of-work sentinel has no arrays. */
  g_free (batch);

  return NULL;
}

/* Hands a batch to the commit thread, waiting while too many are queued. */
static gboolean
committer_push (Committer  *c,
                Batch      *batch,
                GError    **error)
{
  g_mutex_lock (&c->lock);
  while (c->pending >= MAX_PENDING_BATCHES && c->error == NULL)
    g_cond_wait (&c->cond, &c->lock);
  if (c->error != NULL)
    {
      g_propagate_error (error, g_error_copy (c->error));
      g_mutex_unlock (&c->lock);
      batch_free (batch);
      return FALSE;
    }
  c->pending++;
  g_mutex_unlock (&c->lock);

  g_async_queue_push (c->queue, batch);
  return TRUE;
}

/* Waits for every queued batch; returns the first commit error. */
static gboolean
committer_finish (Committer  *c,
                  GError    **error)
{
  if (c->thread != NULL)
    {
      g_async_queue_push (c->queue, g_new0 (Batch, 1));
      g_thread_join (g_steal_pointer (&c->thread));
    }

  if (c->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&c->error));
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  Committer            *committer;
  Batch                *batch;
  RpFetchProgress       progress;
  RpFetchProgressFunc   func;
  gpointer              func_data;
  gint64                started;
  GArray               *infos;        /* RpPop3MessageInfo of this fetch, by msgno */
  GHashTable           *msgno_index;  /* msgno → index in infos */
} RetrState;

static void
report_progress (RetrState *state)
{
  double elapsed = (g_get_monotonic_time () - state->started) / 1e6;
  RpFetchProgress *p = &state->progress;

  p->bytes_per_second = elapsed > 0.05 ? p->bytes_done / elapsed : 0;
  p->seconds_left = p->bytes_per_second > 0
    ? (p->bytes_total - MIN (p->bytes_done, p->bytes_total)) / p->bytes_per_second : -1;

  if (state->func != NULL)
    state->func (p, state->func_data);
}

static gboolean
on_message (guint      msgno,
            GBytes    *message,
            gpointer   user_data,
            GError   **error)
{
  RetrState *state = user_data;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (state->msgno_index,
                                                       GUINT_TO_POINTER (msgno)));
  RpPop3MessageInfo *info = &g_array_index (state->infos, RpPop3MessageInfo, index);

  g_ptr_array_add (state->batch->raws, g_bytes_ref (message));
  g_ptr_array_add (state->batch->uidls, g_strdup (info->uid));
  /* Parsing here, between reads, uses the time the network thread would
   * spend waiting for the server; the commit thread, the slower stage,
   * then only writes. */
  g_ptr_array_add (state->batch->summaries,
                   rp_message_summary_parse (message, g_get_real_time () / G_USEC_PER_SEC));

  state->progress.messages_done++;
  state->progress.bytes_done += g_bytes_get_size (message);
  if ((state->progress.messages_done & 31) == 0)
    report_progress (state);

  return TRUE;
}

/* Which server messages may be deleted now, by the account's policy.
 * Only UIDLs the store holds (committed earlier or in this run) qualify. */
static GArray *
select_deletions (RpFetcher        *self,
                  const RpAccount  *account,
                  GArray           *infos,
                  GHashTable       *known,
                  GHashTable       *stored,
                  GError          **error)
{
  g_autoptr(GArray) msgnos = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) deleted = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (account->retention == RP_RETENTION_KEEP)
    return g_steal_pointer (&msgnos);

  if (account->retention == RP_RETENTION_DELETE_WHEN_DELETED)
    {
      deleted = rp_store_get_deleted_uidls (self->store, account->id, error);
      if (deleted == NULL)
        return NULL;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      RpPop3MessageInfo *info = &g_array_index (infos, RpPop3MessageInfo, i);
      gint64 *fetched = g_hash_table_lookup (known, info->uid);
      gboolean have = fetched != NULL || g_hash_table_contains (stored, info->uid);
      gboolean dele = FALSE;

      if (!have)
        continue;

      switch (account->retention)
        {
        case RP_RETENTION_DELETE_AFTER_FETCH:
          dele = TRUE;
          break;
        case RP_RETENTION_DELETE_AFTER_DAYS:
          dele = fetched != NULL && *fetched <= now - (gint64) account->retention_days * 86400;
          break;
        case RP_RETENTION_DELETE_WHEN_DELETED:
          dele = g_hash_table_contains (deleted, info->uid);
          break;
        case RP_RETENTION_KEEP:
        default:
          break;
        }

      if (dele)
        g_array_append_val (msgnos, info->msgno);
    }

  return g_steal_pointer (&msgnos);
}

static RpPop3 *
connect_and_login (RpFetcher        *self,
                   const RpAccount  *account,
                   const char       *password,
                   GCancellable     *cancellable,
                   GError          **error)
{
  g_autoptr(RpPop3) pop3 = rp_pop3_new (account->pop_host, account->pop_port,
                                        account->pop_security);
  g_autofree char *user = NULL;
  const char *login = *account->pop_user ? account->pop_user : account->email;

  rp_pop3_set_timeout (pop3, self->timeout);
  if (account->ca_file != NULL && *account->ca_file)
    rp_pop3_set_ca_file (pop3, account->ca_file);
  if (account->pinned_certificate != NULL && *account->pinned_certificate)
    rp_pop3_set_pinned_fingerprint (pop3, account->pinned_certificate);

  /* Gmail's recent mode is a user-name prefix: the server then offers the
   * last 30 days on every login, whatever other clients fetched. */
  user = account->recent_mode ? g_strconcat ("recent:", login, NULL) : g_strdup (login);

  if (!rp_pop3_connect_sync (pop3, cancellable, error))
    return NULL;

  if (!rp_pop3_login_sync (pop3, user, password, account->pop_auth, cancellable, error))
    {
      RpAuthQuirk quirk = rp_quirks_match_pop3_auth_failure (rp_pop3_get_last_reply (pop3));

      if (quirk != RP_AUTH_QUIRK_NONE && error != NULL && *error != NULL)
        {
          g_autofree char *hint = rp_quirks_describe_auth_failure (quirk, account->pop_host);

          g_prefix_error (error, "%s\n\n", hint);
        }
      return NULL;
    }

  return g_steal_pointer (&pop3);
}

/* GObject overrides */

static void
rp_fetcher_finalize (GObject *object)
{
  RpFetcher *self = RP_FETCHER (object);

  if (self->classify_destroy != NULL)
    self->classify_destroy (self->classify_data);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (rp_fetcher_parent_class)->finalize (object);
}

static void
rp_fetcher_class_init (RpFetcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rp_fetcher_finalize;

  /**
   * RpFetcher::progress:
   * @progress: (type gpointer): an #RpFetchProgress
   */
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
rp_fetcher_init (RpFetcher *self)
{
  self->timeout = 60;
}

/* Public API */

RpFetcher *
rp_fetcher_new (RpStore   *store,
                RpSecrets *secrets)
{
  RpFetcher *self;

  g_return_val_if_fail (RP_IS_STORE (store), NULL);
  g_return_val_if_fail (RP_IS_SECRETS (secrets), NULL);

  self = g_object_new (RP_TYPE_FETCHER, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);

  return self;
}

void
rp_fetcher_set_classify_func (RpFetcher           *self,
                              RpFetchClassifyFunc  func,
                              gpointer             user_data,
                              GDestroyNotify       destroy)
{
  g_return_if_fail (RP_IS_FETCHER (self));

  if (self->classify_destroy != NULL)
    self->classify_destroy (self->classify_data);
  self->classify = func;
  self->classify_data = user_data;
  self->classify_destroy = destroy;
}

void
rp_fetcher_set_timeout (RpFetcher *self,
                        guint      seconds)
{
  g_return_if_fail (RP_IS_FETCHER (self));

  self->timeout = seconds > 0 ? seconds : 60;
}

static gboolean
fetch_with_account (RpFetcher            *self,
                    const RpAccount      *account,
                    RpFetchStats         *stats,
                    RpFetchProgressFunc   progress,
                    gpointer              progress_data,
                    GCancellable         *cancellable,
                    GError              **error)
{
  g_autofree char *key = rp_account_dup_secret_key (account, NULL);
  g_autofree char *password = NULL;
  g_autoptr(RpPop3) pop3 = NULL;
  g_autoptr(GArray) infos = NULL;
  g_autoptr(GHashTable) known = NULL;
  g_autoptr(GArray) wanted = NULL;
  g_autoptr(GArray) deletions = NULL;
  g_autoptr(GHashTable) msgno_index = g_hash_table_new (NULL, NULL);
  Committer c = { 0, };
  RetrState state = { 0, };
  guint batch_size = account->batch_size > 0 ? account->batch_size : 500;
  gboolean ok = TRUE;

  password = rp_secrets_lookup_sync (self->secrets, "pop3", key, cancellable, error);
  if (password == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, RP_ERROR, RP_ERROR_AUTH_FAILED,
                     _("No password is stored for “%s”. Enter the password of %s."),
                     account->name, account->email);
      return FALSE;
    }

  pop3 = connect_and_login (self, account, password, cancellable, error);
  if (pop3 == NULL)
    return FALSE;

  infos = rp_pop3_uidl_sync (pop3, cancellable, error);
  if (infos == NULL)
    return FALSE;

  known = rp_store_get_known_uidls (self->store, account->id, error);
  if (known == NULL)
    return FALSE;

  wanted = g_array_new (FALSE, FALSE, sizeof (guint));
  state.progress.account_name = account->name;
  for (guint i = 0; i < infos->len; i++)
    {
      RpPop3MessageInfo *info = &g_array_index (infos, RpPop3MessageInfo, i);

      g_hash_table_insert (msgno_index, GUINT_TO_POINTER (info->msgno), GUINT_TO_POINTER (i));
      if (!g_hash_table_contains (known, info->uid))
        {
          g_array_append_val (wanted, info->msgno);
          state.progress.messages_total++;
          state.progress.bytes_total += info->size;
        }
    }

  g_debug ("[%s] %u messages on the server, %u new", account->name, infos->len, wanted->len);

  c.self = self;
  c.account = account;
  c.inbox = rp_store_get_special_folder (self->store, account->id, RP_FOLDER_ROLE_INBOX);
  c.sent = rp_store_get_special_folder (self->store, account->id, RP_FOLDER_ROLE_SENT);
  c.queue = g_async_queue_new ();
  c.stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_mutex_init (&c.lock);
  g_cond_init (&c.cond);
  /* A poll that finds nothing new starts no thread and loads no rules.
   * Rules that cannot be loaded must not stop mail from arriving: it then
   * lands unfiltered, and the log says why. */
  if (wanted->len > 0)
    {
      g_autoptr(GError) filter_error = NULL;

      c.filters = _rp_filter_set_load (self->store, &filter_error);
      if (c.filters == NULL)
        g_warning ("[%s] Filters not applied: %s", account->name, filter_error->message);
    }
  if (wanted->len > 0)
    c.thread = g_thread_new ("rp-fetch-commit", commit_thread, &c);

  state.committer = &c;
  state.func = progress;
  state.func_data = progress_data;
  state.started = g_get_monotonic_time ();
  state.infos = infos;
  state.msgno_index = msgno_index;
  report_progress (&state);

  for (guint start = 0; ok && start < wanted->len; start += batch_size)
    {
      guint n = MIN (batch_size, wanted->len - start);

      state.batch = batch_new ();
      ok = rp_pop3_retr_many_sync (pop3, &g_array_index (wanted, guint, start), n,
                                   on_message, &state, cancellable, error);
      if (ok)
        ok = committer_push (&c, g_steal_pointer (&state.batch), error);
      else
        g_clear_pointer (&state.batch, batch_free);
    }

  /* Whatever was received is committed even when the network failed:
   * the next fetch then starts where this one stopped. */
  if (ok)
    ok = committer_finish (&c, error);
  else
    committer_finish (&c, NULL);

  report_progress (&state);

  if (ok)
    {
      deletions = select_deletions (self, account, infos, known, c.stored, error);
      ok = deletions != NULL;
    }
  if (ok && deletions->len > 0)
    ok = rp_pop3_dele_many_sync (pop3, &g_array_index (deletions, guint, 0), deletions->len,
                                 cancellable, error);
  /* DELE takes effect at QUIT; without a clean QUIT nothing is deleted. */
  if (ok)
    ok = rp_pop3_quit_sync (pop3, cancellable, error);

  if (stats != NULL)
    {
      stats->new_messages = c.new_messages;
      stats->duplicates = c.duplicates;
      stats->bytes = c.bytes;
      stats->deleted_on_server = ok && deletions != NULL ? deletions->len : 0;
      stats->on_server = infos->len;
    }

  g_hash_table_unref (c.stored);
  g_async_queue_unref (c.queue);
  g_mutex_clear (&c.lock);
  g_cond_clear (&c.cond);
  g_clear_error (&c.error);
  g_clear_pointer (&c.filters, _rp_filter_set_free);

  return ok;
}

/**
 * rp_fetcher_fetch_sync:
 * @self: a #RpFetcher
 * @account_name: the account to fetch
 * @stats: (out caller-allocates) (optional): what the fetch did
 * @progress: (nullable) (scope call): called in this thread as messages arrive
 * @progress_data: data for @progress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Returns: %TRUE when the fetch succeeded
 */
gboolean
rp_fetcher_fetch_sync (RpFetcher            *self,
                       const char           *account_name,
                       RpFetchStats         *stats,
                       RpFetchProgressFunc   progress,
                       gpointer              progress_data,
                       GCancellable         *cancellable,
                       GError              **error)
{
  g_autoptr(RpAccount) account = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (RP_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (account_name != NULL, FALSE);

  if (stats != NULL)
    memset (stats, 0, sizeof *stats);

  account = rp_store_load_account (self->store, account_name, error);
  if (account == NULL)
    return FALSE;

  /* A disabled account is not contacted at all. */
  if (!account->enabled)
    {
      g_autofree char *why = rp_account_describe_disabled (account);

      g_set_error (error, RP_ERROR, RP_ERROR_ACCOUNT_DISABLED, "%s",
                   why ? why : _("The account is switched off."));
      return FALSE;
    }

  ok = fetch_with_account (self, account, stats, progress, progress_data, cancellable,
                           &local_error);

  /* Cancelling is the user's wish, not the server's fault. */
  if (!(local_error != NULL && (g_error_matches (local_error, RP_ERROR, RP_ERROR_CANCELLED) ||
                                g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))))
    rp_store_record_fetch_outcome (self->store, account->id, local_error, NULL);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

/* The async wrapper */

typedef struct
{
  char            *account_name;
  RpFetchStats     stats;
  GMainContext    *context;
  GWeakRef         fetcher;
  GMutex           lock;
  RpFetchProgress  latest;
  char            *latest_name;
  gboolean         dispatch_queued;
  gint64           last_dispatch;
} AsyncData;

static void
async_data_free (AsyncData *data)
{
  g_free (data->account_name);
  g_free (data->latest_name);
  g_main_context_unref (data->context);
  g_weak_ref_clear (&data->fetcher);
  g_mutex_clear (&data->lock);
  g_free (data);
}

static gboolean
dispatch_progress (gpointer user_data)
{
  GTask *task = user_data;
  AsyncData *data = g_task_get_task_data (task);
  g_autoptr(RpFetcher) self = g_weak_ref_get (&data->fetcher);
  RpFetchProgress progress;

  g_mutex_lock (&data->lock);
  progress = data->latest;
  progress.account_name = data->latest_name;
  data->dispatch_queued = FALSE;
  g_mutex_unlock (&data->lock);

  if (self != NULL)
    g_signal_emit (self, signals[PROGRESS], 0, &progress);

  return G_SOURCE_REMOVE;
}

static void
async_progress (const RpFetchProgress *progress,
                gpointer               user_data)
{
  GTask *task = user_data;
  AsyncData *data = g_task_get_task_data (task);
  gint64 now = g_get_monotonic_time ();
  gboolean queue = FALSE;

  g_mutex_lock (&data->lock);
  data->latest = *progress;
  if (data->latest_name == NULL)
    data->latest_name = g_strdup (progress->account_name);
  /* Coalesced: the UI hears a few updates a second, not one per message;
   * the last one always gets through. */
  if (!data->dispatch_queued &&
      (now - data->last_dispatch >= PROGRESS_INTERVAL_USEC ||
       progress->messages_done == progress->messages_total))
    {
      data->dispatch_queued = TRUE;
      data->last_dispatch = now;
      queue = TRUE;
    }
  g_mutex_unlock (&data->lock);

  if (queue)
    g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, dispatch_progress,
                                g_object_ref (task), g_object_unref);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  RpFetcher *self = RP_FETCHER (source_object);
  AsyncData *data = task_data;
  GError *error = NULL;

  if (rp_fetcher_fetch_sync (self, data->account_name, &data->stats, async_progress, task,
                             cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
rp_fetcher_fetch_async (RpFetcher           *self,
                        const char          *account_name,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncData *data;

  g_return_if_fail (RP_IS_FETCHER (self));
  g_return_if_fail (account_name != NULL);

  data = g_new0 (AsyncData, 1);
  data->account_name = g_strdup (account_name);
  data->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&data->fetcher, self);
  g_mutex_init (&data->lock);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rp_fetcher_fetch_async);
  /* Our own RP_ERROR_CANCELLED comes back, not GIO's generic one: callers
   * handle one error domain. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, data, (GDestroyNotify) async_data_free);
  g_task_run_in_thread (task, fetch_thread);
}

gboolean
rp_fetcher_fetch_finish (RpFetcher     *self,
                         GAsyncResult  *result,
                         RpFetchStats  *stats,
                         GError       **error)
{
  AsyncData *data;

  g_return_val_if_fail (RP_IS_FETCHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, rp_fetcher_fetch_async), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (stats != NULL)
    *stats = data->stats;

  return g_task_propagate_boolean (G_TASK (result), error);
}
