/* Fuzz doctor's readers of untrusted JSON: IAM policy documents (action
 * matching with wildcards) and reports (exit code, check lookup, the
 * human table). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "latticectl/doctor.h"
#include "latticectl/strbuf.h"

/* One input as a policy document and as a report. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const actions[] = { "vpc-lattice:CreateService",
	    "ec2:DescribeVpcs", "iam:CreateServiceLinkedRole", "*" };
	struct strbuf	 sb;
	cJSON		*j;
	size_t		 i;

	if ((j = cJSON_ParseWithLength((const char *)data, size)) == NULL)
		return 0;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		(void)doctor_policy_allows(j, actions[i]);
	(void)doctor_exit_code(j);
	(void)doctor_check_status(j, "route.targets");
	strbuf_init(&sb);
	doctor_format_table(j, (size & 1) != 0, &sb);
	strbuf_free(&sb);
	cJSON_Delete(j);
	return 0;
}
