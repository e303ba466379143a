/* rp-scheduler.c
 *
 * Signals, all in the scheduler's main context:
 *   ::fetch-started (name)
 *   ::fetch-progress (RpFetchProgress*)      forwarded from the fetcher
 *   ::fetch-finished (name, RpFetchStats*, GError* or NULL)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "rp-scheduler"

#include "config.h"

#include "rp-account-store.h"
#include "rp-macros.h"
#include "rp-scheduler.h"

typedef struct
{
  RpScheduler  *self;          /* unowned */
  char         *name;
  guint         timer_id;
  GCancellable *cancellable;   /* set while a fetch runs */
} AccountState;

struct _RpScheduler
{
  GObject       parent_instance;

  RpFetcher    *fetcher;
  RpStore      *store;
  GHashTable   *accounts;      /* name → AccountState */
  guint         minute_ms;
  gboolean      running;
};

G_DEFINE_FINAL_TYPE (RpScheduler, rp_scheduler, G_TYPE_OBJECT)

enum {
  FETCH_STARTED,
  FETCH_PROGRESS,
  FETCH_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_fetch (AccountState *state);

/* Auxiliary methods */

static void
account_state_free (AccountState *state)
{
  g_clear_handle_id (&state->timer_id, g_source_remove);
  if (state->cancellable != NULL)
    g_cancellable_cancel (state->cancellable);
  g_clear_object (&state->cancellable);
  g_free (state->name);
  g_free (state);
}

static gboolean
on_timer (gpointer user_data)
{
  AccountState *state = user_data;

  state->timer_id = 0;
  start_fetch (state);

  return G_SOURCE_REMOVE;
}

/* Arms the next poll of one account from its stored settings. */
static void
arm_timer (AccountState *state)
{
  RpScheduler *self = state->self;
  g_autoptr(RpAccount) account = rp_store_load_account (self->store, state->name, NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint64 delay_ms;

  g_clear_handle_id (&state->timer_id, g_source_remove);

  if (!self->running || account == NULL || !account->enabled)
    return;

  delay_ms = (guint64) MAX (account->poll_minutes, 1) * self->minute_ms;
  /* A temporary failure asked for a pause: respect it if it is longer. */
  if (account->retry_after > now)
    delay_ms = MAX (delay_ms, (guint64) (account->retry_after - now) * 1000);

  state->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay_ms, G_MAXUINT),
                                        on_timer, state, NULL);
}

/* Callbacks */

static void
on_fetcher_progress (RpScheduler     *self,
                     RpFetchProgress *progress,
                     RpFetcher       *fetcher)
{
  g_signal_emit (self, signals[FETCH_PROGRESS], 0, progress);
}

typedef struct
{
  RpScheduler *self;
  char        *name;
} FetchCall;

static void
on_fetch_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FetchCall *call = user_data;
  g_autoptr(RpScheduler) self = call->self;
  g_autofree char *name = call->name;
  g_autoptr(GError) error = NULL;
  RpFetchStats stats = { 0, };
  AccountState *state;

  g_free (call);

  rp_fetcher_fetch_finish (RP_FETCHER (object), result, &stats, &error);

  state = g_hash_table_lookup (self->accounts, name);
  if (state != NULL)
    {
      g_clear_object (&state->cancellable);
      arm_timer (state);
    }

  g_signal_emit (self, signals[FETCH_FINISHED], 0, name, &stats, error);
}

static void
start_fetch (AccountState *state)
{
  RpScheduler *self = state->self;
  FetchCall *call;

  if (state->cancellable != NULL)
    return;

  state->cancellable = g_cancellable_new ();
  call = g_new0 (FetchCall, 1);
  call->self = g_object_ref (self);
  call->name = g_strdup (state->name);

  g_signal_emit (self, signals[FETCH_STARTED], 0, state->name);
  rp_fetcher_fetch_async (self->fetcher, state->name, state->cancellable, on_fetch_done, call);
}

/* GObject overrides */

static void
rp_scheduler_dispose (GObject *object)
{
  RpScheduler *self = RP_SCHEDULER (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_object (&self->fetcher);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (rp_scheduler_parent_class)->dispose (object);
}

static void
rp_scheduler_class_init (RpSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rp_scheduler_dispose;

  signals[FETCH_STARTED] =
    g_signal_new ("fetch-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FETCH_PROGRESS] =
    g_signal_new ("fetch-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[FETCH_FINISHED] =
    g_signal_new ("fetch-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_POINTER,
                  G_TYPE_ERROR);
}

static void
rp_scheduler_init (RpScheduler *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify) account_state_free);
  self->minute_ms = 60 * 1000;
}

/* Public API */

RpScheduler *
rp_scheduler_new (RpFetcher *fetcher,
                  RpStore   *store)
{
  RpScheduler *self;

  g_return_val_if_fail (RP_IS_FETCHER (fetcher), NULL);
  g_return_val_if_fail (RP_IS_STORE (store), NULL);

  self = g_object_new (RP_TYPE_SCHEDULER, NULL);
  self->fetcher = g_object_ref (fetcher);
  self->store = g_object_ref (store);
  g_signal_connect_object (fetcher, "progress", G_CALLBACK (on_fetcher_progress), self,
                           G_CONNECT_SWAPPED);

  return self;
}

void
rp_scheduler_set_minute_ms (RpScheduler *self,
                            guint        minute_ms)
{
  g_return_if_fail (RP_IS_SCHEDULER (self));

  self->minute_ms = MAX (minute_ms, 1);
}

void
rp_scheduler_start (RpScheduler *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (RP_IS_SCHEDULER (self));

  self->running = TRUE;
  accounts = rp_store_load_accounts (self->store, NULL);

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      RpAccount *account = g_ptr_array_index (accounts, i);
      AccountState *state = g_hash_table_lookup (self->accounts, account->name);

      if (state == NULL)
        {
          state = g_new0 (AccountState, 1);
          state->self = self;
          state->name = g_strdup (account->name);
          g_hash_table_insert (self->accounts, state->name, state);
        }
      g_hash_table_add (seen, state->name);
      if (state->cancellable == NULL)
        arm_timer (state);
    }

  /* Accounts that were removed stop being polled. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      g_hash_table_iter_remove (&iter);
}

void
rp_scheduler_stop (RpScheduler *self)
{
  g_return_if_fail (RP_IS_SCHEDULER (self));

  self->running = FALSE;
  g_hash_table_remove_all (self->accounts);
}

void
rp_scheduler_fetch_now (RpScheduler *self,
                        const char  *account_name)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (RP_IS_SCHEDULER (self));

  if (g_hash_table_size (self->accounts) == 0 || !self->running)
    rp_scheduler_start (self);

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      AccountState *state = value;

      if (account_name == NULL || g_str_equal (state->name, account_name))
        start_fetch (state);
    }
}

gboolean
rp_scheduler_is_fetching (RpScheduler *self,
                          const char  *account_name)
{
  AccountState *state;

  g_return_val_if_fail (RP_IS_SCHEDULER (self), FALSE);

  state = g_hash_table_lookup (self->accounts, account_name);
  return state != NULL && state->cancellable != NULL;
}
