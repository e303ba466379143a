/* test-filter.c: filter rules themselves: parsing, validation, refused
 * regular expressions, equivalence, storage, JSON and explanations (the
 * rules applied to mail are in test-filter-run.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "filter-fixture.h"

/* Tests */

static void
test_parse (void)
{
  static const char * const conditions[] = {
    "from:contains:me@example.com", "to:not-contains:x", "cc:is:a@b.c", "to-or-cc:begins-with:bo",
    "subject:ends-with:!", "body:matches:^Dear .*$", "header:X-Spam-Flag:is:YES",
    "account:is:work", "has-attachment", "size:greater:200k", "size:less:10",
    "from-identity", "sender-in-crm", "subject:contains:a:b:c",
  };
  static const char * const actions[] = {
    "move:Sent", "copy:Archive/2024", "mark-read", "flag", "delete", "forward:boss@example.com",
    "link-crm", "link-crm:12",
  };
  static const char * const bad_conditions[] = {
    "sender:contains:x", "from", "from:likes:x", "has-attachment:is:yes", "header::is:x",
    "header:X Y:is:x", "size:greater",
  };
  static const char * const bad_actions[] = { "move", "move:", "archive", "flag:now", "forward" };

  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterCondition) c = rp_filter_condition_parse (conditions[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = rp_filter_condition_to_string (c);
      g_assert_cmpstr (text, ==, conditions[i]);
    }

  {
    g_autoptr(RpFilterCondition) c = rp_filter_condition_parse ("header:X-Spam-Flag:is:YES", NULL);
    g_autoptr(RpFilterCondition) v = rp_filter_condition_parse ("subject:contains:a:b:c", NULL);
    g_autoptr(RpFilterCondition) me = rp_filter_condition_parse ("FROM-ME", NULL);
    g_autofree char *described = rp_filter_condition_describe (c);

    g_assert_cmpint (c->field, ==, RP_FILTER_FIELD_HEADER);
    g_assert_cmpstr (c->header, ==, "X-Spam-Flag");
    g_assert_cmpint (c->op, ==, RP_FILTER_OP_IS);
    g_assert_cmpstr (c->value, ==, "YES");
    g_assert_cmpstr (v->value, ==, "a:b:c");
    g_assert_cmpint (me->field, ==, RP_FILTER_FIELD_FROM_IDENTITY);
    g_assert_cmpstr (described, ==, "Header “X-Spam-Flag” is “YES”");
  }

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterAction) a = rp_filter_action_parse (actions[i], &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = rp_filter_action_to_string (a);
      g_assert_cmpstr (text, ==, actions[i]);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_conditions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterCondition) c = rp_filter_condition_parse (bad_conditions[i], &error);

      g_assert_null (c);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_actions); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RpFilterAction) a = rp_filter_action_parse (bad_actions[i], &error);

      g_assert_null (a);
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
    }

  /* Every field, operator and action has a machine and a display name. */
  for (int i = 0; i <= RP_FILTER_FIELD_LAST; i++)
    {
      g_assert_cmpint (rp_filter_field_from_string (rp_filter_field_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_field_get_display_name (i));
    }
  for (int i = 0; i <= RP_FILTER_OP_LAST; i++)
    {
      g_assert_cmpint (rp_filter_op_from_string (rp_filter_op_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_op_get_display_name (i));
    }
  for (int i = 0; i <= RP_FILTER_ACTION_LAST; i++)
    {
      g_assert_cmpint (rp_filter_action_type_from_string (rp_filter_action_type_to_string (i)), ==, i);
      g_assert_nonnull (rp_filter_action_type_get_display_name (i));
    }
  g_assert_true (rp_filter_field_accepts_op (RP_FILTER_FIELD_SIZE, RP_FILTER_OP_LESS));
  g_assert_false (rp_filter_field_accepts_op (RP_FILTER_FIELD_SIZE, RP_FILTER_OP_CONTAINS));
  g_assert_false (rp_filter_field_accepts_op (RP_FILTER_FIELD_SUBJECT, RP_FILTER_OP_GREATER));
  g_assert_false (rp_filter_field_has_value (RP_FILTER_FIELD_HAS_ATTACHMENT));
}

static void
test_bad_regex_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(RpFilterRule) rule = rule_from ("Broken", "subject:matches:(unclosed", "flag");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rp_store_save_filter (f->store, rule, &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "regular expression “(unclosed”"));
  g_assert_nonnull (strstr (error->message, "“Broken”"));
  g_assert_cmpint (rule->id, ==, 0);
  g_clear_error (&error);

  rules = rp_store_list_filters (f->store, &error);
  g_assert_cmpuint (rules->len, ==, 0);
}

static void
test_validate (void)
{
  static const struct { const char *condition; const char *action; const char *message; } cases[] = {
    { "size:greater:lots", "flag", "is not a size" },
    { "from:contains:", "flag", "no text to look for" },
    { "from:contains:x", "forward:not an address", "not an email address" },
    { "from:contains:x", "link-crm:abc", "not the number of a CRM record" },
    { "header:X-A:matches:[", "flag", "regular expression" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(RpFilterRule) rule = rule_from ("R", cases[i].condition, cases[i].action);
      g_autoptr(GError) error = NULL;

      g_assert_false (rp_filter_rule_validate (rule, &error));
      g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
      g_assert_nonnull (strstr (error->message, cases[i].message));
    }

  {
    g_autoptr(RpFilterRule) empty = rp_filter_rule_new ("  ");
    g_autoptr(RpFilterRule) no_action = rp_filter_rule_new ("x");
    g_autoptr(RpFilterRule) wrong_op = rule_from ("R", "subject:contains:x", "flag");
    g_autoptr(GError) error = NULL;

    g_assert_false (rp_filter_rule_validate (empty, &error));
    g_assert_nonnull (strstr (error->message, "needs a name"));
    g_clear_error (&error);
    rp_filter_rule_add_condition (no_action, rp_filter_condition_parse ("has-attachment", NULL));
    g_assert_false (rp_filter_rule_validate (no_action, &error));
    g_assert_nonnull (strstr (error->message, "at least one action"));
    g_clear_error (&error);
    ((RpFilterCondition *) g_ptr_array_index (wrong_op->conditions, 0))->op = RP_FILTER_OP_GREATER;
    g_assert_false (rp_filter_rule_validate (wrong_op, &error));
    g_assert_nonnull (strstr (error->message, "cannot be combined"));
  }
}

static void
test_equivalent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(RpFilterRule) drag = rp_filter_rule_new_move_from ("bob@example.net", "Sent");
  g_autoptr(RpFilterRule) again = rp_filter_rule_new_move_from ("BOB@Example.net", "sent");
  g_autoptr(RpFilterRule) elsewhere = rp_filter_rule_new_move_from ("bob@example.net", "Archive");
  g_autoptr(RpFilterRule) own = rp_filter_rule_new_own_addresses_to_sent (f->account);
  g_autoptr(RpFilterRule) own_again = rp_filter_rule_new_own_addresses_to_sent (f->account);
  g_autoptr(RpFilterRule) reordered = rule_from ("x", "from-identity", "mark-read");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (drag->conditions->len, ==, 1);
  g_assert_true (drag->stop);
  g_assert_false (rp_store_has_equivalent_filter (f->store, drag, &error));
  add_rule (f, rp_filter_rule_copy (drag));
  g_assert_true (rp_store_has_equivalent_filter (f->store, again, &error));
  g_assert_false (rp_store_has_equivalent_filter (f->store, elsewhere, &error));
  g_assert_no_error (error);

  /* The stored rule itself is not "another" rule. */
  {
    g_autoptr(GPtrArray) rules = rp_store_list_filters (f->store, &error);

    g_assert_false (rp_store_has_equivalent_filter (f->store, g_ptr_array_index (rules, 0),
                                                    &error));
  }

  g_assert_false (rp_store_has_equivalent_filter (f->store, own, &error));
  add_rule (f, rp_filter_rule_copy (own));
  g_assert_true (rp_store_has_equivalent_filter (f->store, own_again, &error));

  /* Conditions and actions in another order are the same rule. */
  rp_filter_rule_add_condition (reordered, rp_filter_condition_parse ("account:is:WORK", NULL));
  rp_filter_rule_add_action (reordered, rp_filter_action_parse ("move:Sent", NULL));
  g_assert_true (rp_filter_rule_equivalent (reordered, own));
  reordered->match_all = FALSE;
  g_assert_false (rp_filter_rule_equivalent (reordered, own));
}

/* saving with an id 0 inserts; saving again updates in place */
static void
test_save_update (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(RpFilterRule) a = rule_from ("a", "subject:contains:x", "flag");
  g_autoptr(RpFilterRule) b = rule_from ("b", "subject:contains:y", "flag");
  g_autoptr(RpFilterRule) loaded = NULL;
  g_autoptr(RpFilterRule) missing = rule_from ("gone", "subject:contains:z", "flag");
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;

  save (f, a);
  save (f, b);
  g_free (a->name);
  a->name = g_strdup ("a renamed");
  rp_filter_rule_add_action (a, rp_filter_action_parse ("mark-read", NULL));
  g_assert_cmpint (rp_store_save_filter (f->store, a, &error), ==, a->id);

  rules = rp_store_list_filters (f->store, &error);
  g_assert_cmpuint (rules->len, ==, 2);
  g_assert_cmpstr (((RpFilterRule *) g_ptr_array_index (rules, 0))->name, ==, "a renamed");
  loaded = rp_store_get_filter (f->store, a->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (loaded->actions->len, ==, 2);

  missing->id = 9999;
  g_assert_cmpint (rp_store_save_filter (f->store, missing, &error), ==, 0);
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_cmpint (missing->id, ==, 9999);
}

static void
test_json_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(RpFilterRule) any = rule_from ("Spam or big", "header:X-Spam:is:yes", "delete");
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other_dir = rp_test_make_tmpdir ("filter-json");
  g_autofree char *other_path = g_build_filename (other_dir, "rapport.db", NULL);
  g_autoptr(RpStore) other = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  any->match_all = FALSE;
  any->stop = TRUE;
  any->enabled = FALSE;
  rp_filter_rule_add_condition (any, rp_filter_condition_parse ("size:greater:10M", NULL));
  save (f, any);
  add_rule (f, rule_from ("Mine", "from-identity", "move:Sent"));
  add_rule (f, rule_from ("Regex: a:b", "subject:matches:^\\[list\\] (a|b)", "copy:Lists/Old"));

  json = rp_store_export_filters_json (f->store, &error);
  g_assert_no_error (error);

  other = rp_store_open_sync (other_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rp_store_import_filters_json (other, json, &error));
  g_assert_no_error (error);
  again = rp_store_export_filters_json (other, &error);
  g_assert_cmpstr (again, ==, json);

  /* Importing the same backup again adds nothing. */
  g_assert_true (rp_store_import_filters_json (other, json, &error));
  rules = rp_store_list_filters (other, &error);
  g_assert_cmpuint (rules->len, ==, 3);
  g_clear_pointer (&rules, g_ptr_array_unref);

  /* A file with a broken rule imports nothing at all. */
  g_assert_false (rp_store_import_filters_json (other,
    "{\"version\":1,\"filters\":[{\"name\":\"ok\",\"conditions\":[\"subject:contains:new\"],"
    "\"actions\":[\"flag\"]},{\"name\":\"bad\",\"conditions\":[\"subject:matches:(\"],"
    "\"actions\":[\"flag\"]}]}", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "regular expression"));
  g_clear_error (&error);
  g_assert_false (rp_store_import_filters_json (other, "not json", &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (rp_store_import_filters_json (other, "{\"version\":9,\"filters\":[]}", &error));
  g_clear_error (&error);
  rules = rp_store_list_filters (other, &error);
  g_assert_cmpuint (rules->len, ==, 3);

  g_clear_object (&other);
  rp_test_rm_rf (other_dir);
}

static void
test_explain (Fixture       *f,
              gconstpointer  data)
{
  gint64 id = add_simple (f, "bob@example.net", "Invoice");
  g_autoptr(RpFilterRule) rule = rule_from ("r", "from:contains:bob", "flag");
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  RpFilterExplanation *e;

  rp_filter_rule_add_condition (rule, rp_filter_condition_parse ("subject:is:receipt", NULL));
  rule->enabled = FALSE;
  lines = rp_filter_explain (f->store, rule, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 2);
  e = g_ptr_array_index (lines, 0);
  g_assert_true (e->matched);
  g_assert_cmpstr (e->description, ==, "From contains “bob”");
  e = g_ptr_array_index (lines, 1);
  g_assert_false (e->matched);
  g_assert_cmpuint (e->index, ==, 1);

  g_assert_null (rp_filter_explain (f->store, rule, 424242, &error));
  g_assert_error (error, RP_ERROR, RP_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  rp_test_init (&argc, &argv);

  g_test_add_func ("/core/filter/parse", test_parse);
  g_test_add_func ("/core/filter/validate", test_validate);
#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/core/filter/bad-regex-refused", test_bad_regex_refused);
  ADD ("/core/filter/equivalent", test_equivalent);
  ADD ("/core/filter/save-update", test_save_update);
  ADD ("/core/filter/json-round-trip", test_json_round_trip);
  ADD ("/core/filter/explain", test_explain);
#undef ADD

  return g_test_run ();
}
