/*
 * The lab's sample workloads restated as data (src/install/workloads.c):
 * each one equals the upstream example files the workshop applies
 * (reference/examples), object for object; the order, unknown ids, and
 * the GatewayClass name passed through.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "latticectl/install.h"
#include "latticectl/json.h"
#include "latticectl/xmalloc.h"
#include "latticectl/yaml.h"
#include "testlib.h"

/* The documents of reference/examples/NAME.yaml appended to arr; 0 when
 * the reference is not there. */
static int
ref_examples(cJSON *arr, const char *name)
{
	const char	*root = test_reference_dir();
	cJSON		*docs = NULL, *d;
	char		*path, *cause = NULL;

	if (root == NULL)
		return 0;
	xasprintf(&path, "%s/examples/%s.yaml", root, name);
	if (yaml_load_file(path, &docs, &cause) != 0)
		fail_msg("%s", cause);
	free(path);
	while ((d = cJSON_DetachItemFromArray(docs, 0)) != NULL)
		cJSON_AddItemToArray(arr, d);
	cJSON_Delete(docs);
	return 1;
}

/* Workload id equals the example files named (NULL-terminated). */
static void
check_workload(const char *id, ...)
{
	va_list		 ap;
	const char	*f;
	cJSON		*ours, *ref = cJSON_CreateArray();
	char		*a, *b;
	int		 have = 1;

	va_start(ap, id);
	while ((f = va_arg(ap, const char *)) != NULL)
		have &= ref_examples(ref, f);
	va_end(ap);
	if (!have) {
		cJSON_Delete(ref);
		printf("SKIP: no reference examples for %s\n", id);
		skip();
	}
	assert_non_null(ours = install_workload_objects(id, NULL));
	if (!json_equal(ours, ref)) {
		a = cJSON_Print(ours);
		b = cJSON_Print(ref);
		print_error("ours:\n%s\nreference:\n%s\n", a, b);
		free(a);
		free(b);
		fail_msg("workload %s differs from the reference", id);
	}
	cJSON_Delete(ours);
	cJSON_Delete(ref);
}

/* my-hotel: the Gateway of class amazon-vpc-lattice, listener http:80. */
static void
test_gateway(void **state)
{
	(void)state;
	check_workload("gateway", "my-hotel-gateway", NULL);
}

/* parking and review: Deployment (2 replicas) + Service 80 -> 8090. */
static void
test_services(void **state)
{
	(void)state;
	check_workload("parking", "parking", NULL);
	check_workload("review", "review", NULL);
}

/* rates: /parking and /review on my-hotel's http listener. */
static void
test_rates(void **state)
{
	(void)state;
	check_workload("rates", "rate-route-path", NULL);
}

/* inventory: inventory-ver1 and its route (weight 10). */
static void
test_inventory(void **state)
{
	(void)state;
	check_workload("inventory", "inventory-ver1", "inventory-route", NULL);
}

/* The menu's order, unknown ids, the class name passed through. */
static void
test_table(void **state)
{
	static const char *const want[] = { "gateway", "parking", "review",
	    "rates", "inventory" };
	const struct install_workload	*w = install_workloads();
	cJSON				*o;
	size_t				 i;

	(void)state;
	for (i = 0; i < sizeof want / sizeof *want; i++) {
		assert_non_null(w[i].id);
		assert_string_equal(w[i].id, want[i]);
		assert_non_null(w[i].title);
	}
	assert_null(w[i].id);
	assert_null(install_workload_objects("nope", NULL));
	assert_non_null(o = install_workload_objects("gateway", "other"));
	assert_string_equal(json_path_str(cJSON_GetArrayItem(o, 0),
	    "spec.gatewayClassName"), "other");
	cJSON_Delete(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gateway),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_inventory),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
